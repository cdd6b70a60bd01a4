// Package recordings holds meeting recordings and transcripts: the Recording
// and its accesses, the status machine of La Suite Meet (§5.8 of the
// reference), the rules of the recording endpoints, the durable work that a
// recording needs after the API answered, and the notifications sent when it
// is ready.
//
// The API never talks to a recorder. Start stores the recording and a start
// job in one transaction; a Worker (Run) claims jobs from the JobQueue under
// a lease, drives a Recorder (the interface this package owns; the LiveKit
// track recorder implements it in internal/livekit/recorderadapter) and
// hands the finished file to a FileStore. Completion moves the status to
// saved and writes the notifications (e-mail to owners, the summary service
// call) to an outbox in the same transaction; a Notifier (Run) delivers
// them with exponential backoff and a dead-letter state.
//
// The recording e-mail (sent through internal/mail) and the summary-service
// client live here because they need only the standard library.
//
// It imports only the standard library, apperr, auth, mail, rooms and users. Adapters
// (storage, httpapi, livekit) import it, never the reverse.
package recordings
