package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
	"meet/internal/users"
)

// userBody is the reference's UserSerializer output for users/me/.
type userBody struct {
	ID                       string              `json:"id"`
	Email                    string              `json:"email"`
	FullName                 string              `json:"full_name"`
	ShortName                string              `json:"short_name"`
	Timezone                 string              `json:"timezone"`
	Language                 string              `json:"language"`
	DefaultRoomAccessLevel   *rooms.AccessLevel  `json:"default_room_access_level"`
	DefaultRoomConfiguration rooms.Configuration `json:"default_room_configuration"`
}

func userJSON(u *users.User) userBody {
	b := userBody{ID: u.ID, Email: u.Email, FullName: u.FullName, ShortName: u.ShortName,
		Timezone: u.Timezone, Language: u.Language, DefaultRoomConfiguration: u.DefaultRoomConfiguration}
	if u.DefaultRoomAccessLevel != "" {
		l := u.DefaultRoomAccessLevel
		b.DefaultRoomAccessLevel = &l
	}
	if b.DefaultRoomConfiguration == nil {
		b.DefaultRoomConfiguration = rooms.Configuration{}
	}
	return b
}

var errNoCredentials = apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")

// currentUser loads the signed-in user or fails with 401.
func (s *Server) currentUser(r *http.Request) (*users.User, error) {
	p := auth.FromContext(r.Context())
	if !p.Authenticated() {
		return nil, errNoCredentials
	}
	return s.Users.UserByID(r.Context(), p.UserID)
}

func (s *Server) handleUserMe() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.currentUser(r)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, userJSON(u))
		return nil
	})
}

// userSummary is what a search result shows of another account: who it is,
// never its room preferences.
type userSummary struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FullName  string `json:"full_name"`
	ShortName string `json:"short_name"`
	Timezone  string `json:"timezone"`
	Language  string `json:"language"`
}

// userLookupPerMinute bounds how many addresses one account may look up, so
// that the exact-address search cannot be used to list who has an account.
const userLookupPerMinute = 30

// handleUserList answers the reference's user search. Listing other users is
// not offered (the reference's ALLOW_UNSECURE_USER_LISTING is off), but a
// query that is a whole e-mail address finds that active account: it is how
// a room owner adds a colleague by address (docs/compatibility.md).
func (s *Server) handleUserList() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if !auth.FromContext(r.Context()).Authenticated() {
			return errNoCredentials
		}
		results := []userSummary{}
		if q := strings.TrimSpace(r.URL.Query().Get("q")); rooms.ValidEmail(q) {
			u, err := s.Users.UserByEmail(r.Context(), q)
			switch {
			case err == nil && u.IsActive:
				results = append(results, userSummary{ID: u.ID, Email: u.Email, FullName: u.FullName,
					ShortName: u.ShortName, Timezone: u.Timezone, Language: u.Language})
			case err != nil && !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Conflict):
				return err
			}
		}
		writeJSON(w, http.StatusOK, pageBody{Count: len(results), Results: results})
		return nil
	})
}

// validTimezone reports whether tz names an IANA time zone.
func validTimezone(tz string) bool {
	if tz == "" || tz == "Local" {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// handleUserUpdate lets users change their own preferences: timezone,
// language, and the defaults of the rooms they create. PUT and PATCH behave
// alike, as no field is required.
func (s *Server) handleUserUpdate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.currentUser(r)
		if err != nil {
			return err
		}
		if id, ok := rooms.CanonicalUUID(r.PathValue("id")); !ok || id != u.ID {
			return apperr.New(apperr.Forbidden, "You do not have permission to perform this action.")
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		// Every writable field has a default in the reference's model, so
		// none is required, with PUT as with PATCH.
		problems := apperr.Fields{}
		if tz, ok, err := body.choice("timezone", validTimezone); ok {
			problems.Merge(err)
			u.Timezone = tz
		}
		if lang, ok, err := body.choice("language", func(l string) bool { return slices.Contains(users.Languages, l) }); ok {
			problems.Merge(err)
			u.Language = lang
		}
		if body.has("default_room_access_level") {
			if body.isNull("default_room_access_level") {
				u.DefaultRoomAccessLevel = ""
			} else if l, _, err := body.str("default_room_access_level"); err != nil || (l != "" && !rooms.AccessLevel(l).Valid()) {
				problems.Add("default_room_access_level", `"`+l+`" is not a valid choice.`)
			} else {
				u.DefaultRoomAccessLevel = rooms.AccessLevel(l)
			}
		}
		if body.has("default_room_configuration") {
			cfg, err := rooms.ParseConfiguration("default_room_configuration", body["default_room_configuration"])
			problems.Merge(err)
			u.DefaultRoomConfiguration = cfg
		}
		if err := problems.Err(); err != nil {
			return err
		}
		if err := s.Users.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, userJSON(u))
		return nil
	})
}
