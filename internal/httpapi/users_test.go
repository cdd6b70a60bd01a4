package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// meWant is users/me/'s body for u.
func meWant(u *users.User) map[string]any {
	level := any(nil)
	if u.DefaultRoomAccessLevel != "" {
		level = string(u.DefaultRoomAccessLevel)
	}
	cfg := any(map[string]any{})
	if len(u.DefaultRoomConfiguration) > 0 {
		cfg = u.DefaultRoomConfiguration
	}
	return map[string]any{
		"id": u.ID, "email": u.Email, "full_name": u.FullName, "short_name": u.ShortName,
		"timezone": u.Timezone, "language": u.Language,
		"default_room_access_level": level, "default_room_configuration": cfg,
	}
}

func (e *apiEnv) storedUser(t *testing.T, id string) *users.User {
	t.Helper()
	u, err := e.db.UserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserMe(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		t.Run("anonymous", func(t *testing.T) {
			r := env.anonymous().do(t, http.MethodGet, "/users/me/", nil)
			expect(t, r, http.StatusUnauthorized, detail(noCredentials))
			if got := r.header.Get("WWW-Authenticate"); got != "Session" {
				t.Fatalf("WWW-Authenticate %q, want Session", got)
			}
		})
		t.Run("signed in", func(t *testing.T) {
			cl := env.userClient(t, "maya")
			expect(t, cl.do(t, http.MethodGet, "/users/me/", nil), http.StatusOK, map[string]any{
				"id": cl.user.ID, "email": "maya@example.com", "full_name": "Maya Doe", "short_name": "maya",
				"timezone": "UTC", "language": "en-us", "default_room_access_level": nil, "default_room_configuration": map[string]any{},
			})
		})
		t.Run("an inactive user's session is anonymous", func(t *testing.T) {
			cl := env.userClient(t, "ines")
			u := *cl.user
			u.IsActive = false
			if err := env.db.UpdateUser(context.Background(), &u); err != nil {
				t.Fatal(err)
			}
			expect(t, cl.do(t, http.MethodGet, "/users/me/", nil), http.StatusUnauthorized, detail(noCredentials))
		})
	})
}

func TestUserList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		cl := env.userClient(t, "lisa")
		luke := env.newUser(t, "luke")
		empty := map[string]any{"count": float64(0), "next": nil, "previous": nil, "results": []any{}}
		expect(t, env.anonymous().do(t, http.MethodGet, "/users/", nil), http.StatusUnauthorized, detail(noCredentials))
		expect(t, env.anonymous().do(t, http.MethodGet, "/users/?q=luke@example.com", nil), http.StatusUnauthorized, detail(noCredentials))
		// No listing: a name, a part of an address or nothing finds nobody.
		for _, q := range []string{"", "luke", "example.com", "luke@", "%25@example.com"} {
			expect(t, cl.do(t, http.MethodGet, "/users/?q="+q, nil), http.StatusOK, empty)
		}
		// A whole address (any case, spaces around) finds that account, with
		// who it is and nothing of its preferences.
		stored := env.storedUser(t, luke.ID)
		found := map[string]any{"count": float64(1), "next": nil, "previous": nil, "results": []any{map[string]any{
			"id": luke.ID, "email": "luke@example.com", "full_name": "Luke Doe", "short_name": "luke",
			"timezone": stored.Timezone, "language": stored.Language,
		}}}
		expect(t, cl.do(t, http.MethodGet, "/users/?q=LUKE@example.com", nil), http.StatusOK, found)
		expect(t, cl.do(t, http.MethodGet, "/users/?q=%20luke@example.com%20", nil), http.StatusOK, found)
		expect(t, cl.do(t, http.MethodGet, "/users/?q=nobody@example.com", nil), http.StatusOK, empty)
		// An inactive account is not found.
		u := *luke
		u.IsActive = false
		if err := env.db.UpdateUser(context.Background(), &u); err != nil {
			t.Fatal(err)
		}
		expect(t, cl.do(t, http.MethodGet, "/users/?q=luke@example.com", nil), http.StatusOK, empty)
	})
}

// TestUserLookupIsThrottled checks that one account may look up 30
// addresses a minute, so the exact-address search cannot list accounts.
func TestUserLookupIsThrottled(t *testing.T) {
	for _, k := range limiterKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			clock := &manualClock{t: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
			env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) { d.Limiter = k.make(t, clock.Now) }))
			cl, other := env.userClient(t, "tess"), env.userClient(t, "theo")
			for i := range 30 {
				if r := cl.do(t, http.MethodGet, "/users/?q=someone@example.com", nil); r.status != http.StatusOK {
					t.Fatalf("lookup %d: status %d", i+1, r.status)
				}
			}
			expectThrottled(t, cl.do(t, http.MethodGet, "/users/?q=someone@example.com", nil), "60")
			if r := other.do(t, http.MethodGet, "/users/?q=someone@example.com", nil); r.status != http.StatusOK {
				t.Fatalf("another account's lookup: status %d", r.status)
			}
		})
	}
}

func TestUserMethodsNotAllowed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		cl := env.userClient(t, "nina")
		for _, tc := range []struct {
			c            *apiClient
			method, path string
			allow        string
		}{
			{cl, http.MethodGet, "/users/" + cl.user.ID + "/", "PUT, PATCH"},
			{env.anonymous(), http.MethodGet, "/users/" + cl.user.ID + "/", "PUT, PATCH"},
			{cl, http.MethodDelete, "/users/" + cl.user.ID + "/", "PUT, PATCH"},
			{cl, http.MethodPost, "/users/", "GET"},
		} {
			t.Run(tc.method+" "+tc.path, func(t *testing.T) {
				r := tc.c.do(t, tc.method, tc.path, nil)
				expect(t, r, http.StatusMethodNotAllowed, detail(`Method "`+tc.method+`" not allowed.`))
				if got := r.header.Get("Allow"); got != tc.allow {
					t.Fatalf("Allow %q, want %q", got, tc.allow)
				}
			})
		}
		if u := env.storedUser(t, cl.user.ID); !u.IsActive {
			t.Fatal("DELETE deactivated the user")
		}
	})
}

func TestUserUpdate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)

		for _, method := range []string{http.MethodPut, http.MethodPatch} {
			t.Run(method+"/self", func(t *testing.T) {
				cl := env.userClient(t, "self"+strings.ToLower(method))
				r := cl.do(t, method, "/users/"+cl.user.ID+"/", map[string]any{
					"timezone": "Europe/Paris", "language": "fr-fr", "default_room_access_level": "restricted",
					"default_room_configuration": map[string]any{"can_publish_sources": []any{"microphone"}, "everyone_can_mute": nil},
					"email":                      "changed@example.com", "full_name": "Changed", "id": "00000000-0000-4000-8000-000000000000",
				})
				want := *cl.user
				want.Timezone, want.Language, want.DefaultRoomAccessLevel = "Europe/Paris", "fr-fr", rooms.Restricted
				want.DefaultRoomConfiguration = rooms.Configuration{"can_publish_sources": []any{"microphone"}, "everyone_can_mute": nil}
				expect(t, r, http.StatusOK, meWant(&want))
				stored := env.storedUser(t, cl.user.ID)
				if diff := cmp.Diff(asJSON(t, meWant(&want)), asJSON(t, meWant(stored))); diff != "" {
					t.Fatalf("stored user (-want +got):\n%s", diff)
				}
				expect(t, cl.do(t, http.MethodGet, "/users/me/", nil), http.StatusOK, meWant(&want))
			})
		}

		t.Run("PUT with no field changes nothing", func(t *testing.T) {
			cl := env.userClient(t, "putempty")
			expect(t, cl.do(t, http.MethodPut, "/users/"+strings.ReplaceAll(cl.user.ID, "-", "")+"/", map[string]any{}), http.StatusOK, meWant(cl.user))
		})

		t.Run("a null default access level clears it", func(t *testing.T) {
			cl := env.userClient(t, "clearlevel")
			if r := cl.do(t, http.MethodPatch, "/users/"+cl.user.ID+"/", map[string]any{"default_room_access_level": "trusted"}); r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			expect(t, cl.do(t, http.MethodPatch, "/users/"+cl.user.ID+"/", map[string]any{"default_room_access_level": nil}), http.StatusOK, meWant(cl.user))
			if got := env.storedUser(t, cl.user.ID).DefaultRoomAccessLevel; got != "" {
				t.Fatalf("stored level %q", got)
			}
		})

		t.Run("others may not", func(t *testing.T) {
			target := env.newUser(t, "target")
			for _, tc := range []struct {
				name   string
				c      *apiClient
				status int
				msg    string
			}{
				{"anonymous", env.anonymous(), http.StatusUnauthorized, noCredentials},
				{"another user", env.userClient(t, "intruder"), http.StatusForbidden, genericForbidden},
			} {
				for _, method := range []string{http.MethodPut, http.MethodPatch} {
					t.Run(tc.name+"/"+method, func(t *testing.T) {
						expect(t, tc.c.do(t, method, "/users/"+target.ID+"/", map[string]any{"language": "de-de"}), tc.status, detail(tc.msg))
						if got := env.storedUser(t, target.ID).Language; got != "en-us" {
							t.Fatalf("language changed to %q", got)
						}
					})
				}
			}
			cl := env.userClient(t, "wrongid")
			expect(t, cl.do(t, http.MethodPatch, "/users/me/", map[string]any{"language": "de-de"}), http.StatusMethodNotAllowed, detail(`Method "PATCH" not allowed.`))
			expect(t, cl.do(t, http.MethodPatch, "/users/not-a-uuid/", map[string]any{"language": "de-de"}), http.StatusForbidden, detail(genericForbidden))
		})

		t.Run("validation", func(t *testing.T) {
			cl := env.userClient(t, "validator")
			for _, tc := range []struct {
				name string
				body any
				want map[string]any
			}{
				{"language", map[string]any{"language": "xx-yy"}, fields("language", `"xx-yy" is not a valid choice.`)},
				{"language null", map[string]any{"language": nil}, fields("language", "This field may not be null.")},
				{"timezone", map[string]any{"timezone": "Mars/Olympus_Mons"}, fields("timezone", `"Mars/Olympus_Mons" is not a valid choice.`)},
				{"timezone Local", map[string]any{"timezone": "Local"}, fields("timezone", `"Local" is not a valid choice.`)},
				{"timezone number", map[string]any{"timezone": 2}, fields("timezone", `"2" is not a valid choice.`)},
				{"access level", map[string]any{"default_room_access_level": "secret"}, fields("default_room_access_level", `"secret" is not a valid choice.`)},
				{"configuration extra key", map[string]any{"default_room_configuration": map[string]any{"foo": 1}},
					fields("default_room_configuration", "foo: Extra inputs are not permitted.")},
				{"configuration wrong type", map[string]any{"default_room_configuration": map[string]any{"can_publish_sources": "camera"}},
					fields("default_room_configuration", "can_publish_sources: Input should be a valid list of strings.")},
				{"every problem at once", map[string]any{"language": "xx", "timezone": "Nowhere", "default_room_configuration": map[string]any{"everyone_can_mute": 1}},
					fields("language", `"xx" is not a valid choice.`, "timezone", `"Nowhere" is not a valid choice.`,
						"default_room_configuration", "everyone_can_mute: Input should be a valid boolean.")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, cl.do(t, http.MethodPatch, "/users/"+cl.user.ID+"/", tc.body), http.StatusBadRequest, tc.want)
					if diff := cmp.Diff(asJSON(t, meWant(cl.user)), asJSON(t, meWant(env.storedUser(t, cl.user.ID)))); diff != "" {
						t.Fatalf("refused update changed the user (-want +got):\n%s", diff)
					}
				})
			}
		})
	})
}
