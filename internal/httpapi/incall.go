package httpapi

import (
	"context"
	"net/http"
	"time"
	"unicode/utf8"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// InCallControl acts on the participants of a running call (the livekit
// adapter's CallControl implements it). GetParticipant and
// UpdateParticipant return apperr.NotFound when the participant is not in
// the call, MuteTrack when the participant or its track is not; other
// failures are apperr.Unavailable or apperr.BadGateway.
type InCallControl interface {
	GetParticipant(ctx context.Context, room, identity string) (rooms.CallParticipant, error)
	ListParticipants(ctx context.Context, room string) ([]rooms.CallParticipant, error)
	UpdateParticipant(ctx context.Context, room, identity string, u rooms.CallParticipantUpdate) error
	MuteTrack(ctx context.Context, room, identity, trackSID string) error
}

// handRaisedLayout writes raise times with a fixed number of digits, so
// their text order is their time order, and an offset as Python's
// isoformat() does (the reference's format).
const handRaisedLayout = "2006-01-02T15:04:05.000000-07:00"

// errParticipantNotFound is the reference's answer when the participant an
// action names is not in the call.
var errParticipantNotFound = apperr.Keyed(apperr.NotFound, "error", "Participant not found")

// callFailure maps an in-call control failure: a participant that is not in
// the call gives 404 {"error": "Participant not found"}, anything else
// {"error": msg} with the failure's own status.
func callFailure(err error, msg string) error {
	if apperr.Is(err, apperr.NotFound) {
		return errParticipantNotFound
	}
	return &apperr.Error{Kind: apperr.KindOf(err), Key: "error", Msg: msg, Err: err}
}

// present checks that identity is connected to the room's call (404
// {"error": "Participant not found"} otherwise).
func (s *Server) present(ctx context.Context, room, identity string, failMsg string) error {
	p, err := s.InCall.GetParticipant(ctx, room, identity)
	if err != nil {
		return callFailure(err, failMsg)
	}
	if !p.Present {
		return errParticipantNotFound
	}
	return nil
}

// handleToggleHand is POST rooms/{id}/toggle-hand/ {raised}: the caller,
// known by its LiveKit token, raises or lowers its own hand. The hand is
// the participant attribute handRaisedAt, which every client in the call
// receives: the time it was raised, or "" once lowered.
func (s *Server) handleToggleHand() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		room, caller, err := s.roomByToken(r)
		if err != nil {
			return err
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		raised, ok, err := body.boolean("raised")
		switch {
		case err != nil:
			return err
		case !ok:
			return required("raised")
		}
		const fail = "Failed to update participant hand state"
		if err := s.present(r.Context(), room.ID, caller.Identity, fail); err != nil {
			return err
		}
		at := ""
		if raised {
			at = time.Now().UTC().Format(handRaisedLayout)
		}
		u := rooms.CallParticipantUpdate{Attributes: map[string]string{rooms.HandRaisedAttribute: at}}
		if err := s.InCall.UpdateParticipant(r.Context(), room.ID, caller.Identity, u); err != nil {
			return callFailure(err, fail)
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return nil
	})
}

// handleRename is POST rooms/{id}/rename/ {name}: the caller, known by its
// LiveKit token, changes its display name in the call; every client sees
// the new name. Signed-in participants may not when the instance keeps
// their account name (MEET_AUTHENTICATED_CAN_EDIT_NAME off), as the token's
// name already does.
func (s *Server) handleRename() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		room, caller, err := s.roomByToken(r)
		if err != nil {
			return err
		}
		if caller.Authenticated() && !s.Rooms.Options().AuthenticatedCanEditName {
			return apperr.Keyed(apperr.Forbidden, "error", "Authenticated participants cannot edit their display name")
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		name, ok, err := body.str("name")
		switch {
		case err != nil:
			return err
		case !ok:
			return required("name")
		case name == "":
			return apperr.Field("name", "This field may not be blank.")
		case utf8.RuneCountInString(name) > 255:
			return apperr.Field("name", "Ensure this field has no more than 255 characters.")
		}
		const fail = "Failed to rename participant"
		if err := s.present(r.Context(), room.ID, caller.Identity, fail); err != nil {
			return err
		}
		if err := s.InCall.UpdateParticipant(r.Context(), room.ID, caller.Identity, rooms.CallParticipantUpdate{Name: name}); err != nil {
			return callFailure(err, fail)
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return nil
	})
}

// handleLowerHands is POST rooms/{id}/lower-hands/, a meet addition: a
// room's owner or administrator lowers every raised hand in one call (the
// reference's front end sends one update-participant/ per hand). It answers
// how many hands it lowered.
func (s *Server) handleLowerHands() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		room, _, err := s.Rooms.Authorize(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		const fail = "Failed to lower hands"
		ps, err := s.InCall.ListParticipants(r.Context(), room.ID)
		if apperr.Is(err, apperr.NotFound) {
			ps, err = nil, nil // no call running: no hand to lower
		}
		if err != nil {
			return &apperr.Error{Kind: apperr.KindOf(err), Key: "error", Msg: fail, Err: err}
		}
		lowered := 0
		down := rooms.CallParticipantUpdate{Attributes: map[string]string{rooms.HandRaisedAttribute: ""}}
		for _, p := range ps {
			if p.Attributes[rooms.HandRaisedAttribute] == "" {
				continue
			}
			err := s.InCall.UpdateParticipant(r.Context(), room.ID, p.Identity, down)
			switch {
			case apperr.Is(err, apperr.NotFound):
				// Left meanwhile: the hand went with them.
			case err != nil:
				return &apperr.Error{Kind: apperr.KindOf(err), Key: "error", Msg: fail, Err: err}
			default:
				lowered++
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "lowered": lowered})
		return nil
	})
}
