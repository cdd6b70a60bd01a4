package httpapi

import (
	"net/http"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// accessUserBody is a user nested in a room's access list.
type accessUserBody struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FullName  string `json:"full_name"`
	ShortName string `json:"short_name"`
	Timezone  string `json:"timezone"`
	Language  string `json:"language"`
}

type accessDetailBody struct {
	ID       string         `json:"id"`
	User     accessUserBody `json:"user"`
	Resource string         `json:"resource"`
	Role     rooms.Role     `json:"role"`
}

// roomJSON renders a room view as the reference's RoomSerializer does:
// {id, name, slug, configuration, access_level}, plus pin_code and livekit
// for callers who may join directly, plus accesses for its administrators.
// An unregistered room is {id: null, slug, is_administrable: false,
// access_level: "public", livekit}.
func roomJSON(v rooms.View) map[string]any {
	if !v.Registered() {
		return map[string]any{"id": nil, "slug": v.Slug, "is_administrable": false, "access_level": rooms.Public, "livekit": v.LiveKit}
	}
	r := v.Room
	cfg := r.Configuration
	if cfg == nil {
		cfg = rooms.Configuration{}
	}
	b := map[string]any{"id": r.ID, "name": r.Name, "slug": r.Slug, "configuration": cfg, "access_level": r.AccessLevel}
	if v.LiveKit != nil {
		b["livekit"] = v.LiveKit
		b["pin_code"] = nil
		if r.PinCode != "" {
			b["pin_code"] = r.PinCode
		}
	}
	if v.Role.CanManage() {
		accesses := make([]accessDetailBody, 0, len(v.Accesses))
		for _, a := range v.Accesses {
			accesses = append(accesses, accessDetailBody{
				ID: a.ID, Resource: a.RoomID, Role: a.Role,
				User: accessUserBody{ID: a.User.ID, Email: a.User.Email, FullName: a.User.FullName,
					ShortName: a.User.ShortName, Timezone: a.User.Timezone, Language: a.User.Language},
			})
		}
		b["accesses"] = accesses
	}
	return b
}

func (s *Server) handleRoomList() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		env, err := s.listPage(r, func(page rooms.Page) (any, int, error) {
			views, total, err := s.Rooms.List(r.Context(), auth.FromContext(r.Context()), page)
			if err != nil {
				return nil, 0, err
			}
			out := make([]map[string]any, 0, len(views))
			for _, v := range views {
				out = append(out, roomJSON(v))
			}
			return out, total, nil
		})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, env)
		return nil
	})
}

func (s *Server) handleRoomRetrieve() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		v, err := s.Rooms.Retrieve(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"), r.URL.Query().Get("username"))
		if err != nil {
			return err
		}
		if v.LiveKit != nil && v.Registered() {
			s.track(r.Context(), eventTokenIssued, map[string]any{
				"room_id": v.Room.ID, "slug": v.Room.Slug, "access_level": v.Room.AccessLevel,
			})
		}
		writeJSON(w, http.StatusOK, roomJSON(v))
		return nil
	})
}

// roomFields decodes the writable room fields present in a body; with
// needName, a missing name is reported along with the other problems.
func roomFields(body jsonObject, needName bool) (name *string, level *rooms.AccessLevel, cfg rooms.Configuration, err error) {
	problems := apperr.Fields{}
	if needName && !body.has("name") {
		problems.Add("name", "This field is required.")
	}
	if n, ok, err := body.str("name"); ok {
		if err != nil {
			problems.Merge(err)
		} else {
			name = &n
		}
	}
	validLevel := func(l string) bool { return rooms.AccessLevel(l).Valid() }
	if l, ok, err := body.choice("access_level", validLevel); ok {
		if err != nil {
			problems.Merge(err)
		} else {
			al := rooms.AccessLevel(l)
			level = &al
		}
	}
	if body.has("configuration") {
		c, err := rooms.ParseConfiguration("configuration", body["configuration"])
		if err != nil {
			problems.Merge(err)
		} else {
			cfg = c
		}
	}
	return name, level, cfg, problems.Err()
}

func (s *Server) handleRoomCreate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		name, level, cfg, err := roomFields(body, true)
		cbID, withCallback, cbErr := callbackID(body)
		if cbErr != nil {
			problems := apperr.Fields{}
			problems.Merge(err)
			problems.Merge(cbErr)
			return problems.Err()
		}
		if err != nil {
			return err
		}
		v, err := s.Rooms.Create(r.Context(), p, rooms.CreateInput{Name: *name, AccessLevel: level, Configuration: cfg})
		if err != nil {
			return err
		}
		if withCallback {
			s.rememberCreation(r, cbID, v.Room.Slug)
		}
		s.track(r.Context(), eventRoomCreated, map[string]any{
			"room_id": v.Room.ID, "access_level": v.Room.AccessLevel, "from_callback": withCallback,
		})
		writeJSON(w, http.StatusCreated, roomJSON(v))
		return nil
	})
}

// handleRoomUpdate serves PUT (partial=false: name required) and PATCH.
func (s *Server) handleRoomUpdate(partial bool) http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")
		}
		body, err := decodeObject(r)
		var name *string
		var level *rooms.AccessLevel
		var cfg rooms.Configuration
		if err == nil {
			name, level, cfg, err = roomFields(body, !partial)
		}
		if err != nil {
			// As in the reference, the room and the caller's right to change
			// it are checked before the body: 404 and 403 come before 400.
			if _, _, aerr := s.Rooms.Authorize(r.Context(), p, r.PathValue("id")); aerr != nil {
				return aerr
			}
			return err
		}
		v, err := s.Rooms.Update(r.Context(), p, r.PathValue("id"), rooms.UpdateInput{Name: name, AccessLevel: level, Configuration: cfg})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, roomJSON(v))
		return nil
	})
}

func (s *Server) handleRoomDelete() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.Rooms.Delete(r.Context(), auth.FromContext(r.Context()), r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}
