package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Load reads every setting from its command-line flag, else its MEET_*
// environment variable, else its default. It returns every problem at once,
// each naming the variable. A -h/--help flag returns flag.ErrHelp after the
// usage (every setting with its default) was written to usage.
func Load(name string, args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(usage)
	values := make([]*string, len(settings))
	for i, s := range settings {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		values[i] = fs.String(s.flagName(), v, s.help)
	}
	fs.Usage = func() { WriteHelp(usage, name) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	c := &Config{raw: make(map[string]string, len(settings))}
	var errs []error
	for i, s := range settings {
		c.raw[s.env] = *values[i]
		if err := s.apply(c, *values[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, c.Validate()
}

// Validate checks the settings together and reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(env, format string, a ...any) { errs = append(errs, fmt.Errorf(env+": "+format, a...)) }
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("MEET_ADDR", "must be host:port or :port, got %q", c.Addr)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("MEET_PUBLIC_URL", "must be an http(s) URL, got %q", c.PublicURL)
		}
	}
	if c.DataDir == "" {
		bad("MEET_DATA_DIR", "must not be empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("MEET_DATABASE_URL", "must be a postgres:// URL")
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("MEET_REDIS_URL", "must be a redis:// or rediss:// URL")
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		bad("MEET_SECRET_KEY", "must be at least 32 characters")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("MEET_LOG_FORMAT", "must be text or json, got %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("MEET_LOG_LEVEL", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.Rooms.DefaultAccessLevel {
	case "public", "trusted", "restricted":
	default:
		bad("MEET_DEFAULT_ACCESS_LEVEL", "must be public, trusted or restricted, got %q", c.Rooms.DefaultAccessLevel)
	}
	if c.Session.TTL <= 0 {
		bad("MEET_SESSION_TTL", "must be positive")
	}
	c.validateLiveKit(bad)
	if c.OIDC.Issuer != "" {
		if u, err := url.Parse(c.OIDC.Issuer); err != nil || u.Host == "" {
			bad("MEET_OIDC_ISSUER", "must be a URL, got %q", c.OIDC.Issuer)
		}
		if c.OIDC.ClientID == "" {
			bad("MEET_OIDC_CLIENT_ID", "is required with MEET_OIDC_ISSUER")
		}
	}
	switch c.Local.Mode {
	case "auto", "on", "off":
	default:
		bad("MEET_LOCAL_ACCOUNTS", "must be auto, on or off, got %q", c.Local.Mode)
	}
	if c.Rooms.CreationPerMinute < 0 {
		bad("MEET_ROOM_CREATION_PER_MINUTE", "must not be negative")
	}
	if c.Local.HashMemoryMB < 0 {
		bad("MEET_PASSWORD_HASH_MEMORY_MB", "must not be negative")
	}
	if c.Lobby.WaitingTimeout <= 0 || c.Lobby.AcceptedTimeout <= 0 || c.Lobby.DeniedTimeout <= 0 {
		bad("MEET_LOBBY_*_TIMEOUT", "lobby timeouts must be positive")
	}
	if c.HTTP.BodyTimeout <= 0 {
		bad("MEET_HTTP_BODY_TIMEOUT", "must be positive")
	}
	if c.HTTP.IdleTimeout <= 0 {
		bad("MEET_HTTP_IDLE_TIMEOUT", "must be positive")
	}
	if c.HTTP.MaxConnsPerClient < 0 {
		bad("MEET_MAX_CONNECTIONS_PER_CLIENT", "must be 0 (no limit) or positive")
	}
	if c.Lobby.RequestEntryPerMin <= 0 {
		bad("MEET_REQUEST_ENTRY_PER_MINUTE", "must be positive")
	}
	if c.Lobby.RequestEntryPerMinPerClient < 0 || c.Lobby.StreamsPerClient < 0 {
		bad("MEET_REQUEST_ENTRY_PER_MINUTE_PER_CLIENT, MEET_LOBBY_STREAMS_PER_CLIENT", "must not be negative (0 turns the limit off)")
	}
	if c.Recorder.ExpirationDays < 0 {
		bad("MEET_RECORDING_EXPIRATION_DAYS", "must not be negative")
	}
	c.validateS3(bad)
	c.validateTLS(bad)
	c.validateClient(bad)
	c.validateExternal(bad)
	c.validateAnalytics(bad)
	c.validateEmbedding(bad)
	c.validateFiles(bad)
	return errors.Join(errs...)
}

func (c *Config) validateLiveKit(bad func(env, format string, a ...any)) {
	lk := c.LiveKit
	if lk.URL != "" {
		if u, err := url.Parse(lk.URL); err != nil || u.Host == "" || !strings.Contains("ws wss http https", u.Scheme) {
			bad("MEET_LIVEKIT_URL", "must be a ws(s):// or http(s):// URL, got %q", lk.URL)
		}
		if lk.APIKey == "" {
			bad("MEET_LIVEKIT_API_KEY", "is required with MEET_LIVEKIT_URL")
		}
		if len(lk.APISecret) < 32 {
			bad("MEET_LIVEKIT_API_SECRET", "must be at least 32 characters with MEET_LIVEKIT_URL")
		}
	}
	if lk.TokenTTL <= 0 {
		bad("MEET_LIVEKIT_TOKEN_TTL", "must be positive")
	}
	if lk.WebhookFilterRegex != "" {
		if _, err := regexp.Compile(lk.WebhookFilterRegex); err != nil {
			bad("MEET_LIVEKIT_WEBHOOK_FILTER", "is not a valid regular expression: %v", err)
		}
	}
	e := lk.Embedded
	if e.Port < 0 || e.Port > 65535 {
		bad("MEET_LIVEKIT_PORT", "must be a port number")
	}
	if e.UDPPort < 0 || e.UDPPort > 65535 {
		bad("MEET_LIVEKIT_UDP_PORT", "must be a port number")
	}
	if e.NodeIP != "" && net.ParseIP(e.NodeIP) == nil {
		bad("MEET_LIVEKIT_NODE_IP", "must be an IP address, got %q", e.NodeIP)
	}
	switch e.TURN.Mode {
	case "auto", "off":
	case "on":
		if lk.URL != "" {
			bad("MEET_TURN", "on needs the in-process SFU; an external LiveKit configures its own TURN")
		}
	default:
		bad("MEET_TURN", "must be auto, on or off, got %q", e.TURN.Mode)
	}
	if e.TURN.UDPPort < 0 || e.TURN.UDPPort > 65535 {
		bad("MEET_TURN_UDP_PORT", "must be a port number")
	}
	for _, u := range e.ICEServers {
		// TURN needs per-user credentials, which only LiveKit's own
		// configuration can hand out; an external LiveKit is the place for it.
		if !strings.HasPrefix(u, "stun:") && !strings.HasPrefix(u, "stuns:") {
			bad("MEET_LIVEKIT_ICE_SERVERS", "must be stun: or stuns: URLs, got %q", u)
		}
	}
}

// String lists every setting with its value, secrets redacted, for the start-up log.
func (c *Config) String() string {
	var b strings.Builder
	for _, s := range settings {
		b.WriteString(s.env)
		b.WriteString("=")
		v := c.raw[s.env]
		if s.secret && v != "" {
			v = redact(v)
		}
		b.WriteString(v)
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String())
}

// redact hides a secret; URLs keep everything visible but their password,
// whether in the user information or in a query parameter (pgx and go-redis
// both accept ?password=…), and any other query parameter that names a secret.
func redact(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "[redacted]"
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "[redacted]"
		}
		for k := range q {
			if secretParam(k) {
				q[k] = []string{"xxxxx"}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// secretParam reports whether a URL query parameter carries a secret
// (password, sslpassword, token, secret…).
func secretParam(key string) bool {
	k := strings.ToLower(key)
	for _, word := range []string{"pass", "secret", "token", "key"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

// validateS3 checks the object-storage settings when an endpoint is set:
// minio-go takes a bare host, so the URL may carry no path, query or user.
func (c *Config) validateS3(bad func(env, format string, a ...any)) {
	s := c.Recorder.S3
	if s.Endpoint == "" {
		return
	}
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
		strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil || strings.Contains(u.Hostname(), "_") {
		bad("MEET_S3_ENDPOINT", "must be an http(s)://host[:port] URL without a path, got %q", s.Endpoint)
	}
	if s.Bucket == "" {
		bad("MEET_S3_BUCKET", "is required with MEET_S3_ENDPOINT")
	}
	if s.Region == "" {
		bad("MEET_S3_REGION", "must not be empty with MEET_S3_ENDPOINT")
	}
}

// validateTLS checks the HTTPS settings: what each mode needs, named by the
// setting to change.
func (c *Config) validateTLS(bad func(env, format string, a ...any)) {
	t := c.TLS
	switch t.Mode {
	case "off":
		return
	case "acme", "file":
	default:
		bad("MEET_TLS", "must be off, acme or file, got %q", t.Mode)
		return
	}
	if _, _, err := net.SplitHostPort(t.Addr); err != nil {
		bad("MEET_TLS_ADDR", "must be host:port or :port, got %q", t.Addr)
	}
	if t.RedirectAddr != "" {
		if _, _, err := net.SplitHostPort(t.RedirectAddr); err != nil {
			bad("MEET_TLS_REDIRECT_ADDR", "must be host:port, :port or empty, got %q", t.RedirectAddr)
		}
	}
	u, err := url.Parse(c.PublicURL)
	switch {
	case c.PublicURL == "":
		bad("MEET_PUBLIC_URL", "is required with MEET_TLS=%s: it names the host the certificate is for (https://meet.example.org)", t.Mode)
		return
	case err != nil:
		return // reported with MEET_PUBLIC_URL already
	case u.Scheme != "https":
		bad("MEET_PUBLIC_URL", "must be an https:// URL with MEET_TLS=%s, got %q", t.Mode, c.PublicURL)
	}
	if t.Mode == "file" {
		if t.CertFile == "" {
			bad("MEET_TLS_CERT", "is required with MEET_TLS=file")
		}
		if t.KeyFile == "" {
			bad("MEET_TLS_KEY", "is required with MEET_TLS=file")
		}
		return
	}
	if host := u.Hostname(); net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		bad("MEET_PUBLIC_URL", "must name a public domain with MEET_TLS=acme (ACME CAs certify domain names), got %q", host)
	}
	if d, err := url.Parse(t.ACME.Directory); err != nil || d.Scheme != "https" || d.Host == "" {
		bad("MEET_ACME_DIRECTORY", "must be an https:// URL, got %q", t.ACME.Directory)
	}
	if t.ACME.Email != "" && !strings.Contains(t.ACME.Email, "@") {
		bad("MEET_ACME_EMAIL", "must be an e-mail address, got %q", t.ACME.Email)
	}
}
