package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth"
	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/storage"
)

// TestUserCommandsEndSessions runs "meet user" as an operator would, with
// sessions in the database and, when MEET_TEST_REDIS_URL is set, in Redis:
// a session cookie that worked before passwd, disable or logout gets 401 on
// users/me/ after it, enable does not bring it back, and other users keep
// theirs.
func TestUserCommandsEndSessions(t *testing.T) {
	kinds := []struct{ name, redisURL string }{{"database", ""}}
	if u := os.Getenv("MEET_TEST_REDIS_URL"); u != "" {
		kinds = append(kinds, struct{ name, redisURL string }{"redis", u})
	} else {
		t.Log("MEET_TEST_REDIS_URL not set: Redis sessions not tested")
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			env := map[string]string{"MEET_DATA_DIR": dir, "MEET_REDIS_URL": k.redisURL, "MEET_LOG_LEVEL": "error"}
			cli := func(stdin string, args ...string) {
				t.Helper()
				var out, errOut bytes.Buffer
				if err := userCommand(ctx, args, func(key string) string { return env[key] }, strings.NewReader(stdin), &out, &errOut); err != nil {
					t.Fatalf("meet user %v: %v\n%s", args, err, errOut.String())
				}
			}
			cli("wonderland\n", "add", "--email", "alice@example.com", "--name", "Alice")
			cli("bob-password\n", "add", "--email", "bob@example.com", "--name", "Bob")

			srv := serveSignIn(t, filepath.Join(dir, "meet.db"), k.redisURL)
			alice := srv.login(t, "alice@example.com", "wonderland")
			bob := srv.login(t, "bob@example.com", "bob-password")
			srv.expectMe(t, alice, http.StatusOK)

			cli("looking-glass\n", "passwd", "--email", "alice@example.com")
			srv.expectMe(t, alice, http.StatusUnauthorized)

			alice = srv.login(t, "alice@example.com", "looking-glass")
			cli("", "disable", "--email", "alice@example.com")
			srv.expectMe(t, alice, http.StatusUnauthorized)
			cli("", "enable", "--email", "alice@example.com")
			srv.expectMe(t, alice, http.StatusUnauthorized)

			alice = srv.login(t, "alice@example.com", "looking-glass")
			other := srv.login(t, "alice@example.com", "looking-glass") // a second device
			cli("", "logout", "--email", "ALICE@example.com")
			srv.expectMe(t, alice, http.StatusUnauthorized)
			srv.expectMe(t, other, http.StatusUnauthorized)

			srv.expectMe(t, bob, http.StatusOK)
			cli("", "logout", "--email", "bob@example.com")
		})
	}
}

// signInServer is meet's HTTP API over an existing database, with local
// sign-in and the sessions serve would use.
type signInServer struct{ *httptest.Server }

func serveSignIn(t *testing.T, dbPath, redisURL string) signInServer {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var sessions auth.SessionStore = db
	if redisURL != "" {
		opts, err := redis.ParseURL(redisURL)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		t.Cleanup(func() { rdb.Close() })
		sessions = cache.NewSessionsRedis(rdb, redisSessionPrefix, nil)
	}
	authn, err := local.NewAuthenticator(db, local.DefaultArgon2id(), local.Limits{HashSlots: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(nil)
	t.Cleanup(ts.Close)
	pub, _ := url.Parse(ts.URL)
	api, err := httpapi.New(httpapi.Deps{PublicURL: pub, Users: db, Sessions: sessions, LocalLogin: authn, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = api
	return signInServer{ts}
}

// login signs in and returns the session cookie's value.
func (s signInServer) login(t *testing.T, email, password string) string {
	t.Helper()
	body := `{"email": "` + email + `", "password": "` + password + `"}`
	resp, err := http.Post(s.URL+"/api/v1.0/local-login/", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == httpapi.SessionCookie && resp.StatusCode == http.StatusNoContent {
			return c.Value
		}
	}
	t.Fatalf("local-login as %s: %d, no session cookie", email, resp.StatusCode)
	return ""
}

// expectMe checks the status of users/me/ with the session cookie.
func (s signInServer) expectMe(t *testing.T, session string, want int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1.0/users/me/", nil)
	req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("users/me/ = %d, want %d", resp.StatusCode, want)
	}
}
