package config

import (
	"net/url"
	"time"
)

// External configures the external API, where applications manage rooms on
// behalf of users (the reference's EXTERNAL_API_* and APPLICATION_* settings).
type External struct {
	// Enabled serves /external-api/v1.0/ (EXTERNAL_API_ENABLED and
	// APPLICATION_ENABLED in one: without resource-server tokens, the
	// external API without applications has no way in).
	Enabled bool
	// SigningKey signs the delegated tokens; empty derives it from the
	// instance secret key (MEET_SECRET_KEY or the generated one).
	SigningKey string
	Issuer     string
	Audience   string // empty: no aud claim, none checked
	TokenTTL   time.Duration
	// BaseURL gives each room of the external API a url (BaseURL/<slug>).
	BaseURL            string
	AllowPublic        bool
	DefaultAccessLevel string
	AllowUserCreation  bool
	// TokenPerMinute bounds token requests per client address (0: no limit).
	TokenPerMinute int
}

// externalSettings are the settings of the external API.
var externalSettings = []setting{
	{env: "MEET_EXTERNAL_API_ENABLED", def: "false", help: "serve the external API (/external-api/v1.0/) for applications acting for users", apply: boolean(func(c *Config) *bool { return &c.External.Enabled })},
	{env: "MEET_APPLICATION_JWT_SECRET_KEY", def: "", help: "key signing the external API's delegated tokens (empty: derived from the secret key)", secret: true, apply: str(func(c *Config) *string { return &c.External.SigningKey })},
	{env: "MEET_APPLICATION_JWT_ISSUER", def: "lasuite-meet", help: "iss claim of delegated tokens", apply: str(func(c *Config) *string { return &c.External.Issuer })},
	{env: "MEET_APPLICATION_JWT_AUDIENCE", def: "", help: "aud claim of delegated tokens, checked when set", apply: str(func(c *Config) *string { return &c.External.Audience })},
	{env: "MEET_APPLICATION_TOKEN_TTL", def: "1h", help: "lifetime of delegated tokens", apply: duration(func(c *Config) *time.Duration { return &c.External.TokenTTL })},
	{env: "MEET_APPLICATION_BASE_URL", def: "", help: "base of the room links the external API returns (url = <base>/<slug>; empty: no url)", apply: str(func(c *Config) *string { return &c.External.BaseURL })},
	{env: "MEET_APPLICATION_ALLOW_USER_CREATION", def: "false", help: "create a user for an unknown e-mail address at token time (also needs MEET_OIDC_FALLBACK_TO_EMAIL)", apply: boolean(func(c *Config) *bool { return &c.External.AllowUserCreation })},
	{env: "MEET_EXTERNAL_API_ALLOW_PUBLIC_ACCESS", def: "false", help: "let applications create public rooms", apply: boolean(func(c *Config) *bool { return &c.External.AllowPublic })},
	{env: "MEET_EXTERNAL_API_DEFAULT_ACCESS_LEVEL", def: "trusted", help: "access level of rooms applications create without one: public, trusted or restricted", apply: str(func(c *Config) *string { return &c.External.DefaultAccessLevel })},
	{env: "MEET_APPLICATION_TOKEN_PER_MINUTE", def: "60", help: "token requests allowed per minute per client address (0 = no limit)", apply: integer(func(c *Config) *int { return &c.External.TokenPerMinute })},
}

// validateExternal checks the external API's settings.
func (c *Config) validateExternal(bad func(env, format string, a ...any)) {
	e := c.External
	if e.SigningKey != "" && len(e.SigningKey) < 32 {
		bad("MEET_APPLICATION_JWT_SECRET_KEY", "must be at least 32 characters")
	}
	if e.TokenTTL <= 0 {
		bad("MEET_APPLICATION_TOKEN_TTL", "must be positive")
	}
	switch e.DefaultAccessLevel {
	case "public", "trusted", "restricted":
	default:
		bad("MEET_EXTERNAL_API_DEFAULT_ACCESS_LEVEL", "must be public, trusted or restricted, got %q", e.DefaultAccessLevel)
	}
	if e.BaseURL != "" {
		if u, err := url.Parse(e.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("MEET_APPLICATION_BASE_URL", "must be an http(s) URL, got %q", e.BaseURL)
		}
	}
	if e.TokenPerMinute < 0 {
		bad("MEET_APPLICATION_TOKEN_PER_MINUTE", "must not be negative")
	}
}
