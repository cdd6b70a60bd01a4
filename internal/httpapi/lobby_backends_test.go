package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// lobbyEnvConfig is what a lobbyEnv is built on besides its lobby options.
type lobbyEnvConfig struct {
	engine  storagetest.Engine
	backend func(t *testing.T, d *lobby.Deps) // replaces the in-memory store, broker and limiter
	deps    func(d *httpapi.Deps)
}

// lobbyEnvOption changes how a lobbyEnv is built.
type lobbyEnvOption func(*lobbyEnvConfig)

// withLobbyServerDeps changes the HTTP server's dependencies before it is built.
func withLobbyServerDeps(f func(d *httpapi.Deps)) lobbyEnvOption {
	return func(c *lobbyEnvConfig) { c.deps = f }
}

// lobbyBackend is one combination of database engine and lobby store.
type lobbyBackend struct {
	name string
	opts []lobbyEnvOption
}

// lobbyBackends returns SQLite with the in-memory lobby always, and
// PostgreSQL and Redis as far as MEET_TEST_DATABASE_URL and
// MEET_TEST_REDIS_URL are set.
func lobbyBackends(t *testing.T) []lobbyBackend {
	t.Helper()
	out := []lobbyBackend{{name: "sqlite+memory"}}
	pg := len(storagetest.Engines(t)) > 1
	rd := os.Getenv("MEET_TEST_REDIS_URL") != ""
	switch {
	case pg && rd:
		out = append(out, lobbyBackend{name: "postgres+redis", opts: []lobbyEnvOption{onEngine(storagetest.Postgres), onRedis()}})
	case pg:
		out = append(out, lobbyBackend{name: "postgres+memory", opts: []lobbyEnvOption{onEngine(storagetest.Postgres)}})
	case rd:
		out = append(out, lobbyBackend{name: "sqlite+redis", opts: []lobbyEnvOption{onRedis()}})
	}
	return out
}

// forEachLobbyBackend runs fn once per backend of lobbyBackends.
func forEachLobbyBackend(t *testing.T, fn func(t *testing.T, opts ...lobbyEnvOption)) {
	t.Helper()
	for _, b := range lobbyBackends(t) {
		t.Run(b.name, func(t *testing.T) { fn(t, b.opts...) })
	}
}

func onEngine(e storagetest.Engine) lobbyEnvOption {
	return func(c *lobbyEnvConfig) { c.engine = e }
}

// onRedis keeps the lobby, its events and its limiter in Redis
// (MEET_TEST_REDIS_URL), under a prefix unique to the test and removed after it.
func onRedis() lobbyEnvOption {
	return func(c *lobbyEnvConfig) {
		c.backend = func(t *testing.T, d *lobby.Deps) {
			opts, err := redis.ParseURL(os.Getenv("MEET_TEST_REDIS_URL"))
			if err != nil {
				t.Fatal(err)
			}
			rdb := redis.NewClient(opts)
			prefix := "meettest:" + rooms.NewID() + ":"
			ctx, cancel := context.WithCancel(context.Background())
			broker := cache.NewLobbyBrokerRedis(rdb, prefix+"ev:", nil)
			done := make(chan struct{})
			go func() { defer close(done); _ = broker.Run(ctx) }()
			t.Cleanup(func() {
				cancel()
				<-done
				// Test cleanup only: production code never scans the keyspace.
				iter := rdb.Scan(context.Background(), 0, prefix+"*", 1000).Iterator()
				for iter.Next(context.Background()) {
					rdb.Del(context.Background(), iter.Val())
				}
				_ = rdb.Close()
			})
			d.Store = cache.NewLobbyRedis(rdb, prefix+"lobby:", time.Hour)
			d.Broker = broker
			d.Limiter = cache.NewLimiterRedis(rdb, prefix+"limit:")
		}
	}
}

// doFrom is do with the request coming from the client address addr.
func (e *lobbyEnv) doFrom(addr string, c lobbyCaller, method, path, body, cookie string) (int, any, *http.Response) {
	e.t.Helper()
	r := e.request(c, method, path, body, cookie)
	r.RemoteAddr = addr
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w.Code, decodeBody(e.t, method, path, w), w.Result()
}

// decodeBody decodes a recorded JSON body, failing the test when it is not JSON.
func decodeBody(t *testing.T, method, path string, w *httptest.ResponseRecorder) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s %s: %d, body %q is not JSON", method, path, w.Code, w.Body.String())
	}
	return v
}

// tokenParts splits a lobbyTokens token: identity, colour, name, role.
func tokenParts(t *testing.T, body any) []string {
	t.Helper()
	lk, _ := body.(map[string]any)["livekit"].(map[string]any)
	tok, _ := lk["token"].(string)
	parts := strings.Split(tok, "|")
	if len(parts) != 4 {
		t.Fatalf("no token in %v", body)
	}
	return parts
}
