package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"meet/internal/httpapi"
)

// toCallback runs the provider's forms but stops before meet's callback, and
// returns the callback URL the provider sent the browser to.
func (e *signInEnv) toCallback(b *browser, login string) *url.URL {
	b.t.Helper()
	var cb *url.URL
	b.stopAt = func(u *url.URL) bool {
		if u.Path == api+"/callback/" {
			cb = u
			return true
		}
		return false
	}
	defer func() { b.stopAt = nil }()
	p := b.get(e.rp.URL + api + "/authenticate/?returnTo=" + url.QueryEscape("/after"))
	b.submitProviderForms(p, e.issuer, login)
	if cb == nil || cb.Query().Get("code") == "" {
		b.t.Fatalf("the provider did not send the browser to the callback with a code: %v", b.hops)
	}
	return cb
}

func withQuery(u *url.URL, key, value string) string {
	c := *u
	q := c.Query()
	q.Set(key, value)
	c.RawQuery = q.Encode()
	return c.String()
}

func TestOIDCCallbackRefusals(t *testing.T) {
	env := newSignInEnv(t)

	t.Run("tampered state refused, then the real one works once", func(t *testing.T) {
		b := newBrowser(t)
		cb := env.toCallback(b, "dave")
		state := cb.Query().Get("state")
		for _, bad := range []string{state + "x", "", "forged"} {
			if p := b.get(withQuery(cb, "state", bad)); p.status != http.StatusBadRequest {
				t.Fatalf("state %q: %d %s, want 400", bad, p.status, p.body)
			}
		}
		if p := b.get(cb.String()); p.url.Path != "/after" {
			t.Fatalf("genuine callback landed on %s (%d %s)", p.url, p.status, p.body)
		}
		if status, _ := env.me(b); status != http.StatusOK {
			t.Fatalf("users/me/ = %d after login", status)
		}
		if p := b.get(cb.String()); p.status != http.StatusBadRequest {
			t.Fatalf("replayed callback: %d, want 400", p.status)
		}
	})

	t.Run("state from another browser refused", func(t *testing.T) {
		cb := env.toCallback(newBrowser(t), "erin")
		other := newBrowser(t)
		if p := other.get(cb.String()); p.status != http.StatusBadRequest {
			t.Fatalf("callback in another browser: %d, want 400", p.status)
		}
		if status, _ := env.me(other); status != http.StatusUnauthorized {
			t.Fatal("the other browser got signed in")
		}
	})

	t.Run("replayed code refused by the provider", func(t *testing.T) {
		b := newBrowser(t)
		cb := env.toCallback(b, "frank")
		if p := b.get(cb.String()); p.url.Path != "/after" {
			t.Fatalf("first use of the code: %s %d", p.url, p.status)
		}
		// A new sign-in gives the browser a fresh, valid state; the old code
		// must still be refused.
		fresh := env.toCallback(b, "frank")
		replay := withQuery(fresh, "code", cb.Query().Get("code"))
		if p := b.get(replay); p.status != http.StatusBadRequest {
			t.Fatalf("replayed code: %d %s, want 400", p.status, p.body)
		}
	})

	t.Run("wrong nonce refused", func(t *testing.T) {
		b := newBrowser(t)
		cb := env.toCallback(b, "grace")
		// Swap the nonce the session expects, as if the ID token were one
		// issued for another authorization request.
		ctx := context.Background()
		sess, err := env.db.Get(ctx, b.cookie(env.rp.URL, httpapi.SessionCookie))
		if err != nil {
			t.Fatal(err)
		}
		key := "oidc_login:" + cb.Query().Get("state")
		var pending map[string]any
		if err := json.Unmarshal([]byte(sess.Values[key]), &pending); err != nil {
			t.Fatalf("pending sign-in %q: %v", sess.Values[key], err)
		}
		pending["n"] = "another-nonce"
		raw, _ := json.Marshal(pending)
		sess.Values[key] = string(raw)
		if err := env.db.Save(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if p := b.get(cb.String()); p.status != http.StatusBadRequest {
			t.Fatalf("callback with a mismatched nonce: %d %s, want 400", p.status, p.body)
		}
		if status, _ := env.me(b); status != http.StatusUnauthorized {
			t.Fatal("signed in despite the wrong nonce")
		}
	})

	t.Run("inactive user refused", func(t *testing.T) {
		b := newBrowser(t)
		env.login(b, "/", "heidi")
		ctx := context.Background()
		u, err := env.db.UserBySub(ctx, env.issuer, "heidi")
		if err != nil {
			t.Fatal(err)
		}
		u.IsActive = false
		if err := env.db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		b2 := newBrowser(t)
		p := env.login(b2, "/", "heidi")
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "disabled") {
			t.Fatalf("inactive user's login: %d %s, want 403", p.status, p.body)
		}
	})
}

func TestOIDCLogout(t *testing.T) {
	env := newSignInEnv(t)

	// Two browsers signed in as the same person, each with its own provider
	// session.
	a, other := newBrowser(t), newBrowser(t)
	env.login(a, "/", "bob")
	env.login(other, "/", "bob")
	for _, b := range []*browser{a, other} {
		if status, _ := env.me(b); status != http.StatusOK {
			t.Fatalf("users/me/ = %d before logout", status)
		}
	}

	// Logging out in the first browser ends meet's session, goes to the
	// provider's end-session endpoint, which calls meet back-channel and
	// returns the browser to logout-callback/ and then home.
	a.hops = nil
	p := a.submitProviderForms(a.get(env.rp.URL+api+"/logout/"), env.issuer, "")
	end := a.visited("/session/end")
	if end == nil {
		t.Fatalf("logout never reached the provider's end-session endpoint: %v", a.hops)
	}
	q := end.Query()
	if q.Get("id_token_hint") == "" || q.Get("state") == "" || q.Get("post_logout_redirect_uri") != env.rp.URL+api+"/logout-callback/" {
		t.Fatalf("end-session request %s", end)
	}
	if cb := a.visited(api + "/logout-callback/"); cb == nil || cb.Query().Get("state") != q.Get("state") {
		t.Fatalf("provider did not come back to logout-callback/ with the state: %v", a.hops)
	}
	if p.url.Path != "/" {
		t.Fatalf("logout ended on %s, want /", p.url)
	}
	if status, _ := env.me(a); status != http.StatusUnauthorized {
		t.Fatalf("users/me/ after logout = %d", status)
	}

	var token string
	select {
	case token = <-env.logoutTokens:
	case <-time.After(10 * time.Second):
		t.Fatal("the provider sent no back-channel logout")
	}
	// The back-channel logout ended bob's other session too.
	if status, _ := env.me(other); status != http.StatusUnauthorized {
		t.Fatalf("users/me/ in the other browser after back-channel logout = %d, want 401", status)
	}

	// A replayed logout token is refused and ends nothing.
	again := newBrowser(t)
	env.login(again, "/", "bob")
	resp, err := http.PostForm(env.rp.URL+api+"/backchannel-logout/", url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed logout token: %d, want 400", resp.StatusCode)
	}
	if status, _ := env.me(again); status != http.StatusOK {
		t.Fatalf("a replayed logout token ended a session (users/me/ = %d)", status)
	}
	for _, bad := range []string{"", "not-a-jwt", token[:len(token)-4] + "AAAA"} {
		resp, err := http.PostForm(env.rp.URL+api+"/backchannel-logout/", url.Values{"logout_token": {bad}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("logout token %q: %d, want 400", bad, resp.StatusCode)
		}
	}

	t.Run("logout-callback with a wrong state is refused", func(t *testing.T) {
		b := newBrowser(t)
		env.login(b, "/", "ivan")
		b.stopAt = func(u *url.URL) bool { return strings.HasPrefix(u.String(), env.issuer) }
		b.get(env.rp.URL + api + "/logout/")
		if p := b.get(env.rp.URL + api + "/logout-callback/?state=forged"); p.status != http.StatusBadRequest {
			t.Fatalf("forged logout state: %d, want 400", p.status)
		}
	})

	t.Run("logout without a session goes home", func(t *testing.T) {
		b := newBrowser(t)
		if p := b.get(env.rp.URL + api + "/logout/"); p.url.Path != "/" || b.visited("/session/end") != nil {
			t.Fatalf("anonymous logout went to %s via %v", p.url, b.hops)
		}
	})
}
