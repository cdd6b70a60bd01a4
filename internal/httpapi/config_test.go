package httpapi_test

import (
	"net/http"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

func TestConfig(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		doc := map[string]any{
			"LANGUAGE_CODE": "en-us",
			"recording":     map[string]any{"is_enabled": false, "available_modes": []any{}},
			"livekit":       map[string]any{"url": lkURL, "force_wss_protocol": false, "default_sources": allSources},
			"resource":      map[string]any{"default_access_level": "public"},
		}
		env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) {
			d.PublicConfig = func() map[string]any { return doc }
		}))
		for _, who := range []string{anonymous, outsider} {
			t.Run(who, func(t *testing.T) {
				c := env.anonymous()
				if who == outsider {
					c = env.userClient(t, "cora")
				}
				expect(t, c.do(t, http.MethodGet, "/config/", nil), http.StatusOK, doc)
			})
		}
		t.Run("read only", func(t *testing.T) {
			r := env.userClient(t, "carl").do(t, http.MethodPost, "/config/", map[string]any{})
			expect(t, r, http.StatusMethodNotAllowed, detail(`Method "POST" not allowed.`))
			if got := r.header.Get("Allow"); got != "GET" {
				t.Fatalf("Allow %q", got)
			}
		})
	})
}

func TestConfigWithoutDocument(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		expect(t, env.anonymous().do(t, http.MethodGet, "/config/", nil), http.StatusOK, map[string]any{})
	})
}
