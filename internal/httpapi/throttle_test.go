package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth"
	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// limiterKind is one implementation of the rate limiter the API runs on.
type limiterKind struct {
	name string
	// make returns a limiter; the in-memory one reads now, Redis its own clock.
	make func(t *testing.T, now func() time.Time) httpapi.Limiter
	// clocked reports whether advancing now moves the limiter's time.
	clocked bool
}

// limiterKinds lists the in-memory limiter always and the Redis one when
// MEET_TEST_REDIS_URL is set (each Redis limiter gets a fresh key prefix,
// deleted at cleanup).
func limiterKinds(t *testing.T) []limiterKind {
	kinds := []limiterKind{{name: "memory", clocked: true, make: func(_ *testing.T, now func() time.Time) httpapi.Limiter {
		return cache.NewLimiterMemory(now)
	}}}
	url := os.Getenv("MEET_TEST_REDIS_URL")
	if url == "" {
		t.Log("MEET_TEST_REDIS_URL not set: Redis limiter not tested")
		return kinds
	}
	return append(kinds, limiterKind{name: "redis", make: func(t *testing.T, _ func() time.Time) httpapi.Limiter {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		prefix := "meettest:" + auth.NewSessionID()[:16] + ":"
		t.Cleanup(func() {
			ctx := context.Background()
			// Test cleanup only: production code never scans the keyspace.
			iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
			_ = rdb.Close()
		})
		return cache.NewLimiterRedis(rdb, prefix)
	}})
}

// manualClock is a clock that moves only when told.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *manualClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// expectThrottled checks a 429 with the reference's body and a Retry-After
// header of the same number of seconds.
func expectThrottled(t *testing.T, r reply, secs string) {
	t.Helper()
	unit := " seconds."
	if secs == "1" {
		unit = " second."
	}
	expect(t, r, http.StatusTooManyRequests, detail("Request was throttled. Expected available in "+secs+unit))
	if got := r.header.Get("Retry-After"); got != secs {
		t.Fatalf("Retry-After %q, want %q", got, secs)
	}
}

// TestRoomCreationThrottled checks the per-user limit on POST rooms/: past
// it, 429 with DRF's throttle body and Retry-After, counted per user, after
// authentication (anonymous callers still get 401) and before the body is
// read (an invalid body counts too).
func TestRoomCreationThrottled(t *testing.T) {
	for _, k := range limiterKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			clock := &manualClock{t: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
			env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
				d.Limiter, d.RoomCreationPerMinute = k.make(t, clock.Now), 3
			}))
			alice, bob := env.userClient(t, "alice"), env.userClient(t, "bob")
			create := func(c *apiClient, body any) reply { return c.do(t, http.MethodPost, "/rooms/", body) }
			for i := range 2 {
				if r := create(alice, map[string]any{"name": "Room " + string(rune('A'+i))}); r.status != http.StatusCreated {
					t.Fatalf("room %d: %d %s", i+1, r.status, r.body)
				}
			}
			if r := create(alice, map[string]any{"name": ""}); r.status != http.StatusBadRequest {
				t.Fatalf("invalid room: %d %s, want 400", r.status, r.body)
			}
			expectThrottled(t, create(alice, map[string]any{"name": "Room D"}), "60")
			expectThrottled(t, create(alice, "not json"), "60")
			if n := env.roomCount(t, alice.user.ID); n != 2 {
				t.Fatalf("alice owns %d rooms, want 2", n)
			}
			if r := create(bob, map[string]any{"name": "Bob's"}); r.status != http.StatusCreated {
				t.Fatalf("another user is throttled: %d %s", r.status, r.body)
			}
			expect(t, create(env.anonymous(), map[string]any{"name": "x"}), http.StatusUnauthorized, detail(noCredentials))
			if !k.clocked {
				return
			}
			clock.Advance(time.Minute)
			if r := create(alice, map[string]any{"name": "Room E"}); r.status != http.StatusCreated {
				t.Fatalf("after a minute: %d %s", r.status, r.body)
			}
		})
	}
}

// TestEveryThrottleHasRetryAfter checks that a 429 whose error carries no
// wait still tells the client when to come back.
func TestEveryThrottleHasRetryAfter(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
		d.Limiter, d.RoomCreationPerMinute = refusingLimiter{}, 1
	}))
	expectThrottled(t, env.userClient(t, "alice").do(t, http.MethodPost, "/rooms/", map[string]any{"name": "x"}), "1")
}

// refusingLimiter refuses everything without saying for how long.
type refusingLimiter struct{}

func (refusingLimiter) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	return false, 0, nil
}

// postLogin sends a local-login from client (the X-Test-Client address).
func (e *localEnv) postLogin(t *testing.T, client, email, password string) page {
	t.Helper()
	return e.localLogin(t, newBrowser(t), client, creds(email, password))
}

// expectLoginThrottled checks a 429 on local-login with a wait of secs.
func expectLoginThrottled(t *testing.T, p page, secs string) {
	t.Helper()
	want := `{"detail":"Request was throttled. Expected available in ` + secs + ` seconds."}`
	if p.status != http.StatusTooManyRequests || strings.TrimSpace(p.body) != want || p.header.Get("Retry-After") != secs {
		t.Fatalf("local-login = %d %s (Retry-After %q), want 429 %s with Retry-After %s", p.status, p.body, p.header.Get("Retry-After"), want, secs)
	}
}

// TestLocalLoginLimits checks the login rate limits on each limiter: per
// e-mail and client bucket (so a stranger elsewhere cannot lock the user
// out), per client bucket with IPv6 counted by /64, and the global back-off
// per e-mail address.
func TestLocalLoginLimits(t *testing.T) {
	for _, k := range limiterKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			t.Run("a stranger cannot lock the user out", func(t *testing.T) {
				e := newLocalEnvWith(t, func(e *localEnv) local.Limiter { return k.make(t, e.clock) })
				for i := range local.DefaultPerAccountClient {
					if p := e.postLogin(t, "203.0.113.7", "alice@example.com", "guess"); p.status != http.StatusUnauthorized {
						t.Fatalf("guess %d: %d %s", i+1, p.status, p.body)
					}
				}
				// The stranger is stopped, right password or not...
				expectLoginThrottled(t, e.postLogin(t, "203.0.113.7", "ALICE@example.com", "wonderland"), "60")
				// ...and Alice, elsewhere, signs in.
				if p := e.postLogin(t, "198.51.100.20", "alice@example.com", "wonderland"); p.status != http.StatusNoContent {
					t.Fatalf("alice from her own address: %d %s", p.status, p.body)
				}
				if !k.clocked {
					return
				}
				e.advance(time.Minute)
				if p := e.postLogin(t, "203.0.113.7", "alice@example.com", "wonderland"); p.status != http.StatusNoContent {
					t.Fatalf("after a minute: %d %s", p.status, p.body)
				}
			})
			t.Run("IPv6 clients count by /64", func(t *testing.T) {
				e := newLocalEnvWith(t, func(e *localEnv) local.Limiter { return k.make(t, e.clock) })
				for i := range local.DefaultPerClient {
					addr := fmt.Sprintf("2001:db8:1:2::%x", 0xa0+i)
					email := "user" + string(rune('a'+i)) + "@example.com"
					if p := e.postLogin(t, addr, email, "guess"); p.status != http.StatusUnauthorized {
						t.Fatalf("attempt %d from %s: %d %s", i+1, addr, p.status, p.body)
					}
				}
				expectLoginThrottled(t, e.postLogin(t, "2001:db8:1:2:ffff:ffff:ffff:ffff", "other@example.com", "guess"), "60")
				if p := e.postLogin(t, "2001:db8:1:3::1", "other@example.com", "guess"); p.status != http.StatusUnauthorized {
					t.Fatalf("the next /64: %d %s, want 401", p.status, p.body)
				}
			})
			t.Run("global back-off per account", func(t *testing.T) {
				e := newLocalEnvWith(t, func(e *localEnv) local.Limiter { return k.make(t, e.clock) })
				buckets := local.DefaultPerAccount / local.DefaultPerAccountClient
				for b := range buckets {
					for i := range local.DefaultPerAccountClient {
						client := fmt.Sprintf("192.0.2.%d", 10+b)
						if p := e.postLogin(t, client, "alice@example.com", "guess"); p.status != http.StatusUnauthorized {
							t.Fatalf("guess %d from %s: %d %s", i+1, client, p.status, p.body)
						}
					}
				}
				expectLoginThrottled(t, e.postLogin(t, "198.51.100.99", "alice@example.com", "wonderland"), "60")
				if p := e.postLogin(t, "198.51.100.99", "carol@example.com", "guess"); p.status != http.StatusUnauthorized {
					t.Fatalf("another account: %d %s, want 401", p.status, p.body)
				}
			})
		})
	}
}
