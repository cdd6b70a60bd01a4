package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

func TestRoutingErrors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		owner := c.clients[asOwner]

		t.Run("the trailing slash is required", func(t *testing.T) {
			// GET is sent to the slashed route, as Django's APPEND_SLASH does.
			for _, path := range []string{"/rooms", "/rooms/" + c.room.ID, "/rooms/" + c.room.Slug, "/users/me", "/resource-accesses", "/config"} {
				t.Run(path, func(t *testing.T) {
					r := owner.do(t, http.MethodGet, path, nil)
					if r.status != http.StatusMovedPermanently || r.header.Get("Location") != apiV1+path+"/" {
						t.Fatalf("%d Location %q, want 301 to the slashed path", r.status, r.header.Get("Location"))
					}
				})
			}
			expect(t, owner.do(t, http.MethodGet, "/nothing-here/", nil), http.StatusNotFound, detail("Not found."))
			// A PATCH without the slash reaches nothing, so nothing changes.
			expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID, map[string]any{"name": "Changed"}), http.StatusNotFound, detail("Not found."))
			if env.roomByID(t, c.room.ID).Name != c.room.Name {
				t.Fatal("a request without the trailing slash changed the room")
			}
		})

		t.Run("unsupported methods get 405 with Allow", func(t *testing.T) {
			for _, tc := range []struct{ method, path, allow string }{
				{http.MethodDelete, "/rooms/", "GET, POST"},
				{http.MethodPut, "/rooms/", "GET, POST"},
				{http.MethodPost, "/rooms/" + c.room.ID + "/", "GET, PUT, PATCH, DELETE"},
				{http.MethodPost, "/resource-accesses/" + c.accessID[asMember] + "/", "GET, PUT, PATCH, DELETE"},
				{http.MethodPatch, "/resource-accesses/", "GET, POST"},
				{http.MethodPost, "/users/me/", "GET"},
			} {
				t.Run(tc.method+" "+tc.path, func(t *testing.T) {
					r := owner.do(t, tc.method, tc.path, map[string]any{})
					expect(t, r, http.StatusMethodNotAllowed, detail(`Method "`+tc.method+`" not allowed.`))
					if got := r.header.Get("Allow"); got != tc.allow {
						t.Fatalf("Allow %q, want %q", got, tc.allow)
					}
				})
			}
			if env.roomByID(t, c.room.ID) == nil {
				t.Fatal("room gone")
			}
		})

		t.Run("unauthenticated calls get 401 with WWW-Authenticate: Session", func(t *testing.T) {
			anon := env.anonymous()
			for _, tc := range []struct{ method, path string }{
				{http.MethodPost, "/rooms/"},
				{http.MethodPut, "/rooms/" + c.room.ID + "/"},
				{http.MethodPatch, "/rooms/" + c.room.ID + "/"},
				{http.MethodDelete, "/rooms/" + c.room.ID + "/"},
				{http.MethodGet, "/resource-accesses/"},
				{http.MethodPost, "/resource-accesses/"},
				{http.MethodGet, "/users/me/"},
				{http.MethodGet, "/users/"},
			} {
				t.Run(tc.method+" "+tc.path, func(t *testing.T) {
					r := anon.do(t, tc.method, tc.path, map[string]any{"name": "x"})
					expect(t, r, http.StatusUnauthorized, detail(noCredentials))
					if got := r.header.Get("WWW-Authenticate"); got != "Session" {
						t.Fatalf("WWW-Authenticate %q, want Session", got)
					}
				})
			}
		})
	})
}

func TestCSRF(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		owner := c.clients[asOwner]
		newcomer := env.newUser(t, "newbie")
		unsafe := []struct {
			name, method, path string
			body               any
		}{
			{"create room", http.MethodPost, "/rooms/", map[string]any{"name": "CSRF Room"}},
			{"update room", http.MethodPatch, "/rooms/" + c.room.ID + "/", map[string]any{"name": "CSRF Rename"}},
			{"delete room", http.MethodDelete, "/rooms/" + c.room.ID + "/", nil},
			{"add access", http.MethodPost, "/resource-accesses/", map[string]any{"user": newcomer.ID, "resource": c.room.ID}},
			{"update user", http.MethodPatch, "/users/" + owner.user.ID + "/", map[string]any{"language": "de-de"}},
		}
		unchanged := func(t *testing.T) {
			t.Helper()
			if r := env.roomByID(t, c.room.ID); r == nil || r.Name != c.room.Name {
				t.Fatalf("room changed: %+v", r)
			}
			if env.roomCount(t, owner.user.ID) != 1 || env.roleOf(t, c.room.ID, newcomer.ID) != rooms.NoRole {
				t.Fatal("something was created")
			}
			if env.storedUser(t, owner.user.ID).Language != "en-us" {
				t.Fatal("user changed")
			}
		}
		for _, tc := range unsafe {
			t.Run(tc.name+"/missing token", func(t *testing.T) {
				req := owner.request(t, tc.method, tc.path, tc.body)
				req.Header.Del(httpapi.CSRFHeader)
				expect(t, env.serve(req), http.StatusForbidden, detail("CSRF Failed: CSRF token missing."))
				unchanged(t)
			})
			t.Run(tc.name+"/wrong token", func(t *testing.T) {
				req := owner.request(t, tc.method, tc.path, tc.body)
				req.Header.Set(httpapi.CSRFHeader, owner.csrf+"x")
				expect(t, env.serve(req), http.StatusForbidden, detail("CSRF Failed: CSRF token incorrect."))
				unchanged(t)
			})
			t.Run(tc.name+"/another session's token", func(t *testing.T) {
				req := owner.request(t, tc.method, tc.path, tc.body)
				req.Header.Set(httpapi.CSRFHeader, c.clients[asAdmin].csrf)
				expect(t, env.serve(req), http.StatusForbidden, detail("CSRF Failed: CSRF token incorrect."))
				unchanged(t)
			})
			t.Run(tc.name+"/cross-origin", func(t *testing.T) {
				req := owner.request(t, tc.method, tc.path, tc.body)
				req.Header.Set("Origin", "https://evil.example")
				expect(t, env.serve(req), http.StatusForbidden, detail("CSRF Failed: Origin checking failed."))
				unchanged(t)
			})
			t.Run(tc.name+"/cross-site fetch", func(t *testing.T) {
				req := owner.request(t, tc.method, tc.path, tc.body)
				req.Header.Set("Sec-Fetch-Site", "cross-site")
				expect(t, env.serve(req), http.StatusForbidden, detail("CSRF Failed: Origin checking failed."))
				unchanged(t)
			})
		}

		t.Run("anonymous requests are not CSRF-checked", func(t *testing.T) {
			expect(t, env.anonymous().do(t, http.MethodPost, "/rooms/", map[string]any{"name": "x"}), http.StatusUnauthorized, detail(noCredentials))
			// An unknown session is anonymous too, and its cookie is cleared.
			stale := &apiClient{env: env, session: "not-a-session"}
			r := stale.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "x"})
			expect(t, r, http.StatusUnauthorized, detail(noCredentials))
			cleared := false
			for _, ck := range r.cookies() {
				cleared = cleared || (ck.Name == httpapi.SessionCookie && ck.MaxAge < 0)
			}
			if !cleared {
				t.Fatalf("stale session cookie not cleared: %v", r.header["Set-Cookie"])
			}
		})

		t.Run("same-origin requests with the token go through", func(t *testing.T) {
			req := owner.request(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"access_level": "trusted"})
			req.Header.Set("Origin", testPublic)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if r := env.serve(req); r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})

		t.Run("safe methods are not checked", func(t *testing.T) {
			req := owner.request(t, http.MethodGet, "/rooms/"+c.room.ID+"/", nil)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			if r := env.serve(req); r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	})
}

func TestBadBodies(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		owner := c.clients[asOwner]
		const parseError = "JSON parse error - the body must be a JSON object."
		big := `{"name": "Big Room", "padding": "` + strings.Repeat("a", 1<<20) + `"}`
		for _, tc := range []struct {
			name string
			body string
			want map[string]any
		}{
			{"truncated", `{"name": "x"`, detail(parseError)},
			{"not JSON", `name=x`, detail(parseError)},
			{"array", `[{"name": "x"}]`, detail(parseError)},
			{"string", `"x"`, detail(parseError)},
			{"null", `null`, detail(parseError)},
			{"trailing data", `{"name": "x"} {"name": "y"}`, detail(parseError)},
			{"invalid UTF-8", "{\"name\": \"Caf\xe9\"}", detail(parseError)},
			{"over 1 MiB", big, detail("Request body is larger than 1048576 bytes.")},
			{"empty body", ``, fields("name", "This field is required.")},
			{"wrong types", `{"name": ["x"], "access_level": {"a": 1}, "configuration": 3}`,
				map[string]any{"name": []any{"Not a valid string."}, "access_level": []any{`"{"a": 1}" is not a valid choice.`}, "configuration": []any{"Input should be a valid dictionary."}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := owner.do(t, http.MethodPost, "/rooms/", tc.body)
				expect(t, r, http.StatusBadRequest, tc.want)
				if n := env.roomCount(t, owner.user.ID); n != 1 {
					t.Fatalf("%d rooms, want only the cast's", n)
				}
				r = owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", tc.body)
				if r.status != http.StatusBadRequest && !(tc.name == "empty body" && r.status == http.StatusOK) {
					t.Fatalf("PATCH: %d %s", r.status, r.body)
				}
				if got := env.roomByID(t, c.room.ID); got.Name != c.room.Name {
					t.Fatalf("room renamed to %q", got.Name)
				}
			})
		}
		t.Run("unsupported media type", func(t *testing.T) {
			req := owner.request(t, http.MethodPost, "/rooms/", `name=Form Room`)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			expect(t, env.serve(req), http.StatusUnsupportedMediaType, detail(`Unsupported media type "application/x-www-form-urlencoded" in request.`))
			if n := env.roomCount(t, owner.user.ID); n != 1 {
				t.Fatalf("%d rooms, want only the cast's", n)
			}
		})
		t.Run("just under 1 MiB is accepted", func(t *testing.T) {
			body := `{"name": "Almost Big", "padding": "` + strings.Repeat("a", 1<<20-64) + `"}`
			if r := owner.do(t, http.MethodPost, "/rooms/", body); r.status != http.StatusCreated {
				t.Fatalf("%d %.200s", r.status, r.body)
			}
		})
	})
}

// TestPanicsBecome500 checks that a handler panic reaches the client as the
// generic 500 body with a request id, and only the log gets the details.
func TestPanicsBecome500(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) {
			d.LiveKitWebhook = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom: secret detail") })
			d.Web = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("web boom: secret detail") })
		}))
		for path, method := range map[string]string{testPublic + apiV1 + "/rooms/webhooks-livekit/": http.MethodPost, testPublic + "/some/page": http.MethodGet} {
			t.Run(path, func(t *testing.T) {
				req := httptest.NewRequest(method, path, nil)
				req.Header.Set("X-Request-Id", "req-"+t.Name()[len(t.Name())-6:])
				r := env.serve(req)
				expect(t, r, http.StatusInternalServerError, detail("A server error occurred."))
				id := r.header.Get("X-Request-Id")
				if id != req.Header.Get("X-Request-Id") {
					t.Fatalf("X-Request-Id %q, want the caller's %q", id, req.Header.Get("X-Request-Id"))
				}
				for _, leak := range []string{"boom", "secret", "goroutine", ".go:"} {
					if strings.Contains(string(r.body), leak) {
						t.Fatalf("body leaks %q: %s", leak, r.body)
					}
				}
				logs := env.logs.String()
				if !strings.Contains(logs, `"request_id":"`+id+`"`) || !strings.Contains(logs, "secret detail") || !strings.Contains(logs, "goroutine") {
					t.Fatalf("the log lacks the panic, its stack or the request id:\n%s", logs)
				}
			})
		}
		t.Run("a request id is made up when none is sent", func(t *testing.T) {
			r := env.serve(httptest.NewRequest(http.MethodPost, testPublic+apiV1+"/rooms/webhooks-livekit/", nil))
			if r.status != http.StatusInternalServerError || len(r.header.Get("X-Request-Id")) < 8 {
				t.Fatalf("%d, X-Request-Id %q", r.status, r.header.Get("X-Request-Id"))
			}
		})
	})
}

// TestStoreFailuresAreHidden checks that a database failure is a generic 500
// whose cause stays in the log.
func TestStoreFailuresAreHidden(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		env.db.Close()
		r := env.anonymous().do(t, http.MethodGet, "/rooms/some-room/", nil)
		expect(t, r, http.StatusInternalServerError, detail("A server error occurred."))
		if !strings.Contains(env.logs.String(), "closed") {
			t.Fatalf("cause not logged:\n%s", env.logs.String())
		}
	})
}
