package httpapi_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// callbackStores returns the creation-callback stores to test with: in
// memory always, Redis when MEET_TEST_REDIS_URL is set.
func callbackStores(t *testing.T) map[string]rooms.CreationCallbacks {
	t.Helper()
	out := map[string]rooms.CreationCallbacks{"memory": cache.NewCreationCallbacksMemory(nil)}
	if u := os.Getenv("MEET_TEST_REDIS_URL"); u != "" {
		opts, err := redis.ParseURL(u)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		prefix := "meettest:" + rooms.NewID() + ":"
		t.Cleanup(func() {
			ctx := context.Background()
			iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
			_ = rdb.Close()
		})
		out["redis"] = cache.NewCreationCallbacksRedis(rdb, prefix)
	}
	return out
}

func callbackFound(slug string) map[string]any {
	return map[string]any{"status": "success", "room": map[string]any{"slug": slug}}
}

var callbackEmpty = map[string]any{"status": "success", "room": map[string]any{}}

// TestCreationCallback follows a room created with a callback_id to the
// window that polls for it, for every kind of caller, on both engines and
// both cache stores.
func TestCreationCallback(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		for name, store := range callbackStores(t) {
			t.Run(name, func(t *testing.T) {
				env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) { d.CreationCallbacks = store }))
				owner := env.userClient(t, "cora")
				cs := env.newCast(t, rooms.Public, nil)

				for _, who := range personas {
					t.Run(who, func(t *testing.T) {
						id := "cb-" + rooms.NewID()
						created := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Sync " + id, "callback_id": id})
						if created.status != http.StatusCreated {
							t.Fatalf("create: %d %s", created.status, created.body)
						}
						slug := created.decoded(t).(map[string]any)["slug"].(string)
						poller := cs.clients[who]
						expect(t, poller.do(t, http.MethodPost, "/rooms/creation-callback/", map[string]any{"callback_id": id}), http.StatusOK, callbackFound(slug))
						// Read once.
						expect(t, poller.do(t, http.MethodPost, "/rooms/creation-callback/", map[string]any{"callback_id": id}), http.StatusOK, callbackEmpty)
					})
				}

				t.Run("unknown id", func(t *testing.T) {
					expect(t, env.anonymous().do(t, http.MethodPost, "/rooms/creation-callback/", map[string]any{"callback_id": "nobody-made-this"}), http.StatusOK, callbackEmpty)
				})

				t.Run("no callback_id stores nothing", func(t *testing.T) {
					for _, id := range []any{"", nil} {
						r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Plain " + rooms.NewID(), "callback_id": id})
						if r.status != http.StatusCreated {
							t.Fatalf("callback_id %#v: %d %s", id, r.status, r.body)
						}
					}
					if m, ok := store.(*cache.CreationCallbacksMemory); ok && m.Len() != 0 {
						t.Fatalf("%d results stored without a callback_id", m.Len())
					}
				})

				t.Run("the route wins over a room named creation-callback", func(t *testing.T) {
					r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Creation Callback"})
					if r.status != http.StatusCreated {
						t.Fatalf("create: %d %s", r.status, r.body)
					}
					expect(t, owner.do(t, http.MethodPost, "/rooms/creation-callback/", map[string]any{"callback_id": "x"}), http.StatusOK, callbackEmpty)
				})
			})
		}
	})
}

// TestCreationCallbackValidation pins the reference's 400 bodies, and that
// a room is not created when its callback_id is refused.
func TestCreationCallbackValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		store := cache.NewCreationCallbacksMemory(nil)
		env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) { d.CreationCallbacks = store }))
		anon := env.anonymous()
		long := strings.Repeat("x", rooms.MaxCallbackIDLength+1)
		for _, tc := range []struct {
			name string
			body any
			want map[string]any
		}{
			{"missing", map[string]any{}, fields("callback_id", "This field is required.")},
			{"empty body", nil, fields("callback_id", "This field is required.")},
			{"null", map[string]any{"callback_id": nil}, fields("callback_id", "This field may not be null.")},
			{"blank", map[string]any{"callback_id": ""}, fields("callback_id", "This field may not be blank.")},
			{"number", map[string]any{"callback_id": 12}, fields("callback_id", "Not a valid string.")},
			{"object", map[string]any{"callback_id": map[string]any{}}, fields("callback_id", "Not a valid string.")},
			{"too long", map[string]any{"callback_id": long}, fields("callback_id", "Ensure this field has no more than 255 characters.")},
			{"not an object", `["callback_id"]`, detail("JSON parse error - the body must be a JSON object.")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expect(t, anon.do(t, http.MethodPost, "/rooms/creation-callback/", tc.body), http.StatusBadRequest, tc.want)
			})
		}

		owner := env.userClient(t, "olga")
		t.Run("room creation refuses a bad callback_id", func(t *testing.T) {
			expect(t, owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Bad Callback", "callback_id": 7}),
				http.StatusBadRequest, fields("callback_id", "Not a valid string."))
			expect(t, owner.do(t, http.MethodPost, "/rooms/", map[string]any{"callback_id": long}), http.StatusBadRequest, map[string]any{
				"name":        []any{"This field is required."},
				"callback_id": []any{"Ensure this field has no more than 255 characters."},
			})
			if n := env.roomCount(t, owner.user.ID); n != 0 {
				t.Fatalf("%d rooms created", n)
			}
		})

		t.Run("other methods", func(t *testing.T) {
			for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
				r := owner.do(t, m, "/rooms/creation-callback/", nil)
				expect(t, r, http.StatusMethodNotAllowed, detail(`Method "`+m+`" not allowed.`))
				if got := r.header.Get("Allow"); got != "POST" {
					t.Fatalf("Allow %q", got)
				}
			}
		})

		t.Run("anonymous room creation is refused", func(t *testing.T) {
			expect(t, anon.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Anon", "callback_id": "a"}), http.StatusUnauthorized, detail(noCredentials))
			if n := store.Len(); n != 0 {
				t.Fatalf("%d results stored", n)
			}
		})
	})
}

// TestCreationCallbackThrottle checks the reference's 600 requests a
// minute per client address, with Retry-After.
func TestCreationCallbackThrottle(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	limiter := cache.NewLimiterMemory(func() time.Time { return clock.t })
	env := newAPIEnv(t, storagetest.Engines(t)[0], withDeps(func(d *httpapi.Deps) { d.Limiter = limiter }))
	send := func(addr string) reply {
		req := env.anonymous().request(t, http.MethodPost, "/rooms/creation-callback/", map[string]any{"callback_id": "poll"})
		req.RemoteAddr = addr + ":40000"
		return env.serve(req)
	}
	for i := range 600 {
		if r := send("192.0.2.1"); r.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := send("192.0.2.1")
	expect(t, r, http.StatusTooManyRequests, detail("Request was throttled. Expected available in 60 seconds."))
	if got := r.header.Get("Retry-After"); got != "60" {
		t.Fatalf("Retry-After %q, want 60", got)
	}
	expect(t, send("192.0.2.2"), http.StatusOK, callbackEmpty)
}
