package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// servedBrowser serves env over a real listener and returns a browser (a
// client with a cookie jar that follows redirects as browsers do), signed in
// as c when c has a session.
func servedBrowser(t *testing.T, env *apiEnv, c *apiClient) (*browser, string) {
	t.Helper()
	ts := httptest.NewServer(env.srv)
	t.Cleanup(ts.Close)
	b := newBrowser(t)
	if c != nil && c.session != "" {
		u, _ := url.Parse(ts.URL)
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: httpapi.SessionCookie, Value: c.session, Path: "/"}})
	}
	return b, ts.URL
}

// hopPaths lists the path and query of every request the browser made.
func hopPaths(b *browser) []string {
	var out []string
	for _, u := range b.hops {
		out = append(out, u.RequestURI())
	}
	return out
}

// TestAppendSlashLikeABrowser follows, with a browser-like client, the calls
// La Suite Meet's front end makes without a trailing slash.
func TestAppendSlashLikeABrowser(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) {
			d.Web = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("home page")) })
		}))

		t.Run("anonymous users/me ends in 401", func(t *testing.T) {
			b, base := servedBrowser(t, env, nil)
			p := b.get(base + apiV1 + "/users/me")
			if want := []string{apiV1 + "/users/me", apiV1 + "/users/me/"}; !cmp.Equal(hopPaths(b), want) {
				t.Fatalf("hops %v, want %v", hopPaths(b), want)
			}
			expect(t, reply{status: p.status, header: p.header, body: []byte(p.body)}, http.StatusUnauthorized, detail(noCredentials))
		})

		t.Run("signed-in users/me ends in the user", func(t *testing.T) {
			c := env.userClient(t, "sally")
			b, base := servedBrowser(t, env, c)
			p := b.get(base + apiV1 + "/users/me")
			if p.status != http.StatusOK || p.url.Path != apiV1+"/users/me/" {
				t.Fatalf("%d at %s: %s", p.status, p.url, p.body)
			}
			var got map[string]any
			expect(t, reply{status: p.status, header: p.header, body: []byte(p.body)}, http.StatusOK, func() any {
				got = userJSON(c.user)
				got["default_room_access_level"] = nil
				got["default_room_configuration"] = map[string]any{}
				return got
			}())
		})

		t.Run("logout signs out through the redirect", func(t *testing.T) {
			c := env.userClient(t, "lou")
			b, base := servedBrowser(t, env, c)
			p := b.get(base + apiV1 + "/logout")
			if want := []string{apiV1 + "/logout", apiV1 + "/logout/", "/"}; !cmp.Equal(hopPaths(b), want) {
				t.Fatalf("hops %v, want %v", hopPaths(b), want)
			}
			if p.status != http.StatusOK || p.body != "home page" {
				t.Fatalf("landed on %d %q", p.status, p.body)
			}
			if r := c.do(t, http.MethodGet, "/users/me/", nil); r.status != http.StatusUnauthorized {
				t.Fatalf("session still valid after logout: %d", r.status)
			}
		})

		t.Run("the query string is kept", func(t *testing.T) {
			b, base := servedBrowser(t, env, nil)
			p := b.get(base + apiV1 + "/rooms?page=1&page_size=5&q=a%2Fb")
			if want := []string{apiV1 + "/rooms?page=1&page_size=5&q=a%2Fb", apiV1 + "/rooms/?page=1&page_size=5&q=a%2Fb"}; !cmp.Equal(hopPaths(b), want) {
				t.Fatalf("hops %v, want %v", hopPaths(b), want)
			}
			expect(t, reply{status: p.status, header: p.header, body: []byte(p.body)}, http.StatusOK,
				map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
		})

		t.Run("no redirect when the slashed path is no route", func(t *testing.T) {
			b, base := servedBrowser(t, env, nil)
			p := b.get(base + apiV1 + "/roomkit/join?x=1")
			if len(b.hops) != 1 {
				t.Fatalf("hops %v, want none after the first", hopPaths(b))
			}
			expect(t, reply{status: p.status, header: p.header, body: []byte(p.body)}, http.StatusNotFound, detail("Not found."))
		})
	})
}

// TestAppendSlashAnswers pins the redirect itself: 301 with a relative
// Location for GET and HEAD, 404 for the methods whose body a redirect
// would lose, nothing for paths outside the API.
func TestAppendSlashAnswers(t *testing.T) {
	env := newAPIEnv(t, storagetest.Engines(t)[0])
	for _, tc := range []struct {
		method, path string
		status       int
		location     string
	}{
		{http.MethodGet, "/users/me", http.StatusMovedPermanently, apiV1 + "/users/me/"},
		{http.MethodHead, "/users/me", http.StatusMovedPermanently, apiV1 + "/users/me/"},
		{http.MethodGet, "/logout?next=%2Fx", http.StatusMovedPermanently, apiV1 + "/logout/?next=%2Fx"},
		{http.MethodGet, "/rooms/some-room", http.StatusMovedPermanently, apiV1 + "/rooms/some-room/"},
		// The slashed path is a route for POST only: Django redirects, then
		// the method is refused there.
		{http.MethodGet, "/rooms/creation-callback", http.StatusMovedPermanently, apiV1 + "/rooms/creation-callback/"},
		{http.MethodGet, "/files", http.StatusMovedPermanently, apiV1 + "/files/"},
		{http.MethodGet, "/roomkit/join", http.StatusNotFound, ""},
		{http.MethodGet, "/rooms/a/b/c", http.StatusNotFound, ""},
		{http.MethodPost, "/rooms", http.StatusNotFound, ""},
		{http.MethodPost, "/logout", http.StatusNotFound, ""},
		{http.MethodPatch, "/users/me", http.StatusNotFound, ""},
		{http.MethodDelete, "/rooms/some-room", http.StatusNotFound, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := env.anonymous().do(t, tc.method, tc.path, nil)
			if r.status != tc.status || r.header.Get("Location") != tc.location {
				t.Fatalf("%d Location %q, want %d %q; body %s", r.status, r.header.Get("Location"), tc.status, tc.location, r.body)
			}
			if tc.status == http.StatusNotFound && tc.method != http.MethodHead {
				expect(t, r, http.StatusNotFound, detail("Not found."))
			}
		})
	}
}
