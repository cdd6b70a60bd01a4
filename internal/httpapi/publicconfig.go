package httpapi

import (
	"net/http"

	"meet/internal/config"
	"meet/internal/rooms"
)

// PublicConfig is the document of GET config/: every key of the
// reference's, in its shapes, plus meet's own (livekit.ice_servers,
// authentication). cmd/meet fills it from the configuration once.
type PublicConfig struct {
	LanguageCode    string                `json:"LANGUAGE_CODE"`
	Recording       RecordingConfig       `json:"recording"`
	BackgroundImage BackgroundImageConfig `json:"background_image"`
	// Telephony is {"enabled": false}: meet has no SIP dial-in.
	Telephony   TelephonyConfig   `json:"telephony"`
	Resource    ResourceConfig    `json:"resource"`
	Subtitle    SubtitleConfig    `json:"subtitle"`
	Diagnostics DiagnosticsConfig `json:"diagnostics"`
	LiveKit     LiveKitConfig     `json:"livekit"`

	AuthenticatedUsersCanEditDisplayName bool `json:"authenticated_users_can_edit_display_name"`
	// IsSilentLoginEnabled is true only with OIDC: without a provider a
	// silent sign-in has nothing to try.
	IsSilentLoginEnabled bool `json:"is_silent_login_enabled"`
	// Frontend is the pass-through of the reference's FRONTEND_CONFIGURATION;
	// its keys sit at the top level of the document.
	config.Frontend

	// Authentication says how people sign in to meet (meet's own key).
	Authentication AuthenticationConfig `json:"authentication"`
}

// RecordingConfig is config/'s "recording".
type RecordingConfig struct {
	IsEnabled      bool     `json:"is_enabled"`
	AvailableModes []string `json:"available_modes"`
	ExpirationDays *int     `json:"expiration_days"` // null: recordings never expire
	MaxDuration    *int     `json:"max_duration"`    // milliseconds; null: no limit
}

// BackgroundImageConfig is config/'s "background_image": the upload rules of
// custom virtual backgrounds.
type BackgroundImageConfig struct {
	UploadIsEnabled   bool     `json:"upload_is_enabled"`
	MaxCountByUser    int      `json:"max_count_by_user"`
	MaxSize           int      `json:"max_size"` // bytes
	AllowedExtensions []string `json:"allowed_extensions"`
	AllowedMimetypes  []string `json:"allowed_mimetypes"`
}

// TelephonyConfig is config/'s "telephony".
type TelephonyConfig struct {
	Enabled bool `json:"enabled"`
}

// ResourceConfig is config/'s "resource".
type ResourceConfig struct {
	DefaultAccessLevel rooms.AccessLevel `json:"default_access_level"`
}

// SubtitleConfig is config/'s "subtitle".
type SubtitleConfig struct {
	Enabled bool `json:"enabled"`
}

// DiagnosticsConfig is config/'s "diagnostics".
type DiagnosticsConfig struct {
	ConnectionTestEnabled bool `json:"connection_test_enabled"`
}

// LiveKitConfig is config/'s "livekit".
type LiveKitConfig struct {
	URL                          string   `json:"url"`
	ForceWSSProtocol             bool     `json:"force_wss_protocol"`
	EnableFirefoxProxyWorkaround bool     `json:"enable_firefox_proxy_workaround"`
	DefaultSources               []string `json:"default_sources"`
	// ICEServers replaces the SFU's ICE servers in browsers: the configured
	// STUN servers with the in-process SFU, null with an external LiveKit.
	ICEServers []ICEServer `json:"ice_servers"`
}

// ICEServer is one RTCIceServer entry.
type ICEServer struct {
	URLs []string `json:"urls"`
}

// AuthenticationConfig is config/'s "authentication" (meet's own).
type AuthenticationConfig struct {
	OIDC  bool `json:"oidc"`
	Local bool `json:"local"`
}

// handleConfig serves the public configuration the front end reads at start
// ({} when none was given).
func (s *Server) handleConfig() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.PublicConfig == nil {
			writeJSON(w, http.StatusOK, struct{}{})
			return
		}
		writeJSON(w, http.StatusOK, s.PublicConfig)
	})
}
