// Package recorderadapter implements recordings.Recorder with meet's own
// LiveKit track recorder (internal/livekit/recorder): a hidden participant
// per recording that writes per-track Ogg/WebM segments and a manifest,
// and, when ffmpeg is installed, a composite file after the stop.
//
// Every session joins with the identity Identity, which webhook handlers
// and participant lists ignore. Because LiveKit allows one participant per
// identity in a room, a second session for the same room evicts the first:
// a room is never recorded twice at once even if two workers disagreed.
//
// It imports the recordings domain and the recorder; it lives under
// internal/livekit because the recorder imports the LiveKit SDK.
package recorderadapter
