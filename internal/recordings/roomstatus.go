package recordings

import (
	"context"
	"log/slog"

	"meet/internal/apperr"
)

// RoomMetadata writes the JSON metadata of a room's call on the media
// server, which every participant receives (the livekit adapter's Client
// implements it). UpdateRoomMetadata overlays set after deleting remove; it
// returns apperr.NotFound when no call is running in the room.
type RoomMetadata interface {
	UpdateRoomMetadata(ctx context.Context, room string, set map[string]any, remove []string) error
}

// The room metadata keys that tell clients a recording is running, as La
// Suite Meet's clients read them (§4.2 of the reference).
const (
	MetadataRecordingStatus = "recording_status"
	MetadataRecordingMode   = "recording_mode"
)

// The values of MetadataRecordingStatus: the recorder is joining, records,
// or is saving what it recorded. The keys are removed once the recording
// ended, whether it was saved, aborted or failed.
const (
	RoomRecordingStarting = "starting"
	RoomRecordingStarted  = "started"
	RoomRecordingSaving   = "saving"
)

// announce publishes the recording's state in its room's metadata, or
// removes it when status is "". The call may not be running (nobody in the
// room): that is not a failure. Other failures are logged, never returned:
// the recording goes on without its banner.
func (w *Worker) announce(ctx context.Context, r *Recording, status string, log *slog.Logger) {
	if w.cfg.RoomMetadata == nil {
		return
	}
	var set map[string]any
	var remove []string
	if status == "" {
		remove = []string{MetadataRecordingStatus, MetadataRecordingMode}
	} else {
		mode := r.Mode
		if r.Options.OriginalMode != nil {
			mode = *r.Options.OriginalMode
		}
		set = map[string]any{MetadataRecordingStatus: status, MetadataRecordingMode: string(mode)}
	}
	err := w.cfg.RoomMetadata.UpdateRoomMetadata(ctx, r.RoomID, set, remove)
	switch {
	case apperr.Is(err, apperr.NotFound):
		log.DebugContext(ctx, "no call running to show the recording state to", "recording_status", status)
	case err != nil:
		log.WarnContext(ctx, "recording state not published in the room metadata", "recording_status", status, "err", err)
	}
}
