package httpapi_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/cache"
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

var testRoomPattern = regexp.MustCompile(`^connection-test-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// withConnectionTest turns diagnostics/connection/ on with the reference's
// defaults and a real token issuer.
func withConnectionTest(enabled bool, throttle httpapi.Limiter) envOption {
	return withDeps(func(d *httpapi.Deps) {
		d.Limiter = throttle
		d.ConnectionTest = &httpapi.ConnectionTest{
			Settings: config.ConnectionTest{Enabled: enabled, TokenTTL: 300 * time.Second, RoomPrefix: "connection-test", PerMinute: 30},
			Tokens:   livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL}),
		}
	})
}

// TestConnectionTest checks, for every kind of caller, the reference's
// connection test: a new throwaway room per call, a five-minute token named
// "Connection Test", the caller's identity when signed in, never admin.
func TestConnectionTest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withConnectionTest(true, nil))
		cs := env.newCast(t, rooms.Restricted, rooms.Configuration{"can_publish_sources": []any{}})
		for _, who := range personas {
			t.Run(who, func(t *testing.T) {
				c := cs.clients[who]
				seen := map[string]bool{}
				for range 2 {
					r := c.do(t, http.MethodPost, "/diagnostics/connection/", nil)
					if r.status != http.StatusOK {
						t.Fatalf("%d %s", r.status, r.body)
					}
					room := r.decoded(t).(map[string]any)["livekit"].(map[string]any)["room"].(string)
					if !testRoomPattern.MatchString(room) || seen[room] {
						t.Fatalf("room %q: not a fresh connection-test-<uuid>", room)
					}
					seen[room] = true
					toks := expect(t, r, http.StatusOK, map[string]any{
						"livekit": map[string]any{"url": lkURL, "room": room, "token": tokenMarker, "expires_in": 300},
					})
					tok := toks[0]
					identity, authenticated := "", "false"
					if c.user != nil {
						identity, authenticated = c.user.Sub, "true"
					}
					if identity == "" && !uuidPattern.MatchString(tok.Identity) || identity != "" && tok.Identity != identity {
						t.Errorf("identity %q, want %q (or a random UUID for guests)", tok.Identity, identity)
					}
					want := lkToken{
						Identity: tok.Identity, Name: "Connection Test", Video: videoGrant(room, false, allSources),
						Attributes: map[string]string{"color": rooms.ColorFor(tok.Identity), "is_authenticated": authenticated},
						TTL:        300 * time.Second,
					}
					if diff := cmp.Diff(want, tok); diff != "" {
						t.Errorf("token (-want +got):\n%s", diff)
					}
					if got := r.header.Get("Cache-Control"); got != "no-store" {
						t.Errorf("Cache-Control %q, want no-store", got)
					}
				}
			})
		}
		t.Run("GET is refused", func(t *testing.T) {
			r := env.anonymous().do(t, http.MethodGet, "/diagnostics/connection/", nil)
			expect(t, r, http.StatusMethodNotAllowed, detail(`Method "GET" not allowed.`))
			if got := r.header.Get("Allow"); got != "POST" {
				t.Fatalf("Allow %q", got)
			}
		})
	})
}

// TestConnectionTestDisabled checks the reference's feature flag: 404 for
// every caller when the connection test is off, and GET still 405.
func TestConnectionTestDisabled(t *testing.T) {
	for name, opt := range map[string]envOption{
		"switched off":   withConnectionTest(false, nil),
		"not configured": withDeps(func(*httpapi.Deps) {}),
	} {
		t.Run(name, func(t *testing.T) {
			env := newAPIEnv(t, storagetest.Engines(t)[0], opt)
			cs := env.newCast(t, rooms.Public, nil)
			for _, who := range personas {
				expect(t, cs.clients[who].do(t, http.MethodPost, "/diagnostics/connection/", nil), http.StatusNotFound, detail("Not found."))
			}
			expect(t, env.anonymous().do(t, http.MethodGet, "/diagnostics/connection/", nil), http.StatusMethodNotAllowed, detail(`Method "GET" not allowed.`))
		})
	}
}

// TestConnectionTestThrottle checks the reference's 30 tests a minute, per
// user when signed in and per client address otherwise.
func TestConnectionTestThrottle(t *testing.T) {
	limiter := cache.NewLimiterMemory(func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) })
	env := newAPIEnv(t, storagetest.Engines(t)[0], withConnectionTest(true, limiter))
	send := func(c *apiClient, addr string) reply {
		req := c.request(t, http.MethodPost, "/diagnostics/connection/", nil)
		req.RemoteAddr = addr + ":40000"
		return env.serve(req)
	}
	alice, bob := env.userClient(t, "alice"), env.userClient(t, "bob")
	for i := range 30 {
		if r := send(env.anonymous(), "198.51.100.7"); r.status != http.StatusOK {
			t.Fatalf("guest request %d: %d", i+1, r.status)
		}
		if r := send(alice, "198.51.100.7"); r.status != http.StatusOK {
			t.Fatalf("alice request %d: %d", i+1, r.status)
		}
	}
	for _, c := range []*apiClient{env.anonymous(), alice} {
		r := send(c, "198.51.100.7")
		expect(t, r, http.StatusTooManyRequests, detail("Request was throttled. Expected available in 60 seconds."))
		if got := r.header.Get("Retry-After"); got != "60" {
			t.Fatalf("Retry-After %q", got)
		}
	}
	// Another user behind the same address, and another address, are not held back.
	if r := send(bob, "198.51.100.7"); r.status != http.StatusOK {
		t.Fatalf("bob: %d", r.status)
	}
	if r := send(env.anonymous(), "198.51.100.8"); r.status != http.StatusOK {
		t.Fatalf("other guest: %d", r.status)
	}
}
