package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ConnectionTest configures diagnostics/connection/, where browsers check
// that they reach the media server before a call.
type ConnectionTest struct {
	Enabled    bool
	TokenTTL   time.Duration // lifetime of the test's LiveKit token
	RoomPrefix string        // test rooms are named <prefix>-<uuid>
	PerMinute  int           // tests allowed per minute per user or client address
}

// Frontend holds what La Suite Meet's front end reads from config/ and meet
// only passes through (the reference's FRONTEND_CONFIGURATION): the JSON
// tags are the document's keys. Unset optional values are sent as null, as
// the reference sends them.
type Frontend struct {
	CustomCSSURL               *string         `json:"custom_css_url"`
	Analytics                  json.RawMessage `json:"analytics"`
	Support                    json.RawMessage `json:"support"`
	SilenceLiveKitDebugLogs    bool            `json:"silence_livekit_debug_logs"`
	IdleDisconnectWarningDelay *int            `json:"idle_disconnect_warning_delay"`
	Feedback                   json.RawMessage `json:"feedback"`
	DocumentationURL           *string         `json:"documentation_url"`
	ExternalHomeURL            *string         `json:"external_home_url"`
	UseFrenchGovFooter         bool            `json:"use_french_gov_footer"`
	UseProConnectButton        bool            `json:"use_proconnect_button"`
	ManifestLink               *string         `json:"manifest_link"`
	TranscriptionDestination   *string         `json:"transcription_destination"`
	MaxParticipantsForSound    int             `json:"max_participants_for_sound"`
	AutoMuteOnJoinThreshold    int             `json:"auto_mute_on_join_threshold"`
}

// optional sets a string that is nil when empty (null in config/).
func optional(p func(*Config) **string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*p(c) = nil
		if v = strings.TrimSpace(v); v != "" {
			*p(c) = &v
		}
		return nil
	}
}

// optionalCount sets a non-negative integer that is nil when empty.
func optionalCount(p func(*Config) **int) func(*Config, string) error {
	return func(c *Config, v string) error {
		*p(c) = nil
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("must be a non-negative integer or empty, got %q", v)
		}
		*p(c) = &n
		return nil
	}
}

// count sets a non-negative integer.
func count(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return fmt.Errorf("must be a non-negative integer, got %q", v)
		}
		*p(c) = n
		return nil
	}
}

// jsonObject sets a JSON object, kept as written (compacted).
func jsonObject(p func(*Config) *json.RawMessage) func(*Config, string) error {
	return func(c *Config, v string) error {
		var obj map[string]any
		if err := json.Unmarshal([]byte(v), &obj); err != nil || obj == nil {
			return fmt.Errorf("must be a JSON object such as {\"key\": \"value\"}, got %q", v)
		}
		var b bytes.Buffer
		_ = json.Compact(&b, []byte(v))
		*p(c) = b.Bytes()
		return nil
	}
}

// clientSettings are the settings of what La Suite Meet's clients are told
// (config/) and of the connection test.
var clientSettings = []setting{
	{env: "MEET_LIVEKIT_FORCE_WSS_PROTOCOL", def: "false", help: "tell the front end to connect to LiveKit over wss:// whatever the URL says", apply: boolean(func(c *Config) *bool { return &c.LiveKit.ForceWSSProtocol })},
	{env: "MEET_LIVEKIT_ENABLE_FIREFOX_PROXY_WORKAROUND", def: "false", help: "tell the front end to work around Firefox behind an HTTP proxy", apply: boolean(func(c *Config) *bool { return &c.LiveKit.EnableFirefoxProxy })},

	{env: "MEET_CONNECTION_TEST_ENABLED", def: "false", help: "serve diagnostics/connection/ (a pre-call check against the media server)", apply: boolean(func(c *Config) *bool { return &c.ConnectionTest.Enabled })},
	{env: "MEET_CONNECTION_TEST_TOKEN_TTL", def: "5m", help: "lifetime of a connection test's LiveKit token", apply: duration(func(c *Config) *time.Duration { return &c.ConnectionTest.TokenTTL })},
	{env: "MEET_CONNECTION_TEST_ROOM_PREFIX", def: "connection-test", help: "prefix of the throwaway rooms of connection tests", apply: str(func(c *Config) *string { return &c.ConnectionTest.RoomPrefix })},
	{env: "MEET_CONNECTION_TEST_PER_MINUTE", def: "30", help: "connection tests allowed per minute per user or client address (0 = no limit)", apply: integer(func(c *Config) *int { return &c.ConnectionTest.PerMinute })},

	{env: "MEET_FRONTEND_CUSTOM_CSS_URL", def: "", help: "front end: stylesheet added to every page (theming)", apply: optional(func(c *Config) **string { return &c.Frontend.CustomCSSURL })},
	{env: "MEET_FRONTEND_ANALYTICS", def: "{}", help: "front end: analytics settings (JSON object)", apply: jsonObject(func(c *Config) *json.RawMessage { return &c.Frontend.Analytics })},
	{env: "MEET_FRONTEND_SUPPORT", def: "{}", help: "front end: support chat settings (JSON object)", apply: jsonObject(func(c *Config) *json.RawMessage { return &c.Frontend.Support })},
	{env: "MEET_FRONTEND_SILENCE_LIVEKIT_DEBUG", def: "false", help: "front end: silence LiveKit's debug logs", apply: boolean(func(c *Config) *bool { return &c.Frontend.SilenceLiveKitDebugLogs })},
	{env: "MEET_FRONTEND_IDLE_DISCONNECT_WARNING_DELAY", def: "", help: "front end: warn an idle participant before disconnecting (ms; empty = never)", apply: optionalCount(func(c *Config) **int { return &c.Frontend.IdleDisconnectWarningDelay })},
	{env: "MEET_FRONTEND_FEEDBACK", def: "{}", help: "front end: feedback form settings (JSON object)", apply: jsonObject(func(c *Config) *json.RawMessage { return &c.Frontend.Feedback })},
	{env: "MEET_FRONTEND_DOCUMENTATION_URL", def: "", help: "front end: link to the user documentation", apply: optional(func(c *Config) **string { return &c.Frontend.DocumentationURL })},
	{env: "MEET_FRONTEND_EXTERNAL_HOME_URL", def: "", help: "front end: home page to send people to instead of its own", apply: optional(func(c *Config) **string { return &c.Frontend.ExternalHomeURL })},
	{env: "MEET_FRONTEND_USE_FRENCH_GOV_FOOTER", def: "false", help: "front end: show the French government footer", apply: boolean(func(c *Config) *bool { return &c.Frontend.UseFrenchGovFooter })},
	{env: "MEET_FRONTEND_USE_PROCONNECT_BUTTON", def: "false", help: "front end: show the ProConnect sign-in button", apply: boolean(func(c *Config) *bool { return &c.Frontend.UseProConnectButton })},
	{env: "MEET_FRONTEND_MANIFEST_LINK", def: "", help: "front end: web app manifest URL", apply: optional(func(c *Config) **string { return &c.Frontend.ManifestLink })},
	{env: "MEET_FRONTEND_TRANSCRIPTION_DESTINATION", def: "", help: "front end: where transcripts are said to be delivered", apply: optional(func(c *Config) **string { return &c.Frontend.TranscriptionDestination })},
	{env: "MEET_FRONTEND_MAX_PARTICIPANTS_FOR_SOUND", def: "5", help: "front end: play join and leave sounds up to this many participants", apply: count(func(c *Config) *int { return &c.Frontend.MaxParticipantsForSound })},
	{env: "MEET_FRONTEND_AUTO_MUTE_ON_JOIN_THRESHOLD", def: "50", help: "front end: join muted from this many participants", apply: count(func(c *Config) *int { return &c.Frontend.AutoMuteOnJoinThreshold })},
}

// validateClient checks the connection test's settings.
func (c *Config) validateClient(bad func(env, format string, a ...any)) {
	ct := c.ConnectionTest
	if ct.TokenTTL <= 0 {
		bad("MEET_CONNECTION_TEST_TOKEN_TTL", "must be positive")
	}
	if ct.RoomPrefix == "" {
		bad("MEET_CONNECTION_TEST_ROOM_PREFIX", "must not be empty")
	}
	if ct.PerMinute < 0 {
		bad("MEET_CONNECTION_TEST_PER_MINUTE", "must not be negative")
	}
}
