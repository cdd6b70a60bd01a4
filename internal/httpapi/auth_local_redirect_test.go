package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// withLocalAccounts turns local accounts on (and OIDC stays off).
func withLocalAccounts(t *testing.T) envOption {
	return withDeps(func(d *httpapi.Deps) {
		authn, err := local.NewAuthenticator(d.Users, local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
			local.DefaultLimits(cache.NewLimiterMemory(nil), 1), nil)
		if err != nil {
			t.Fatal(err)
		}
		d.LocalLogin = authn
		d.Web = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("home page")) })
	})
}

// TestAuthenticateWithoutOIDC checks that authenticate/ sends browsers to
// the local sign-in page, keeping returnTo, when there is no OIDC provider.
func TestAuthenticateWithoutOIDC(t *testing.T) {
	env := newAPIEnv(t, storagetest.Engines(t)[0], withLocalAccounts(t))
	for _, who := range []string{anonymous, outsider} {
		c := env.anonymous()
		if who == outsider {
			c = env.userClient(t, "walt")
		}
		for _, tc := range []struct {
			name, query, location string
		}{
			{"no returnTo", "", "/"},
			{"path", "?returnTo=" + url.QueryEscape("/my-room?x=1"), "/?returnTo=" + url.QueryEscape("/my-room?x=1")},
			{"public origin", "?returnTo=" + url.QueryEscape(testPublic+"/r"), "/?returnTo=" + url.QueryEscape(testPublic+"/r")},
			{"silent goes straight back", "?silent=true&returnTo=" + url.QueryEscape("/my-room"), "/my-room"},
		} {
			t.Run(who+"/"+tc.name, func(t *testing.T) {
				r := c.do(t, http.MethodGet, "/authenticate/"+tc.query, nil)
				if r.status != http.StatusFound || r.header.Get("Location") != tc.location {
					t.Fatalf("%d Location %q, want 302 %q; body %s", r.status, r.header.Get("Location"), tc.location, r.body)
				}
				if got := r.header.Get("Cache-Control"); got != "no-store" {
					t.Fatalf("Cache-Control %q", got)
				}
			})
		}
		t.Run(who+"/foreign returnTo", func(t *testing.T) {
			expect(t, c.do(t, http.MethodGet, "/authenticate/?returnTo="+url.QueryEscape("https://evil.example/"), nil),
				http.StatusBadRequest, fields("returnTo", "This redirect target is not allowed."))
		})
	}

	t.Run("a browser without the slash lands on the sign-in page", func(t *testing.T) {
		b, base := servedBrowser(t, env, nil)
		p := b.get(base + apiV1 + "/authenticate?returnTo=" + url.QueryEscape("/team"))
		want := []string{apiV1 + "/authenticate?returnTo=%2Fteam", apiV1 + "/authenticate/?returnTo=%2Fteam", "/?returnTo=%2Fteam"}
		if got := hopPaths(b); !cmp.Equal(got, want) {
			t.Fatalf("hops %v, want %v", got, want)
		}
		if p.status != http.StatusOK || p.body != "home page" {
			t.Fatalf("landed on %d %q", p.status, p.body)
		}
	})

	t.Run("no sign-in at all", func(t *testing.T) {
		bare := newAPIEnv(t, storagetest.Engines(t)[0])
		expect(t, bare.anonymous().do(t, http.MethodGet, "/authenticate/", nil), http.StatusNotFound, detail("Not found."))
	})
}
