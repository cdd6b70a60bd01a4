package oidc_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth/oidc"
)

func newRP(t *testing.T, op *fakeOP, now func() time.Time) *oidc.RelyingParty {
	t.Helper()
	rp, err := oidc.New(oidc.Config{
		Issuer: op.srv.URL, ClientID: "meet", ClientSecret: "secret",
		RedirectURL:     "http://127.0.0.1:1/api/v1.0/callback/",
		ExtraAuthParams: map[string]string{"acr_values": "eidas1", "state": "forged", "prompt": "login"},
		Now:             now,
	}, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

func TestNewRefusesBadConfig(t *testing.T) {
	_, err := oidc.New(oidc.Config{Issuer: "ftp://x", RedirectURL: "/relative"}, nil, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "issuer") || !strings.Contains(err.Error(), "client id") || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("New = %v, want every problem reported", err)
	}
}

func TestAuthCodeURL(t *testing.T) {
	op := newFakeOP(t)
	rp := newRP(t, op, nil)
	req := oidc.NewAuthRequest()
	for _, silent := range []bool{false, true} {
		raw, err := rp.AuthCodeURL(context.Background(), req, silent)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(raw)
		q := u.Query()
		want := map[string]string{
			"client_id": "meet", "response_type": "code", "scope": "openid email profile",
			"state": req.State, "nonce": req.Nonce, "code_challenge_method": "S256", "acr_values": "eidas1",
		}
		for k, v := range want {
			if q.Get(k) != v {
				t.Errorf("silent=%v: %s = %q, want %q", silent, k, q.Get(k), v)
			}
		}
		if q.Get("code_challenge") == "" || q.Get("code_challenge") == req.Verifier {
			t.Errorf("code_challenge %q must be the S256 of the verifier", q.Get("code_challenge"))
		}
		if got, want := q.Get("prompt"), map[bool]string{true: "none"}[silent]; got != want {
			t.Errorf("silent=%v: prompt = %q, want %q", silent, got, want)
		}
	}
}

func TestExchange(t *testing.T) {
	ctx := context.Background()
	op := newFakeOP(t)
	rp := newRP(t, op, nil)
	req := oidc.AuthRequest{State: "s", Nonce: "n0", Verifier: "v-verifier-0123456789012345678901234567890123"}
	op.set(func(op *fakeOP) {
		op.userinfo = map[string]any{"email": "a@example.com", "given_name": "Ada", "iss": "https://evil"}
	})
	id, err := rp.Exchange(ctx, "code", req)
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "user-1" || id.Issuer != op.srv.URL || id.Email != "a@example.com" || id.Claims["given_name"] != "Ada" || id.IDToken == "" {
		t.Fatalf("identity %+v", id)
	}
	if id.Claims["iss"] != op.srv.URL {
		t.Fatalf("userinfo overrode the verified issuer: %v", id.Claims["iss"])
	}
	op.mu.Lock()
	form := op.lastForm
	op.mu.Unlock()
	if form["code_verifier"][0] != req.Verifier || form["code"][0] != "code" {
		t.Fatalf("token request %v lacks the code or PKCE verifier", form)
	}

	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	tests := []struct {
		name  string
		setup func(op *fakeOP)
		kind  apperr.Kind
	}{
		{"wrong nonce", func(op *fakeOP) { op.idClaims = func(c map[string]any) { c["nonce"] = "other" } }, apperr.Invalid},
		{"no nonce", func(op *fakeOP) { op.idClaims = func(c map[string]any) { delete(c, "nonce") } }, apperr.Invalid},
		{"wrong audience", func(op *fakeOP) { op.idClaims = func(c map[string]any) { c["aud"] = "someone-else" } }, apperr.Invalid},
		{"wrong issuer", func(op *fakeOP) { op.idClaims = func(c map[string]any) { c["iss"] = "https://evil.example" } }, apperr.Invalid},
		{"expired", func(op *fakeOP) { op.idClaims = func(c map[string]any) { c["exp"] = 1000 } }, apperr.Invalid},
		{"foreign signature", func(op *fakeOP) { op.signer = otherKey }, apperr.Invalid},
		{"userinfo for someone else", func(op *fakeOP) { op.userinfo = map[string]any{"sub": "user-2"} }, apperr.Invalid},
		{"code refused (replayed)", func(op *fakeOP) { op.tokenStatus = 400 }, apperr.Invalid},
		{"provider failing", func(op *fakeOP) { op.tokenStatus = 502 }, apperr.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op.set(func(op *fakeOP) {
				op.idClaims, op.signer, op.userinfo, op.tokenStatus = nil, nil, nil, 0
				tt.setup(op)
			})
			_, err := rp.Exchange(ctx, "code", req)
			if apperr.KindOf(err) != tt.kind {
				t.Fatalf("Exchange = %v, want kind %s", err, tt.kind)
			}
		})
	}
}

func TestExchangeProviderDown(t *testing.T) {
	op := newFakeOP(t)
	rp := newRP(t, op, nil)
	op.srv.Close()
	_, err := rp.Exchange(context.Background(), "code", oidc.NewAuthRequest())
	if !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Exchange = %v, want unavailable", err)
	}
}

func TestEndSessionURL(t *testing.T) {
	op := newFakeOP(t)
	rp := newRP(t, op, nil)
	raw, err := rp.EndSessionURL(context.Background(), "idt", "st", "http://app/api/v1.0/logout-callback/")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	if u.Path != "/session/end" || q.Get("id_token_hint") != "idt" || q.Get("state") != "st" ||
		q.Get("post_logout_redirect_uri") != "http://app/api/v1.0/logout-callback/" || q.Get("client_id") != "meet" {
		t.Fatalf("end-session URL %s", raw)
	}
}

const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"

func TestVerifyLogoutToken(t *testing.T) {
	ctx := context.Background()
	op := newFakeOP(t)
	now := time.Unix(2_000_000_000, 0)
	rp := newRP(t, op, func() time.Time { return now })
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	n := 0
	token := func(edit func(c map[string]any), key *rsa.PrivateKey) string {
		n++
		c := map[string]any{
			"iss": op.srv.URL, "aud": "meet", "sub": "user-1", "iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(),
			"jti": "jti-" + string(rune('a'+n)), "events": map[string]any{backchannelEvent: map[string]any{}},
		}
		if edit != nil {
			edit(c)
		}
		if key == nil {
			key = op.key
		}
		return sign(t, key, c)
	}
	good := token(nil, nil)
	lt, err := rp.VerifyLogoutToken(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if lt.Subject != "user-1" || lt.Issuer != op.srv.URL {
		t.Fatalf("logout token %+v", lt)
	}
	if _, err := rp.VerifyLogoutToken(ctx, good); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("replayed token: %v, want refused", err)
	}
	tests := []struct {
		name  string
		token string
	}{
		{"nonce present", token(func(c map[string]any) { c["nonce"] = "n" }, nil)},
		{"no event", token(func(c map[string]any) { delete(c, "events") }, nil)},
		{"no jti", token(func(c map[string]any) { delete(c, "jti") }, nil)},
		{"neither sub nor sid", token(func(c map[string]any) { delete(c, "sub") }, nil)},
		{"wrong audience", token(func(c map[string]any) { c["aud"] = "other" }, nil)},
		{"wrong issuer", token(func(c map[string]any) { c["iss"] = "https://evil" }, nil)},
		{"too old", token(func(c map[string]any) {
			c["iat"] = now.Add(-10 * time.Minute).Unix()
			c["exp"] = now.Add(time.Hour).Unix()
		}, nil)},
		{"from the future", token(func(c map[string]any) { c["iat"] = now.Add(10 * time.Minute).Unix() }, nil)},
		{"expired", token(func(c map[string]any) { c["exp"] = now.Add(-time.Second).Unix() }, nil)},
		{"foreign signature", token(nil, otherKey)},
		{"tampered payload", tamper(token(nil, nil))},
		{"an ID token", sign(t, op.key, map[string]any{"iss": op.srv.URL, "aud": "meet", "sub": "user-1", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "nonce": "n0"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := rp.VerifyLogoutToken(ctx, tt.token); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("VerifyLogoutToken = %v, want invalid", err)
			}
		})
	}
}

func TestMemoryJTICache(t *testing.T) {
	now := time.Unix(1000, 0)
	c := oidc.NewMemoryJTICache(func() time.Time { return now })
	ctx := context.Background()
	if ok, _ := c.Add(ctx, "a", now.Add(time.Minute)); !ok {
		t.Fatal("first Add refused")
	}
	if ok, _ := c.Add(ctx, "a", now.Add(time.Minute)); ok {
		t.Fatal("second Add accepted")
	}
	now = now.Add(time.Minute)
	if ok, _ := c.Add(ctx, "a", now.Add(time.Minute)); !ok {
		t.Fatal("expired key still remembered")
	}
}
