package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"meet/internal/auth/oidc"
	"meet/internal/httpapi"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

const api = "/api/v1.0"

// signInEnv is meet serving on loopback with a real OIDC provider beside it.
type signInEnv struct {
	rp     *httptest.Server
	issuer string
	db     *storage.DB
	// logoutTokens receives each logout_token the provider posts.
	logoutTokens chan string
}

// newSignInEnv starts meet (OIDC on, local accounts on) and the npm
// oidc-provider wired to each other.
// more edits the server's dependencies further.
func newSignInEnv(t *testing.T, more ...func(d *httpapi.Deps)) *signInEnv {
	t.Helper()
	env := &signInEnv{db: storagetest.Open(t), logoutTokens: make(chan string, 16)}
	var handler http.Handler = http.NotFoundHandler()
	var mu sync.RWMutex
	env.rp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api+"/backchannel-logout/" {
			body, _ := io.ReadAll(r.Body)
			if form, err := url.ParseQuery(string(body)); err == nil && form.Get("logout_token") != "" {
				env.logoutTokens <- form.Get("logout_token")
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		mu.RLock()
		h := handler
		mu.RUnlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(env.rp.Close)
	env.issuer = startProvider(t, env.rp.URL)

	log := slog.New(slog.DiscardHandler)
	rp, err := oidc.New(oidc.Config{
		Issuer: env.issuer, ClientID: "meet", ClientSecret: "meet-secret",
		RedirectURL: env.rp.URL + api + "/callback/", Timeout: 10 * time.Second,
	}, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, env.db, func(d *httpapi.Deps) {
		d.OIDC = rp
		d.OIDCUsers = oidc.NewUsers(env.db, oidc.UserPolicy{CreateUser: true}, nil)
		d.ReturnToAllowedHosts = []string{"app.example"}
		for _, f := range more {
			f(d)
		}
	}, env.rp.URL)
	mu.Lock()
	handler = srv
	mu.Unlock()
	return env
}

// newServer builds meet's HTTP adapter over db; edit adds sign-in deps.
func newServer(t *testing.T, db *storage.DB, edit func(d *httpapi.Deps), publicURL string) *httpapi.Server {
	t.Helper()
	pub, _ := url.Parse(publicURL)
	d := httpapi.Deps{Log: slog.New(slog.DiscardHandler), PublicURL: pub, Users: db, Sessions: db}
	edit(&d)
	srv, err := httpapi.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// login runs a full interactive sign-in from authenticate/ and returns the
// page it lands on.
func (e *signInEnv) login(b *browser, returnTo, login string) page {
	b.t.Helper()
	p := b.get(e.rp.URL + api + "/authenticate/?returnTo=" + url.QueryEscape(returnTo))
	return b.submitProviderForms(p, e.issuer, login)
}

// me returns users/me/'s status and body.
func (e *signInEnv) me(b *browser) (int, map[string]any) {
	b.t.Helper()
	p := b.get(e.rp.URL + api + "/users/me/")
	var m map[string]any
	_ = json.Unmarshal([]byte(p.body), &m)
	return p.status, m
}

func TestOIDCSignIn(t *testing.T) {
	env := newSignInEnv(t)

	t.Run("full login lands on returnTo with a session and mapped names", func(t *testing.T) {
		b := newBrowser(t)
		preLogin := ""
		b.stopAt = func(u *url.URL) bool {
			if preLogin == "" {
				preLogin = b.cookie(env.rp.URL, httpapi.SessionCookie)
			}
			return false
		}
		p := env.login(b, "/welcome?from=test", "alice")
		if p.url.Host != strings.TrimPrefix(env.rp.URL, "http://") || p.url.Path != "/welcome" || p.url.Query().Get("from") != "test" {
			t.Fatalf("landed on %s, want %s/welcome?from=test", p.url, env.rp.URL)
		}
		if cb := b.visited(api + "/callback/"); cb == nil || cb.Query().Get("code") == "" {
			t.Fatalf("never went through the callback with a code: %v", b.hops)
		}
		status, me := env.me(b)
		if status != http.StatusOK || me["full_name"] != "Alice Liddell" || me["short_name"] != "Alice" || me["email"] != "alice@example.com" {
			t.Fatalf("users/me/ = %d %v", status, me)
		}
		if got := b.cookie(env.rp.URL, httpapi.SessionCookie); preLogin == "" || got == preLogin {
			t.Fatalf("session id not rotated at login: before %q, after %q", preLogin, got)
		}
		if b.cookie(env.rp.URL, httpapi.CSRFCookie) == "" {
			t.Fatal("no csrftoken cookie after login")
		}
		u, err := env.db.UserBySub(context.Background(), env.issuer, "alice")
		if err != nil || u.FullName != "Alice Liddell" {
			t.Fatalf("user by (issuer, sub): %+v, %v", u, err)
		}
	})

	t.Run("name claim used when given_name and usual_name are absent", func(t *testing.T) {
		b := newBrowser(t)
		env.login(b, "/", "nameonly")
		if status, me := env.me(b); status != http.StatusOK || me["full_name"] != "Only A Name" || me["short_name"] != "" {
			t.Fatalf("users/me/ = %d %v", status, me)
		}
	})

	t.Run("silent login without a provider session goes back quietly", func(t *testing.T) {
		b := newBrowser(t)
		p := b.get(env.rp.URL + api + "/authenticate/?silent=true&returnTo=" + url.QueryEscape("/rooms/abc"))
		if p.url.Path != "/rooms/abc" || strings.HasPrefix(p.url.String(), env.issuer) {
			t.Fatalf("landed on %s, want /rooms/abc", p.url)
		}
		auth := b.visited("/auth")
		if auth == nil || auth.Query().Get("prompt") != "none" {
			t.Fatalf("authorization request without prompt=none: %v", b.hops)
		}
		if cb := b.visited(api + "/callback/"); cb == nil || cb.Query().Get("error") != "login_required" {
			t.Fatalf("callback without error=login_required: %v", b.hops)
		}
		if status, _ := env.me(b); status != http.StatusUnauthorized {
			t.Fatalf("users/me/ = %d, want 401", status)
		}
	})

	t.Run("silent login with a provider session signs in without a form", func(t *testing.T) {
		b := newBrowser(t)
		env.login(b, "/", "carol")
		b.dropCookie(env.rp.URL, httpapi.SessionCookie) // meet's session is gone, the provider's is not
		if status, _ := env.me(b); status != http.StatusUnauthorized {
			t.Fatalf("users/me/ after dropping the cookie = %d", status)
		}
		b.hops = nil
		p := b.get(env.rp.URL + api + "/authenticate/?silent=true&returnTo=" + url.QueryEscape("/rooms/xyz"))
		if p.url.Path != "/rooms/xyz" {
			t.Fatalf("landed on %s via %v", p.url, b.hops)
		}
		for _, u := range b.hops {
			if strings.HasPrefix(u.Path, "/interaction/") {
				t.Fatalf("silent login showed the provider's form: %v", b.hops)
			}
		}
		if status, me := env.me(b); status != http.StatusOK || me["email"] != "carol@example.com" {
			t.Fatalf("users/me/ = %d %v", status, me)
		}
	})

	t.Run("returnTo outside the site is refused", func(t *testing.T) {
		for _, target := range []string{
			"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
			"http://app.example.evil.example/", "https://user@" + strings.TrimPrefix(env.rp.URL, "http://") + "/",
		} {
			b := newBrowser(t)
			p := b.get(env.rp.URL + api + "/authenticate/?returnTo=" + url.QueryEscape(target))
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, `"returnTo"`) {
				t.Errorf("returnTo %q: %d %s, want 400 naming returnTo", target, p.status, p.body)
			}
		}
		b := newBrowser(t)
		b.stopAt = func(u *url.URL) bool { return true }
		for _, target := range []string{"https://app.example/after", env.rp.URL + "/after"} {
			p := b.get(env.rp.URL + api + "/authenticate/?returnTo=" + url.QueryEscape(target))
			if p.status != http.StatusFound || !strings.HasPrefix(p.header.Get("Location"), env.issuer) {
				t.Errorf("allowed returnTo %q: %d, want a redirect to the provider", target, p.status)
			}
		}
	})
}
