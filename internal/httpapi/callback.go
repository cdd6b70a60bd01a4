package httpapi

import (
	"net/http"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// The reference's throttle of rooms/creation-callback/
// (CREATION_CALLBACK_THROTTLE_RATES): the window polls once a second.
const creationCallbackPerMinute = 600

// callbackID decodes the callback_id of a body: ok is false when it is
// absent, null or empty (room creation then stores nothing).
func callbackID(body jsonObject) (id string, ok bool, err error) {
	if !body.has("callback_id") || body.isNull("callback_id") {
		return "", false, nil
	}
	id, _, err = body.str("callback_id")
	switch {
	case err != nil:
		return "", false, err
	case len(id) > rooms.MaxCallbackIDLength:
		return "", false, apperr.Field("callback_id", "Ensure this field has no more than 255 characters.")
	}
	return id, id != "", nil
}

// handleCreationCallback is POST rooms/creation-callback/ {callback_id}:
// anyone may collect, once, the slug of the room created with that
// callback_id → {"status": "success", "room": {"slug": …}}, or "room": {}
// while there is none (not created yet, already collected, or expired).
func (s *Server) handleCreationCallback() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.throttle(r, "creation_callback", creationCallbackPerMinute); err != nil {
			return err
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		if !body.has("callback_id") {
			return required("callback_id")
		}
		if body.isNull("callback_id") {
			return apperr.Field("callback_id", "This field may not be null.")
		}
		id, ok, err := callbackID(body)
		switch {
		case err != nil:
			return err
		case !ok:
			return apperr.Field("callback_id", "This field may not be blank.")
		}
		room := map[string]string{}
		if s.CreationCallbacks != nil {
			slug, found, err := s.CreationCallbacks.Take(r.Context(), id)
			if err != nil {
				return err
			}
			if found {
				room["slug"] = slug
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "room": room})
		return nil
	})
}

// rememberCreation stores the new room's slug for the window polling
// creation-callback/. The room exists whatever happens here, so a cache
// failure is logged rather than turned into an error that would make the
// client create the room twice.
func (s *Server) rememberCreation(r *http.Request, id, slug string) {
	if s.CreationCallbacks == nil {
		return
	}
	if err := s.CreationCallbacks.Put(r.Context(), id, slug, rooms.CreationCallbackTTL); err != nil {
		s.log.WarnContext(r.Context(), "room creation callback not stored", "err", err, "request_id", requestIDFrom(r.Context()))
	}
}
