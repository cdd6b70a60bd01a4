package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// countingHasher counts Verify calls: every failed login must hash exactly
// once, whether or not the e-mail address exists.
type countingHasher struct {
	local.Hasher
	verifies atomic.Int64
}

func (c *countingHasher) Verify(pw, enc string) (bool, error) {
	c.verifies.Add(1)
	return c.Hasher.Verify(pw, enc)
}

type localEnv struct {
	srv    *httptest.Server
	db     *storage.DB
	hasher *countingHasher
	mu     sync.Mutex
	now    time.Time
}

func (e *localEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *localEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// newLocalEnv serves local sign-in with the default limits over an
// in-memory limiter on the env's clock.
func newLocalEnv(t *testing.T) *localEnv {
	t.Helper()
	return newLocalEnvWith(t, func(e *localEnv) local.Limiter { return cache.NewLimiterMemory(e.clock) })
}

// newLocalEnvWith serves local sign-in with the default limits over the
// limiter limiter returns.
func newLocalEnvWith(t *testing.T, limiter func(e *localEnv) local.Limiter) *localEnv {
	t.Helper()
	ctx := context.Background()
	e := &localEnv{db: storagetest.Open(t), now: time.Unix(2_000_000_000, 0),
		hasher: &countingHasher{Hasher: local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}}
	accounts := local.NewAccounts(e.db, e.hasher, e.db, nil)
	if _, err := accounts.Add(ctx, "alice@example.com", "Alice Liddell", "wonderland"); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.Add(ctx, "carol@example.com", "Carol", "disabled-pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetActive(ctx, "carol@example.com", false); err != nil {
		t.Fatal(err)
	}
	authn, err := local.NewAuthenticator(e.db, e.hasher, local.DefaultLimits(limiter(e), 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(nil)
	t.Cleanup(e.srv.Close)
	e.srv.Config.Handler = newServer(t, e.db, func(d *httpapi.Deps) {
		d.LocalLogin = authn
		d.ClientAddr = func(r *http.Request) string { return r.Header.Get("X-Test-Client") }
	}, e.srv.URL)
	return e
}

// localLogin posts credentials from client and returns the response.
func (e *localEnv) localLogin(t *testing.T, b *browser, client, body string) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+api+"/local-login/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-Client", client)
	return b.do(req)
}

func creds(email, password string) string {
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return string(b)
}

func TestLocalLogin(t *testing.T) {
	e := newLocalEnv(t)

	t.Run("right password signs in", func(t *testing.T) {
		b := newBrowser(t)
		p := e.localLogin(t, b, "198.51.100.1", creds("alice@example.com", "wonderland"))
		if p.status != http.StatusNoContent {
			t.Fatalf("local-login = %d %s, want 204", p.status, p.body)
		}
		cookies := strings.Join(p.header.Values("Set-Cookie"), "\n")
		for _, want := range []string{httpapi.SessionCookie + "=", "HttpOnly", "SameSite=Lax", httpapi.CSRFCookie + "="} {
			if !strings.Contains(cookies, want) {
				t.Errorf("Set-Cookie lacks %q:\n%s", want, cookies)
			}
		}
		me := b.get(e.srv.URL + api + "/users/me/")
		if me.status != http.StatusOK || !strings.Contains(me.body, `"full_name":"Alice Liddell"`) {
			t.Fatalf("users/me/ = %d %s", me.status, me.body)
		}
		// Logout ends the session; without a provider it goes home.
		if p := b.get(e.srv.URL + api + "/logout/"); p.url.Path != "/" {
			t.Fatalf("logout landed on %s", p.url)
		}
		if me := b.get(e.srv.URL + api + "/users/me/"); me.status != http.StatusUnauthorized {
			t.Fatalf("users/me/ after logout = %d", me.status)
		}
	})

	const generic = `{"detail":"Invalid e-mail or password."}`
	for _, tt := range []struct{ name, body string }{
		{"wrong password", creds("alice@example.com", "wonderlanD")},
		{"unknown e-mail", creds("nobody@example.com", "wonderland")},
		{"disabled account with its right password", creds("carol@example.com", "disabled-pw")},
	} {
		t.Run(tt.name+" gets the one generic 401 after one hash", func(t *testing.T) {
			b := newBrowser(t)
			before := e.hasher.verifies.Load()
			p := e.localLogin(t, b, "198.51.100.2", tt.body)
			if n := e.hasher.verifies.Load() - before; n != 1 {
				t.Errorf("password hash verified %d times, want exactly 1 (same work on every path)", n)
			}
			if p.status != http.StatusUnauthorized || strings.TrimSpace(p.body) != generic {
				t.Fatalf("local-login = %d %s, want 401 %s", p.status, p.body, generic)
			}
			if b.cookie(e.srv.URL, httpapi.SessionCookie) != "" {
				t.Fatal("a failed login set a session cookie")
			}
		})
	}

	t.Run("missing fields", func(t *testing.T) {
		p := e.localLogin(t, newBrowser(t), "198.51.100.3", `{"email": 3}`)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, `"password":["This field is required."]`) || !strings.Contains(p.body, `"email"`) {
			t.Fatalf("local-login = %d %s", p.status, p.body)
		}
	})
}

func TestSessionCookieSecureOnHTTPS(t *testing.T) {
	db := storagetest.Open(t)
	hasher := local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	if _, err := local.NewAccounts(db, hasher, db, nil).Add(context.Background(), "alice@example.com", "Alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	authn, err := local.NewAuthenticator(db, hasher, local.Limits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, db, func(d *httpapi.Deps) { d.LocalLogin = authn }, "https://meet.example")
	req := httptest.NewRequest(http.MethodPost, "https://meet.example"+api+"/local-login/", strings.NewReader(creds("alice@example.com", "wonderland")))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("local-login = %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure on an https site", c.Name)
		}
		if c.Name == httpapi.SessionCookie && (!c.HttpOnly || c.MaxAge != int((12*time.Hour).Seconds())) {
			t.Errorf("session cookie %+v: want HttpOnly, 12 h", c)
		}
		if c.Name == httpapi.CSRFCookie && c.HttpOnly {
			t.Error("csrftoken must be readable by scripts")
		}
	}
}

// TestSignInLogsAnonymizedEmail checks the sign-in log line carries the
// keyed hash of the address for analytics, and never the address itself.
func TestSignInLogsAnonymizedEmail(t *testing.T) {
	db := storagetest.Open(t)
	hasher := local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	if _, err := local.NewAccounts(db, hasher, db, nil).Add(context.Background(), "dora@example.com", "Dora Explorer", "map-and-backpack"); err != nil {
		t.Fatal(err)
	}
	authn, err := local.NewAuthenticator(db, hasher, local.DefaultLimits(cache.NewLimiterMemory(nil), 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	key := []byte("analytics key of this test instance")
	srv := httptest.NewServer(nil)
	t.Cleanup(srv.Close)
	srv.Config.Handler = newServer(t, db, func(d *httpapi.Deps) {
		d.LocalLogin, d.AnalyticsKey = authn, key
		d.Log = slog.New(slog.NewJSONHandler(&logs, nil))
	}, srv.URL)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+api+"/local-login/", strings.NewReader(creds("dora@example.com", "map-and-backpack")))
	req.Header.Set("Content-Type", "application/json")
	if p := newBrowser(t).do(req); p.status != http.StatusNoContent {
		t.Fatalf("local-login = %d %s", p.status, p.body)
	}
	out := logs.String()
	want := `"email_anonymized":"` + users.AnonymizedEmail(key, "dora@example.com") + `"`
	if !strings.Contains(out, `"msg":"signed in"`) || !strings.Contains(out, want) || !strings.Contains(out, `"method":"local"`) {
		t.Errorf("sign-in log lacks %s:\n%s", want, out)
	}
	if strings.Contains(out, "dora@example.com") {
		t.Errorf("the log contains the e-mail address:\n%s", out)
	}
}
