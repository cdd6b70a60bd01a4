package httpapi

import (
	"context"
	"net/http"

	"meet/internal/apperr"
	"meet/internal/users"
)

// FirstRun creates the first account of an instance (local.FirstRun).
// Complete returns apperr.NotFound once an account exists or the token was
// used, apperr.Forbidden for a wrong token and apperr.Invalid with field
// errors for a bad e-mail, name or password.
type FirstRun interface {
	Complete(ctx context.Context, token, email, fullName, password string) (*users.User, error)
}

// handleFirstRun serves setup/: the first person creates the first account
// with the token from the server's log, and is signed in to it.
func (s *Server) handleFirstRun() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		fields := apperr.Fields{}
		get := func(name string, required bool) string {
			v, ok, err := body.str(name)
			switch {
			case err != nil:
				fields.Merge(err)
			case !ok && required:
				fields.Add(name, "This field is required.")
			}
			return v
		}
		token := get("token", false) // a missing token is a wrong one: 403
		email, fullName, password := get("email", true), get("full_name", false), get("password", true)
		if err := fields.Err(); err != nil {
			return err
		}
		u, err := s.FirstRun.Complete(r.Context(), token, email, fullName, password)
		if err != nil {
			return err
		}
		s.log.InfoContext(r.Context(), "first account created from the setup link", "user_id", u.ID)
		if err := s.startSession(w, r, u, map[string]string{authMethod: "local"}); err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, userJSON(u))
		return nil
	})
}
