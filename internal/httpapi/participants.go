package httpapi

import (
	"context"
	"net/http"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// ParticipantControl acts on participants connected to a LiveKit room (the
// livekit adapter's Client implements it). RemoveParticipant returns
// apperr.NotFound when the participant is not in the room.
type ParticipantControl interface {
	RemoveParticipant(ctx context.Context, room, identity string) error
}

// handleRemoveParticipant is POST rooms/{id}/remove-participant/: a room's
// owner or administrator disconnects a participant. A guest removed this way
// loses their lobby admission too, so they must knock again, and the
// participant's identity is refused new tokens (and, with the embedded SFU,
// signalling with the tokens it holds) until the removal expires or a host
// admits it again (rooms.Service.Deny).
func (s *Server) handleRemoveParticipant() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return errNoCredentials
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		identity, ok, err := body.str("participant_identity")
		switch {
		case err != nil:
			return err
		case !ok || identity == "":
			return required("participant_identity")
		case len(identity) > 255:
			return apperr.Field("participant_identity", "Ensure this field has no more than 255 characters.")
		}
		room, _, err := s.Rooms.Authorize(r.Context(), p, r.PathValue("id"))
		if err != nil {
			return err
		}
		denied, err := s.Rooms.Deny(r.Context(), room, identity)
		if err != nil {
			return err
		}
		err = s.Participants.RemoveParticipant(r.Context(), room.ID, identity)
		if err != nil && denied {
			s.undoDeny(r.Context(), room.ID, identity)
		}
		switch {
		case apperr.Is(err, apperr.NotFound):
			return apperr.Keyed(apperr.NotFound, "error", "Participant not found")
		case err != nil:
			return &apperr.Error{Kind: apperr.KindOf(err), Key: "error", Msg: "Failed to remove participant", Err: err}
		}
		if s.Lobby != nil {
			if err := s.Lobby.ClearParticipant(r.Context(), room.ID, identity); err != nil {
				s.log.WarnContext(r.Context(), "removed participant's lobby entry not cleared", "room_id", room.ID, "err", err)
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return nil
	})
}

// undoDeny lifts a removal whose participant could not be removed, so that
// a failed or mistaken removal keeps nobody out.
func (s *Server) undoDeny(ctx context.Context, roomID, identity string) {
	if err := s.Rooms.Readmit(ctx, roomID, identity); err != nil {
		s.log.WarnContext(ctx, "removal not lifted after a failed removal", "room_id", roomID, "err", err)
	}
}
