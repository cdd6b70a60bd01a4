package httpapi

import (
	"bytes"
	"net/http"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// accessBody is the reference's ResourceAccess serializer output.
type accessBody struct {
	ID       string     `json:"id"`
	User     string     `json:"user"`
	Resource string     `json:"resource"`
	Role     rooms.Role `json:"role"`
}

func validRole(r string) bool { return rooms.Role(r).Valid() }

// pythonType names a JSON value's type the way DRF's messages do.
func pythonType(raw []byte) string {
	switch v := bytes.TrimSpace(raw); {
	case len(v) == 0:
		return "str"
	case v[0] == '{':
		return "dict"
	case v[0] == '[':
		return "list"
	case v[0] == 't' || v[0] == 'f':
		return "bool"
	case v[0] == '"':
		return "str"
	case bytes.ContainsAny(v, ".eE"):
		return "float"
	}
	return "int"
}

func accessJSON(a *rooms.Access) accessBody {
	return accessBody{ID: a.ID, User: a.UserID, Resource: a.RoomID, Role: a.Role}
}

func (s *Server) handleAccessList() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		env, err := s.listPage(r, func(page rooms.Page) (any, int, error) {
			list, total, err := s.Rooms.ListAccesses(r.Context(), auth.FromContext(r.Context()), page)
			if err != nil {
				return nil, 0, err
			}
			out := make([]accessBody, 0, len(list))
			for i := range list {
				out = append(out, accessJSON(&list[i]))
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

func (s *Server) handleAccessRetrieve() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.Rooms.GetAccess(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, accessJSON(a))
		return nil
	})
}

// uuidField decodes a required UUID field.
func uuidField(body jsonObject, field string, problems apperr.Fields) string {
	v, ok, err := body.str(field)
	switch {
	case !ok:
		problems.Add(field, "This field is required.")
	case body.isNull(field):
		problems.Add(field, "This field may not be null.")
	case err != nil:
		problems.Add(field, "Incorrect type. Expected pk value, received "+pythonType(body[field])+".")
	default:
		id, valid := rooms.CanonicalUUID(v)
		if !valid {
			problems.Add(field, `"`+v+`" is not a valid UUID.`)
		}
		return id
	}
	return ""
}

func (s *Server) handleAccessCreate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		problems := apperr.Fields{}
		a := &rooms.Access{UserID: uuidField(body, "user", problems), RoomID: uuidField(body, "resource", problems), Role: rooms.Member}
		if role, ok, err := body.choice("role", validRole); ok {
			problems.Merge(err)
			a.Role = rooms.Role(role)
		}
		if err := problems.Err(); err != nil {
			return err
		}
		if err := s.Rooms.CreateAccess(r.Context(), p, a); err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, accessJSON(a))
		return nil
	})
}

// handleAccessUpdate serves PUT and PATCH: only the role can change; user and
// resource are ignored as in the reference.
func (s *Server) handleAccessUpdate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")
		}
		body, err := decodeObject(r)
		var role string
		var ok bool
		if err == nil {
			role, ok, err = body.choice("role", validRole)
		}
		if err != nil {
			// As in the reference, the access and the caller's right to
			// manage it are checked before the body: 404 and 403 come first.
			if _, gerr := s.Rooms.GetAccess(r.Context(), p, r.PathValue("id")); gerr != nil {
				return gerr
			}
			return err
		}
		if !ok {
			// Nothing to change, but the update rules still apply: an owner
			// access is only its own user's to update.
			a, err := s.Rooms.GetAccess(r.Context(), p, r.PathValue("id"))
			if err != nil {
				return err
			}
			role = string(a.Role)
		}
		a, err := s.Rooms.UpdateAccessRole(r.Context(), p, r.PathValue("id"), rooms.Role(role))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, accessJSON(a))
		return nil
	})
}

func (s *Server) handleAccessDelete() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.Rooms.DeleteAccess(r.Context(), auth.FromContext(r.Context()), r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}
