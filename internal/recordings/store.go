package recordings

import (
	"context"
	"time"

	"meet/internal/rooms"
)

// Store keeps recordings and their accesses.
//
// CreateRecording stores a recording in status initiated, an owner access
// for ownerID and a start job in one transaction; it returns apperr.Conflict
// when the room already has an initiated or active recording (the database
// enforces it with a partial unique index, so concurrent starts cannot both
// win). Lookups return apperr.NotFound when nothing matches.
type Store interface {
	CreateRecording(ctx context.Context, r *Recording, ownerID string) error
	RecordingByID(ctx context.Context, id string) (*Recording, error)
	// RecordingByExternalID finds a recording by its summary-service job id.
	RecordingByExternalID(ctx context.Context, jobID string) (*Recording, error)
	// InProgressRecording returns the room's initiated or active recording.
	InProgressRecording(ctx context.Context, roomID string) (*Recording, error)
	// ListRecordingsForUser lists, newest first, the recordings on which
	// userID has any access, and their total number.
	ListRecordingsForUser(ctx context.Context, userID string, p rooms.Page) ([]Recording, int, error)
	// RoleOnRecording returns the user's role on the recording (NoRole when none).
	RoleOnRecording(ctx context.Context, recordingID, userID string) (rooms.Role, error)
	DeleteRecording(ctx context.Context, id string) error

	// RequestRecordingStop ends the room's recording in progress in one transaction:
	// an active one becomes stopped and a stop job is enqueued for its
	// worker; an initiated one (no recorder joined yet) becomes aborted and
	// its pending start job is dropped. It returns the new status, or
	// apperr.NotFound when the room has no recording in progress.
	RequestRecordingStop(ctx context.Context, roomID string) (*Recording, error)
	// TransitionRecording moves the recording to status to if its status is one of
	// from (any status when from is empty), and reports whether it did.
	TransitionRecording(ctx context.Context, id string, from []Status, to Status) (bool, error)
	// ActivateRecording moves an initiated recording to active with its worker id,
	// and reports whether it did.
	ActivateRecording(ctx context.Context, id, workerID string) (bool, error)
	// SaveRecording moves a savable recording to saved, or to notification_succeeded
	// when msgs is empty and notified is true, and stores msgs in the outbox,
	// in one transaction. It returns apperr.Forbidden when the recording is
	// not savable.
	SaveRecording(ctx context.Context, id string, msgs []Message, notified bool) (Status, error)
	// RecordingOwners lists the recording's owners, oldest access first.
	RecordingOwners(ctx context.Context, id string) ([]Owner, error)
	// ListExpiredRecordings lists recordings created before cutoff whose
	// status is final or saved.
	ListExpiredRecordings(ctx context.Context, cutoff time.Time) ([]Recording, error)
}

// JobKind is what a job asks a worker to do.
type JobKind string

// The job kinds.
const (
	// JobStart records a recording; the job stays running, under its lease,
	// for as long as the recorder session lasts.
	JobStart JobKind = "start"
	// JobStop asks the worker holding the recording's start job to stop.
	JobStop JobKind = "stop"
)

// Job is a unit of recorder work claimed under a lease.
type Job struct {
	ID          string
	RecordingID string
	Kind        JobKind
	// Attempts counts the claims, this one included.
	Attempts int
	// Owner is the worker that holds the lease.
	Owner string
	// LeaseExpiresAt is when another worker may take the job over.
	LeaseExpiresAt time.Time
}

// JobQueue is the durable queue between the API and the recorder workers.
//
// ClaimStartJob atomically takes the oldest start job that is pending, or
// running with an expired lease (its worker died), sets owner and the lease,
// counts the attempt and returns it; apperr.NotFound when there is none.
// ClaimStopJob takes the pending stop job of a recording, if any.
// RenewLease extends a lease the owner still holds (apperr.NotFound when it
// lost it). FinishJob marks a job the owner holds done, or failed with errText.
type JobQueue interface {
	ClaimStartJob(ctx context.Context, owner string, lease time.Duration) (*Job, error)
	ClaimStopJob(ctx context.Context, recordingID, owner string) (bool, error)
	RenewLease(ctx context.Context, jobID, owner string, lease time.Duration) error
	FinishJob(ctx context.Context, jobID, owner, errText string) error
}

// MessageKind says how an outbox message is delivered.
type MessageKind string

// The outbox message kinds.
const (
	// MessageEmail is an e-mail to one owner; Payload is an EmailPayload.
	MessageEmail MessageKind = "email"
	// MessageSummary is the summary-service call; Payload is its v2 body.
	MessageSummary MessageKind = "summary"
)

// Message is one notification waiting in the outbox.
type Message struct {
	ID          string
	RecordingID string
	Kind        MessageKind
	// Payload is the JSON document the deliverer sends or renders.
	Payload  []byte
	Attempts int
	Owner    string
}

// Outbox holds the notifications of completed recordings until they are
// delivered.
//
// ClaimMessage atomically takes a message that is due (pending and past its
// next attempt time, or claimed under an expired lease), counts the attempt
// and returns it; apperr.NotFound when none is due. MarkDelivered records,
// in one transaction and only while owner holds the claim, that the message
// was delivered, stores externalID as the recording's external_process_id
// for summary messages, and moves a saved recording to
// notification_succeeded once all its messages are delivered; it returns
// apperr.Conflict when the claim was lost. MarkFailed schedules a retry at
// retryAt, or dead-letters the message when dead is true.
type Outbox interface {
	ClaimMessage(ctx context.Context, owner string, lease time.Duration) (*Message, error)
	MarkDelivered(ctx context.Context, id, owner, externalID string) error
	MarkFailed(ctx context.Context, id, owner, errText string, retryAt time.Time, dead bool) error
}
