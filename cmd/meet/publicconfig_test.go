package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/auth/local"
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/livekit/sfu"
)

// configDoc loads the configuration from env and returns config/'s document
// as generic JSON.
func configDoc(t *testing.T, env map[string]string, md *media, deps httpapi.Deps) map[string]any {
	t.Helper()
	cfg, err := config.Load("meet serve", nil, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	b, err := json.Marshal(publicConfig(cfg, md, deps))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

var allSources = []any{"camera", "microphone", "screen_share", "screen_share_audio"}

// TestPublicConfigDefaults pins config/ of a default install: every key of
// the reference's, null where the reference sends null.
func TestPublicConfigDefaults(t *testing.T) {
	md := &media{publicURL: "ws://localhost:8080", embedded: &sfu.Server{}}
	got := configDoc(t, nil, md, httpapi.Deps{LocalLogin: &local.Authenticator{}})
	want := map[string]any{
		"LANGUAGE_CODE": "en-us",
		"recording": map[string]any{
			"is_enabled": false, "available_modes": []any{"screen_recording", "transcript"},
			"expiration_days": nil, "max_duration": nil,
		},
		"background_image": map[string]any{
			"upload_is_enabled": false, "max_count_by_user": 10.0, "max_size": 2097152.0,
			"allowed_extensions": []any{".jpeg", ".jpg", ".png"}, "allowed_mimetypes": []any{"image/jpeg", "image/png"},
		},
		"telephony":   map[string]any{"enabled": false},
		"resource":    map[string]any{"default_access_level": "public"},
		"subtitle":    map[string]any{"enabled": false},
		"diagnostics": map[string]any{"connection_test_enabled": false},
		"livekit": map[string]any{
			"url": "ws://localhost:8080", "force_wss_protocol": false, "enable_firefox_proxy_workaround": false,
			"default_sources": allSources, "ice_servers": []any{},
		},
		"authenticated_users_can_edit_display_name": true,
		"custom_css_url":                nil,
		"analytics":                     map[string]any{},
		"support":                       map[string]any{},
		"silence_livekit_debug_logs":    false,
		"is_silent_login_enabled":       false,
		"idle_disconnect_warning_delay": nil,
		"feedback":                      map[string]any{},
		"documentation_url":             nil,
		"external_home_url":             nil,
		"use_french_gov_footer":         false,
		"use_proconnect_button":         false,
		"manifest_link":                 nil,
		"transcription_destination":     nil,
		"max_participants_for_sound":    5.0,
		"auto_mute_on_join_threshold":   50.0,
		"authentication":                map[string]any{"oidc": false, "local": true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("config/ (-want +got):\n%s", diff)
	}
}

// TestPublicConfigConfigured sets every MEET_* setting config/ shows and
// checks each lands under its key, in the reference's shape.
func TestPublicConfigConfigured(t *testing.T) {
	env := map[string]string{
		"MEET_RECORDING_ENABLED":                       "true",
		"MEET_RECORDING_EXPIRATION_DAYS":               "30",
		"MEET_RECORDING_MAX_DURATION":                  "2h",
		"MEET_DEFAULT_ACCESS_LEVEL":                    "restricted",
		"MEET_AUTHENTICATED_CAN_EDIT_NAME":             "false",
		"MEET_CONNECTION_TEST_ENABLED":                 "true",
		"MEET_FILE_UPLOAD_ENABLED":                     "true",
		"MEET_BACKGROUND_IMAGE_MAX_SIZE":               "1048576",
		"MEET_BACKGROUND_IMAGE_MAX_COUNT_BY_USER":      "3",
		"MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS":     ".png,.webp",
		"MEET_BACKGROUND_IMAGE_ALLOWED_MIMETYPES":      "image/png,image/webp",
		"MEET_LIVEKIT_URL":                             "wss://sfu.example.org",
		"MEET_LIVEKIT_API_KEY":                         "key",
		"MEET_LIVEKIT_API_SECRET":                      "0123456789abcdef0123456789abcdef",
		"MEET_LIVEKIT_FORCE_WSS_PROTOCOL":              "true",
		"MEET_LIVEKIT_ENABLE_FIREFOX_PROXY_WORKAROUND": "true",
		"MEET_FRONTEND_CUSTOM_CSS_URL":                 "https://cdn.example.org/theme.css",
		"MEET_FRONTEND_ANALYTICS":                      `{"id": "phc_123", "host": "https://eu.posthog.example"}`,
		"MEET_FRONTEND_SUPPORT":                        `{"id": "crisp-1"}`,
		"MEET_FRONTEND_SILENCE_LIVEKIT_DEBUG":          "true",
		"MEET_FRONTEND_IDLE_DISCONNECT_WARNING_DELAY":  "120000",
		"MEET_FRONTEND_FEEDBACK":                       `{"url": "https://forms.example.org/meet"}`,
		"MEET_FRONTEND_DOCUMENTATION_URL":              "https://docs.example.org/meet",
		"MEET_FRONTEND_EXTERNAL_HOME_URL":              "https://www.example.org",
		"MEET_FRONTEND_USE_FRENCH_GOV_FOOTER":          "true",
		"MEET_FRONTEND_USE_PROCONNECT_BUTTON":          "true",
		"MEET_FRONTEND_MANIFEST_LINK":                  "/manifest.webmanifest",
		"MEET_FRONTEND_TRANSCRIPTION_DESTINATION":      "https://docs.example.org",
		"MEET_FRONTEND_MAX_PARTICIPANTS_FOR_SOUND":     "8",
		"MEET_FRONTEND_AUTO_MUTE_ON_JOIN_THRESHOLD":    "0",
	}
	md := &media{publicURL: "wss://sfu.example.org"} // external LiveKit: no ICE override
	got := configDoc(t, env, md, httpapi.Deps{})
	want := map[string]any{
		"LANGUAGE_CODE": "en-us",
		"recording": map[string]any{
			"is_enabled": true, "available_modes": []any{"screen_recording", "transcript"},
			"expiration_days": 30.0, "max_duration": 7200000.0,
		},
		"background_image": map[string]any{
			"upload_is_enabled": true, "max_count_by_user": 3.0, "max_size": 1048576.0,
			"allowed_extensions": []any{".png", ".webp"}, "allowed_mimetypes": []any{"image/png", "image/webp"},
		},
		"telephony":   map[string]any{"enabled": false},
		"resource":    map[string]any{"default_access_level": "restricted"},
		"subtitle":    map[string]any{"enabled": false},
		"diagnostics": map[string]any{"connection_test_enabled": true},
		"livekit": map[string]any{
			"url": "wss://sfu.example.org", "force_wss_protocol": true, "enable_firefox_proxy_workaround": true,
			"default_sources": allSources, "ice_servers": nil,
		},
		"authenticated_users_can_edit_display_name": false,
		"custom_css_url":                "https://cdn.example.org/theme.css",
		"analytics":                     map[string]any{"id": "phc_123", "host": "https://eu.posthog.example"},
		"support":                       map[string]any{"id": "crisp-1"},
		"silence_livekit_debug_logs":    true,
		"is_silent_login_enabled":       false,
		"idle_disconnect_warning_delay": 120000.0,
		"feedback":                      map[string]any{"url": "https://forms.example.org/meet"},
		"documentation_url":             "https://docs.example.org/meet",
		"external_home_url":             "https://www.example.org",
		"use_french_gov_footer":         true,
		"use_proconnect_button":         true,
		"manifest_link":                 "/manifest.webmanifest",
		"transcription_destination":     "https://docs.example.org",
		"max_participants_for_sound":    8.0,
		"auto_mute_on_join_threshold":   0.0,
		"authentication":                map[string]any{"oidc": false, "local": false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("config/ (-want +got):\n%s", diff)
	}
}

// TestServerAnalyticsKeyStaysOnTheServer checks that turning on the
// server's analytics (MEET_ANALYTICS_POSTHOG_*) leaves config/'s analytics
// at the reference's empty {}: the front end loads no analytics script unless
// MEET_FRONTEND_ANALYTICS says so, and the key is never handed to browsers.
func TestServerAnalyticsKeyStaysOnTheServer(t *testing.T) {
	md := &media{publicURL: "ws://localhost:8080", embedded: &sfu.Server{}}
	env := map[string]string{"MEET_ANALYTICS_POSTHOG_KEY": "phc_server_only", "MEET_ANALYTICS_POSTHOG_HOST": "https://posthog.example.org"}
	got := configDoc(t, env, md, httpapi.Deps{})
	if diff := cmp.Diff(map[string]any{}, got["analytics"]); diff != "" {
		t.Errorf("config/ analytics (-want +got):\n%s", diff)
	}
	b, _ := json.Marshal(got)
	if bytes.Contains(b, []byte("phc_server_only")) || bytes.Contains(b, []byte("posthog.example.org")) {
		t.Errorf("config/ carries the server's analytics settings: %s", b)
	}
}
