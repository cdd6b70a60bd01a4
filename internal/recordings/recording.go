package recordings

import (
	"time"

	"meet/internal/rooms"
)

// Status is where a recording is in its life.
type Status string

// The statuses of La Suite Meet.
const (
	Initiated                 Status = "initiated"
	Active                    Status = "active"
	Stopped                   Status = "stopped"
	Saved                     Status = "saved"
	Aborted                   Status = "aborted"
	FailedToStart             Status = "failed_to_start"
	FailedToStop              Status = "failed_to_stop"
	NotificationSucceeded     Status = "notification_succeeded"
	ExternalProcessSuccessful Status = "external_process_successful"
	ExternalProcessFailed     Status = "external_process_failed"
)

// IsFinal reports whether the recording is over for good. As in the
// reference, notification_succeeded is not final.
func (s Status) IsFinal() bool {
	switch s {
	case Stopped, Saved, Aborted, ExternalProcessSuccessful, ExternalProcessFailed, FailedToStart, FailedToStop:
		return true
	}
	return false
}

// IsSavable reports whether a recording in this status can be completed
// (its file stored and its owners notified).
func (s Status) IsSavable() bool { return s == Active || s == Stopped }

// IsSaved reports whether the recording's file is stored and may be downloaded.
func (s Status) IsSaved() bool {
	switch s {
	case NotificationSucceeded, Saved, ExternalProcessSuccessful, ExternalProcessFailed:
		return true
	}
	return false
}

// InProgress reports whether the recording holds its room (the
// one-recording-per-room rule counts these statuses).
func (s Status) InProgress() bool { return s == Initiated || s == Active }

// Mode is what a recording captures.
type Mode string

// The recording modes.
const (
	// ScreenRecording records every audio and video track; its file is an MP4.
	ScreenRecording Mode = "screen_recording"
	// Transcript records audio only; its file is an Ogg.
	Transcript Mode = "transcript"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == ScreenRecording || m == Transcript }

// Extension is the file extension of the mode's recording file.
func (m Mode) Extension() string {
	if m == Transcript {
		return "ogg"
	}
	return "mp4"
}

// Options are the start options of a recording. Unknown keys are refused
// when they are decoded from a request.
type Options struct {
	// Language is the spoken language for the transcription ("" = unset).
	Language *string `json:"language,omitempty"`
	// Transcribe asks for a transcript of a screen recording too.
	Transcribe *bool `json:"transcribe,omitempty"`
	// CollectMetadata asks for the metadata collector agent.
	CollectMetadata *bool `json:"collect_metadata,omitempty"`
	// OriginalMode is the mode the user chose when it differs from Mode
	// (for example "screen_recording + transcribe" run as a transcript).
	OriginalMode *Mode `json:"original_mode,omitempty"`
}

// Transcribes reports whether a transcript was asked for.
func (o Options) Transcribes() bool { return o.Transcribe != nil && *o.Transcribe }

// OutputFolder is the folder part of every recording key, as in the reference.
const OutputFolder = "recordings"

// RoomRef is the part of a room shown with a recording.
type RoomRef struct {
	ID          string
	Name        string
	Slug        string
	AccessLevel rooms.AccessLevel
}

// Recording is one recording or transcript of a room.
type Recording struct {
	ID     string
	RoomID string
	// Room is filled by the store when it reads a recording.
	Room    RoomRef
	Status  Status
	Mode    Mode
	Options Options
	// WorkerID names the recorder session that records it.
	WorkerID string
	// ExternalProcessID is the summary service's job id.
	ExternalProcessID string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Key is where the recording's file is stored: recordings/<id>.<ext>.
func (r *Recording) Key() string { return OutputFolder + "/" + r.ID + "." + r.Mode.Extension() }

// ExpiredAt returns when the recording expires, nil when recordings never
// expire (days <= 0).
func (r *Recording) ExpiredAt(days int) *time.Time {
	if days <= 0 {
		return nil
	}
	t := r.CreatedAt.AddDate(0, 0, days)
	return &t
}

// IsExpired reports whether the recording expired at now.
func (r *Recording) IsExpired(days int, now time.Time) bool {
	at := r.ExpiredAt(days)
	return at != nil && !now.Before(*at)
}

// Access gives a user a role on a recording, independently of their role in
// the room. The user who starts a recording becomes its owner.
type Access struct {
	ID          string
	RecordingID string
	UserID      string
	Role        rooms.Role
	CreatedAt   time.Time
}

// Abilities are what a user may do with a recording.
type Abilities struct {
	Retrieve      bool `json:"retrieve"`
	Destroy       bool `json:"destroy"`
	Stop          bool `json:"stop"`
	Update        bool `json:"update"`
	PartialUpdate bool `json:"partial_update"`
}

// AbilitiesOf returns what a user with role may do with a recording in
// status: administrators and owners retrieve it, destroy it once final and
// stop it while it is not; nobody updates it.
func AbilitiesOf(role rooms.Role, status Status) Abilities {
	manage := role.CanManage()
	return Abilities{
		Retrieve: manage,
		Destroy:  manage && status.IsFinal(),
		Stop:     manage && !status.IsFinal(),
	}
}

// Owner is a recording owner, as notifications need them.
type Owner struct {
	UserID   string
	Sub      string
	Email    string
	FullName string
	Language string
	Timezone string
}
