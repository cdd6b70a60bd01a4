package httpapi

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"meet/internal/apperr"
	"meet/internal/applications"
	"meet/internal/rooms"
)

// The external API (/external-api/v1.0/): applications exchange their
// client credentials and a user's e-mail address for a delegated bearer
// token (application/token/), then list, create and retrieve that user's
// rooms with it (rooms/). Session cookies play no part here: only the
// delegated token authenticates, so neither CSRF nor the session's user
// applies.

// externalPrefix is the root of the external API's paths.
const externalPrefix = "/external-api/v1.0"

// isAPIPath reports whether path belongs to an API (the main one or the
// external one): JSON errors, no web front-end fallback, Django's trailing
// slash rules.
func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/external-api/")
}

type delegationKey struct{}

// requireDelegation lets through requests whose bearer token is a delegated
// token carrying scope, with the delegation in the context; others get the
// reference's 401 (WWW-Authenticate: Bearer) or 403, before their body is
// read, as DRF checks authentication and permissions first.
func (s *Server) requireDelegation(scope applications.Scope, next http.Handler) http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		d, err := s.External.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			if apperr.Is(err, apperr.Unauthenticated) {
				w.Header().Set("WWW-Authenticate", "Bearer")
			}
			return err
		}
		noteUser(r.Context(), d.User.ID)
		if err := d.Require(scope); err != nil {
			return err
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), delegationKey{}, d)))
		return nil
	})
}

// delegationFrom returns the delegation requireDelegation verified.
func delegationFrom(ctx context.Context) applications.Delegation {
	d, _ := ctx.Value(delegationKey{}).(applications.Delegation)
	return d
}

// externalRoomJSON is a room as applications see it: {id, name, slug,
// access_level, configuration}, plus url when a base URL is configured.
func (s *Server) externalRoomJSON(r *rooms.Room) map[string]any {
	cfg := r.Configuration
	if cfg == nil {
		cfg = rooms.Configuration{}
	}
	b := map[string]any{"id": r.ID, "name": r.Name, "slug": r.Slug, "access_level": r.AccessLevel, "configuration": cfg}
	if u := s.External.RoomURL(r.Slug); u != "" {
		b["url"] = u
	}
	return b
}

func (s *Server) handleExternalRoomList() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		d := delegationFrom(r.Context())
		env, err := s.listPage(r, func(page rooms.Page) (any, int, error) {
			list, total, err := s.External.ListRooms(r.Context(), d, page)
			if err != nil {
				return nil, 0, err
			}
			out := make([]map[string]any, 0, len(list))
			for i := range list {
				out = append(out, s.externalRoomJSON(&list[i]))
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

func (s *Server) handleExternalRoomCreate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		// The name is chosen by meet: a name sent is ignored, as a
		// read-only field is by DRF.
		_, level, cfg, err := roomFields(body, false)
		if err != nil {
			return err
		}
		d := delegationFrom(r.Context())
		room, err := s.External.CreateRoom(r.Context(), d, applications.RoomInput{AccessLevel: level, Configuration: cfg})
		if err != nil {
			return err
		}
		// The reference's properties, without its $set of the user's e-mail
		// address: no address leaves meet. Application tokens are the only
		// way in, hence auth_method.
		s.Analytics.Track(d.User.ID, eventRoomCreated, map[string]any{
			"room_id": room.ID, "access_level": room.AccessLevel, "external_api": true,
			"client_id": d.ClientID, "auth_method": "application",
		})
		writeJSON(w, http.StatusCreated, s.externalRoomJSON(room))
		return nil
	})
}

func (s *Server) handleExternalRoomRetrieve() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		room, err := s.External.RetrieveRoom(r.Context(), delegationFrom(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.externalRoomJSON(room))
		return nil
	})
}

// tokenBody is the reply of application/token/.
type tokenBody struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
}

// handleApplicationToken serves application/token/: a client-credentials
// request, as JSON or form-encoded, throttled per client address.
func (s *Server) handleApplicationToken() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.throttle(r, "application_token", s.ExternalTokenPerMinute); err != nil {
			return err
		}
		values, problems, err := tokenRequestValues(r)
		if err != nil {
			return err
		}
		get := func(field string) string {
			v, ok := values[field]
			switch {
			case len(problems[field]) > 0:
			case !ok:
				problems.Add(field, "This field is required.")
			case v == nil:
				problems.Add(field, "This field may not be null.")
			case *v == "":
				problems.Add(field, "This field may not be blank.")
			default:
				return *v
			}
			return ""
		}
		req := applications.TokenRequest{ClientID: get("client_id"), ClientSecret: get("client_secret")}
		if g := get("grant_type"); g != "" && g != applications.GrantType {
			problems.Add("grant_type", strconv.Quote(g)+" is not a valid choice.")
		}
		req.Scope = get("scope")
		if err := problems.Err(); err != nil {
			return err
		}
		tok, err := s.External.IssueToken(r.Context(), req)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, tokenBody{AccessToken: tok.AccessToken, TokenType: tok.TokenType, ExpiresIn: tok.ExpiresIn, Scope: tok.Scope})
		return nil
	})
}

// tokenRequestValues reads the four fields of a token request from a JSON
// object or a form-encoded body; a nil value was sent as JSON null, and a
// value of the wrong type is a problem under its field. Other media types
// are refused (415), as DRF does with its JSON and form parsers.
func tokenRequestValues(r *http.Request) (map[string]*string, apperr.Fields, error) {
	out, problems := map[string]*string{}, apperr.Fields{}
	fieldNames := []string{"client_id", "client_secret", "grant_type", "scope"}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, nil, apperr.New(apperr.Invalid, fmt.Sprintf("Request body is larger than %d bytes.", maxBodyBytes))
			}
			return nil, nil, apperr.Wrap(apperr.Invalid, "Could not read the request body.", err)
		}
		for _, f := range fieldNames {
			if vs, ok := r.PostForm[f]; ok {
				v := vs[0]
				out[f] = &v
			}
		}
		return out, problems, nil
	}
	body, err := decodeObject(r)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range fieldNames {
		if !body.has(f) {
			continue
		}
		if body.isNull(f) {
			out[f] = nil
			continue
		}
		v, _, err := body.str(f)
		if err != nil {
			problems.Merge(err)
			continue
		}
		out[f] = &v
	}
	return out, problems, nil
}
