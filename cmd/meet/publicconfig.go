package main

import (
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/rooms"
)

// publicConfig builds the document of GET /api/v1.0/config/: La Suite Meet's
// keys that apply to what meet offers, plus how people can sign in.
func publicConfig(cfg *config.Config, md *media, deps httpapi.Deps) func() map[string]any {
	doc := map[string]any{
		"LANGUAGE_CODE": "en-us",
		"recording": map[string]any{
			"is_enabled":      cfg.Recorder.Enabled,
			"available_modes": []string{"screen_recording", "transcript"},
			"expiration_days": nullIfZero(cfg.Recorder.ExpirationDays),
			"max_duration":    nullIfZero(int(cfg.Recorder.MaxDuration.Milliseconds())),
		},
		"telephony":   map[string]any{"enabled": false},
		"resource":    map[string]any{"default_access_level": cfg.Rooms.DefaultAccessLevel},
		"subtitle":    map[string]any{"enabled": false},
		"diagnostics": map[string]any{"connection_test_enabled": false},
		"livekit": map[string]any{
			"url":                             md.publicURL,
			"force_wss_protocol":              cfg.LiveKit.ForceWSSProtocol,
			"enable_firefox_proxy_workaround": cfg.LiveKit.EnableFirefoxProxy,
			"default_sources":                 rooms.DefaultSources,
			"ice_servers":                     iceServers(cfg, md),
		},
		"authenticated_users_can_edit_display_name": cfg.Rooms.AuthenticatedCanEditName,
		"is_silent_login_enabled":                   deps.OIDC != nil && cfg.OIDC.SilentLogin,
		"authentication": map[string]any{
			"oidc":  deps.OIDC != nil,
			"local": deps.LocalLogin != nil,
		},
	}
	return func() map[string]any { return doc }
}

// iceServers is what browsers use in place of the ICE servers the SFU sends:
// for the in-process SFU, exactly the configured STUN servers (none by
// default, so no third party is contacted); nil, sent as null, for an
// external LiveKit, whose own configuration (TURN included) then applies.
func iceServers(cfg *config.Config, md *media) any {
	if md.embedded == nil {
		return nil
	}
	urls := cfg.LiveKit.Embedded.ICEServers
	if len(urls) == 0 {
		return []any{}
	}
	return []any{map[string]any{"urls": urls}}
}

func nullIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
