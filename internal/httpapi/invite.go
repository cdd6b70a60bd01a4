package httpapi

import (
	"encoding/json"
	"net/http"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// handleRoomInvite is POST rooms/{id}/invite/ {emails: [...]}: an owner or
// administrator e-mails the meeting's link to a list of people, in the
// inviter's language. The rights are checked before the body, as DRF's
// detail actions do. A delivery failure answers 502 naming who received the
// invitation and who did not (the reference lets the SMTP error through as
// a 500).
func (s *Server) handleRoomInvite() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		p := auth.FromContext(ctx)
		room, _, err := s.Rooms.Authorize(ctx, p, r.PathValue("id"))
		if err != nil {
			return err
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		if !body.has("emails") {
			return required("emails")
		}
		var emails []string
		if err := json.Unmarshal(body["emails"], &emails); err != nil || body.isNull("emails") {
			return apperr.Field("emails", "Expected a list of email addresses.")
		}
		to, err := rooms.ParseInvitees(emails)
		if err != nil {
			return err
		}
		if s.Inviter == nil {
			return apperr.New(apperr.Unavailable, "E-mail is not configured on this server: invitations cannot be sent.")
		}
		inviter, err := s.users.UserByID(ctx, p.UserID)
		if err != nil {
			return err
		}
		base := rooms.Invitation{
			InviterName: inviter.DisplayName(), Language: inviter.Language,
			RoomName: room.Name, Link: s.absoluteURL("/"+room.Slug, nil),
		}
		if err := rooms.SendInvitations(ctx, s.Inviter, base, to); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success", "message": "invitations sent"})
		return nil
	})
}
