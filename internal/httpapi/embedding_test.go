package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/storage/storagetest"
	"meet/web"
)

// TestEmbeddingHeadersAndCookies checks framing headers and the SameSite of
// the session, CSRF and lobby cookies with embedding off (today's
// behaviour), on over http (cookies unchanged: SameSite=None needs Secure)
// and on over https.
func TestEmbeddingHeadersAndCookies(t *testing.T) {
	tests := []struct {
		name           string
		public         string
		ancestors      []string
		wantXFO        string
		wantAncestors  string
		wantSameSite   http.SameSite
		wantSecure     bool
		wantRawSetting string
	}{
		{"embedding off", "https://meet.test", nil, "DENY", "frame-ancestors 'none'", http.SameSiteLaxMode, true, "SameSite=Lax"},
		{"embedding on over http", "http://meet.test", []string{"http://app.test"}, "", "frame-ancestors http://app.test", http.SameSiteLaxMode, false, "SameSite=Lax"},
		{"embedding on over https", "https://meet.test", []string{"https://app.test", "https://*.example.org"}, "",
			"frame-ancestors https://app.test https://*.example.org", http.SameSiteNoneMode, true, "SameSite=None"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
				d.PublicURL, _ = url.Parse(tt.public)
				d.FrameAncestors = tt.ancestors
				d.Web = web.Handler(t.TempDir(), slog.New(slog.DiscardHandler), tt.ancestors)
				d.Lobby = lobby.NewService(lobby.Deps{Rooms: d.Rooms, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
					Limiter: cache.NewLimiterMemory(nil), Log: d.Log}, lobby.Options{ThrottleLimit: -1, WaitingTTL: time.Hour})
			}))
			// The app's page and an API reply.
			page := env.serve(httpRequest(http.MethodGet, "/some-room"))
			if got := page.header.Get("X-Frame-Options"); got != tt.wantXFO {
				t.Errorf("page X-Frame-Options = %q, want %q", got, tt.wantXFO)
			}
			if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, tt.wantAncestors+";") && !strings.HasSuffix(csp, tt.wantAncestors) {
				t.Errorf("page CSP = %q, want %q", csp, tt.wantAncestors)
			}
			api := env.anonymous().do(t, http.MethodGet, "/config/", nil)
			if got := api.header.Get("X-Frame-Options"); got != tt.wantXFO {
				t.Errorf("API X-Frame-Options = %q, want %q", got, tt.wantXFO)
			}

			// CSRF cookie of a signed-in user, stale session cookie cleared,
			// lobby cookie of a guest.
			owner := env.userClient(t, "olga")
			me := owner.request(t, http.MethodGet, "/users/me/", nil)
			me.Header.Del("Cookie")
			me.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: owner.session})
			cookies := env.serve(me).header.Values("Set-Cookie")
			stale := env.anonymous().request(t, http.MethodGet, "/users/me/", nil)
			stale.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: "no-such-session"})
			cookies = append(cookies, env.serve(stale).header.Values("Set-Cookie")...)
			room := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Embedded", "access_level": "restricted"})
			id, _ := room.decoded(t).(map[string]any)["id"].(string)
			knock := env.anonymous().do(t, http.MethodPost, "/rooms/"+id+"/request-entry/", map[string]string{"username": "Guest"})
			if knock.status != http.StatusOK {
				t.Fatalf("request-entry = %d %s", knock.status, knock.body)
			}
			cookies = append(cookies, knock.header.Values("Set-Cookie")...)

			seen := map[string]bool{}
			for _, raw := range cookies {
				c, err := http.ParseSetCookie(raw)
				if err != nil {
					t.Fatalf("Set-Cookie %q: %v", raw, err)
				}
				seen[c.Name] = true
				if c.SameSite != tt.wantSameSite || c.Secure != tt.wantSecure || !strings.Contains(raw, tt.wantRawSetting) {
					t.Errorf("cookie %s: %q, want %s and Secure=%v", c.Name, raw, tt.wantRawSetting, tt.wantSecure)
				}
			}
			for _, name := range []string{httpapi.CSRFCookie, httpapi.SessionCookie, httpapi.LobbyCookie} {
				if !seen[name] {
					t.Errorf("no %s cookie among %q", name, cookies)
				}
			}
		})
	}
}

// httpRequest is a request outside the API.
func httpRequest(method, path string) *http.Request {
	r, _ := http.NewRequest(method, "http://meet.test"+path, io.NopCloser(strings.NewReader("")))
	r.RequestURI = path
	return r
}
