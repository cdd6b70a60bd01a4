package httpapi_test

import (
	"net/http"
	"testing"

	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

func TestConfig(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		cfg := &httpapi.PublicConfig{
			LanguageCode: "en-us",
			Recording:    httpapi.RecordingConfig{AvailableModes: []string{"screen_recording"}},
			BackgroundImage: httpapi.BackgroundImageConfig{MaxCountByUser: 10, MaxSize: 2 << 20,
				AllowedExtensions: []string{".jpeg", ".jpg", ".png"}, AllowedMimetypes: []string{"image/jpeg", "image/png"}},
			Resource: httpapi.ResourceConfig{DefaultAccessLevel: "trusted"},
			LiveKit:  httpapi.LiveKitConfig{URL: lkURL, DefaultSources: []string{"camera"}},
			Frontend: config.Frontend{Analytics: []byte(`{"k":1}`), Support: []byte(`{}`), Feedback: []byte(`{}`), MaxParticipantsForSound: 5},
		}
		doc := map[string]any{
			"LANGUAGE_CODE": "en-us",
			"recording":     map[string]any{"is_enabled": false, "available_modes": []any{"screen_recording"}, "expiration_days": nil, "max_duration": nil},
			"background_image": map[string]any{
				"upload_is_enabled": false, "max_count_by_user": 10, "max_size": 2097152,
				"allowed_extensions": []any{".jpeg", ".jpg", ".png"}, "allowed_mimetypes": []any{"image/jpeg", "image/png"},
			},
			"telephony":   map[string]any{"enabled": false},
			"resource":    map[string]any{"default_access_level": "trusted"},
			"subtitle":    map[string]any{"enabled": false},
			"diagnostics": map[string]any{"connection_test_enabled": false},
			"livekit": map[string]any{"url": lkURL, "force_wss_protocol": false, "enable_firefox_proxy_workaround": false,
				"default_sources": []any{"camera"}, "ice_servers": nil},
			"authenticated_users_can_edit_display_name": false,
			"is_silent_login_enabled":                   false,
			"custom_css_url":                            nil,
			"analytics":                                 map[string]any{"k": 1},
			"support":                                   map[string]any{},
			"silence_livekit_debug_logs":                false,
			"idle_disconnect_warning_delay":             nil,
			"feedback":                                  map[string]any{},
			"documentation_url":                         nil,
			"external_home_url":                         nil,
			"use_french_gov_footer":                     false,
			"use_proconnect_button":                     false,
			"manifest_link":                             nil,
			"transcription_destination":                 nil,
			"max_participants_for_sound":                5,
			"auto_mute_on_join_threshold":               0,
			"authentication":                            map[string]any{"oidc": false, "local": false},
		}
		env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) { d.PublicConfig = cfg }))
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
