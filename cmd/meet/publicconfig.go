package main

import (
	"slices"

	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/rooms"
)

// publicConfig builds the document of GET /api/v1.0/config/ from the
// configuration: La Suite Meet's keys, set from what meet offers, plus how
// people can sign in.
func publicConfig(cfg *config.Config, md *media, deps httpapi.Deps) *httpapi.PublicConfig {
	doc := &httpapi.PublicConfig{
		LanguageCode: "en-us",
		Recording: httpapi.RecordingConfig{
			IsEnabled:      cfg.Recorder.Enabled,
			AvailableModes: []string{"screen_recording", "transcript"},
			ExpirationDays: positive(cfg.Recorder.ExpirationDays),
			MaxDuration:    positive(int(cfg.Recorder.MaxDuration.Milliseconds())),
		},
		BackgroundImage: httpapi.BackgroundImageConfig{
			UploadIsEnabled: cfg.Files.UploadEnabled, MaxCountByUser: cfg.Files.BackgroundImage.MaxCountByUser,
			MaxSize:           cfg.Files.BackgroundImage.MaxSize,
			AllowedExtensions: slices.Clone(cfg.Files.BackgroundImage.AllowedExtensions),
			AllowedMimetypes:  slices.Clone(cfg.Files.BackgroundImage.AllowedMimetypes),
		},
		Resource:    httpapi.ResourceConfig{DefaultAccessLevel: rooms.AccessLevel(cfg.Rooms.DefaultAccessLevel)},
		Diagnostics: httpapi.DiagnosticsConfig{ConnectionTestEnabled: cfg.ConnectionTest.Enabled},
		LiveKit: httpapi.LiveKitConfig{
			URL:                          md.publicURL,
			ForceWSSProtocol:             cfg.LiveKit.ForceWSSProtocol,
			EnableFirefoxProxyWorkaround: cfg.LiveKit.EnableFirefoxProxy,
			DefaultSources:               slices.Clone(rooms.DefaultSources),
			ICEServers:                   iceServers(cfg, md),
		},
		AuthenticatedUsersCanEditDisplayName: cfg.Rooms.AuthenticatedCanEditName,
		IsSilentLoginEnabled:                 deps.OIDC != nil && cfg.OIDC.SilentLogin,
		Frontend:                             cfg.Frontend,
		Authentication:                       httpapi.AuthenticationConfig{OIDC: deps.OIDC != nil, Local: deps.LocalLogin != nil},
	}
	return doc
}

// iceServers is what browsers use in place of the ICE servers the SFU sends:
// for the in-process SFU, exactly the configured STUN servers (none by
// default, so no third party is contacted); nil, sent as null, for an
// external LiveKit, whose own configuration (TURN included) then applies.
func iceServers(cfg *config.Config, md *media) []httpapi.ICEServer {
	if md.embedded == nil {
		return nil
	}
	urls := cfg.LiveKit.Embedded.ICEServers
	if len(urls) == 0 {
		return []httpapi.ICEServer{}
	}
	return []httpapi.ICEServer{{URLs: slices.Clone(urls)}}
}

// positive is n, or nil (sent as null) when it is not positive.
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}
