package httpapi

import (
	"net/http"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// handleUpdateParticipantRole is POST rooms/{id}/update-participant-role/
// {participant_identity, role: member|administrator}: a host present in the
// call makes a signed-in participant a member or an administrator of the
// room. The access is written and the participant's room_role attribute and
// permissions change in the call at once → 200 {"role", "livekit_synced"}.
// Checks: 401, body 400, room 404, 403 (not a host, or not in the call),
// 403 own role, 404 participant not in the call, 404 guest, 403 owner.
func (s *Server) handleUpdateParticipantRole() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return errNoCredentials
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		problems := apperr.Fields{}
		identity, ok, err := body.str("participant_identity")
		switch {
		case err != nil:
			problems.Merge(err)
		case !ok:
			problems.Add("participant_identity", "This field is required.")
		case identity == "":
			problems.Add("participant_identity", "This field may not be blank.")
		case len(identity) > 255:
			problems.Add("participant_identity", "Ensure this field has no more than 255 characters.")
		}
		valid := func(v string) bool { return v == string(rooms.Member) || v == string(rooms.Administrator) }
		role, ok, err := body.choice("role", valid)
		switch {
		case err != nil:
			problems.Merge(err)
		case !ok:
			problems.Add("role", "This field is required.")
		}
		if err := problems.Err(); err != nil {
			return err
		}
		change, err := s.Rooms.UpdateParticipantRole(r.Context(), p, r.PathValue("id"), identity, rooms.Role(role))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"role": change.Role, "livekit_synced": change.Synced})
		return nil
	})
}
