package config

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// setting is one MEET_* variable: its default, its help text, whether it is a
// secret, and where its parsed value goes.
type setting struct {
	env    string
	def    string
	help   string
	secret bool
	apply  func(c *Config, v string) error
}

// flagName is the command-line flag of a setting: MEET_LIVEKIT_URL → livekit-url.
func (s setting) flagName() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.env, "MEET_")), "_", "-")
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = strings.TrimSpace(v); return nil }
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be true or false, got %q", v)
		}
		*p(c) = b
		return nil
	}
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be an integer, got %q", v)
		}
		*p(c) = n
		return nil
	}
}

func duration(p func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be a duration such as 30s or 6h, got %q", v)
		}
		*p(c) = d
		return nil
	}
}

func list(p func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*p(c) = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
		return nil
	}
}

func keyValues(p func(*Config) *map[string]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		m := map[string]string{}
		for _, pair := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' }) {
			k, val, ok := strings.Cut(pair, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return fmt.Errorf("must be key=value pairs separated by commas, got %q", pair)
			}
			m[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
		*p(c) = m
		return nil
	}
}

func prefixes(p func(*Config) *[]netip.Prefix) func(*Config, string) error {
	return func(c *Config, v string) error {
		var out []netip.Prefix
		for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			if a, err := netip.ParseAddr(item); err == nil {
				out = append(out, netip.PrefixFrom(a, a.BitLen()))
				continue
			}
			pr, err := netip.ParsePrefix(item)
			if err != nil {
				return fmt.Errorf("must be IP addresses or CIDR ranges, got %q", item)
			}
			out = append(out, pr.Masked())
		}
		*p(c) = out
		return nil
	}
}

// settings lists every setting, in the order --help prints them.
var settings = append([]setting{
	{env: "MEET_ADDR", def: ":8080", help: "listen address", apply: str(func(c *Config) *string { return &c.Addr })},
	{env: "MEET_PUBLIC_URL", def: "", help: "URL people open (default http://localhost:<port>); https makes cookies Secure", apply: str(func(c *Config) *string { return &c.PublicURL })},
	{env: "MEET_DATA_DIR", def: "./data", help: "directory for the SQLite database, generated secrets and recordings", apply: str(func(c *Config) *string { return &c.DataDir })},
	{env: "MEET_DATABASE_URL", def: "", help: "PostgreSQL URL (postgres://…); empty uses SQLite in the data directory", secret: true, apply: str(func(c *Config) *string { return &c.DatabaseURL })},
	{env: "MEET_REDIS_URL", def: "", help: "Redis URL (redis://…); empty keeps sessions in the database and the lobby in memory", secret: true, apply: str(func(c *Config) *string { return &c.RedisURL })},
	{env: "MEET_SECRET_KEY", def: "", help: "secret for signing and hashing; generated and kept in the data directory when empty", secret: true, apply: str(func(c *Config) *string { return &c.SecretKey })},
	{env: "MEET_LOG_FORMAT", def: "text", help: "log format: text or json", apply: str(func(c *Config) *string { return &c.LogFormat })},
	{env: "MEET_LOG_LEVEL", def: "info", help: "log level: debug, info, warn or error", apply: str(func(c *Config) *string { return &c.LogLevel })},
	{env: "MEET_WEB_DIR", def: "", help: "serve the web front end from this directory instead of the embedded build", apply: str(func(c *Config) *string { return &c.WebDir })},

	{env: "MEET_HTTP_BODY_TIMEOUT", def: "15s", help: "time a client may take to send a request body", apply: duration(func(c *Config) *time.Duration { return &c.HTTP.BodyTimeout })},
	{env: "MEET_HTTP_IDLE_TIMEOUT", def: "60s", help: "close keep-alive connections idle this long", apply: duration(func(c *Config) *time.Duration { return &c.HTTP.IdleTimeout })},
	{env: "MEET_MAX_CONNECTIONS_PER_CLIENT", def: "256", help: "open connections per client address (IPv6 by /64; loopback and trusted proxies not counted; 0 = no limit)", apply: integer(func(c *Config) *int { return &c.HTTP.MaxConnsPerClient })},
	{env: "MEET_TRUSTED_PROXIES", def: "", help: "reverse proxies (CIDRs, comma-separated) whose X-Forwarded-For gives the client address", apply: prefixes(func(c *Config) *[]netip.Prefix { return &c.TrustedProxies })},

	{env: "MEET_TLS", def: "off", help: "serve HTTPS: off (plain HTTP on MEET_ADDR, e.g. behind a proxy), acme (certificate from an ACME CA for MEET_PUBLIC_URL's host) or file", apply: str(func(c *Config) *string { return &c.TLS.Mode })},
	{env: "MEET_TLS_ADDR", def: ":443", help: "HTTPS listen address with MEET_TLS on (TURN over TLS shares it)", apply: str(func(c *Config) *string { return &c.TLS.Addr })},
	{env: "MEET_TLS_REDIRECT_ADDR", def: ":80", help: "with MEET_TLS on: plain HTTP address that redirects to https and answers ACME http-01 challenges (empty = none)", apply: str(func(c *Config) *string { return &c.TLS.RedirectAddr })},
	{env: "MEET_TLS_CERT", def: "", help: "PEM certificate chain with MEET_TLS=file (re-read when it changes)", apply: str(func(c *Config) *string { return &c.TLS.CertFile })},
	{env: "MEET_TLS_KEY", def: "", help: "PEM private key with MEET_TLS=file", apply: str(func(c *Config) *string { return &c.TLS.KeyFile })},
	{env: "MEET_ACME_DIRECTORY", def: "https://acme-v02.api.letsencrypt.org/directory", help: "ACME directory URL with MEET_TLS=acme (default Let's Encrypt)", apply: str(func(c *Config) *string { return &c.TLS.ACME.Directory })},
	{env: "MEET_ACME_EMAIL", def: "", help: "contact address given to the ACME CA (expiry notices)", apply: str(func(c *Config) *string { return &c.TLS.ACME.Email })},
	{env: "MEET_ACME_CA_FILE", def: "", help: "PEM roots trusted for the ACME directory's HTTPS (a private ACME CA); empty = the system's", apply: str(func(c *Config) *string { return &c.TLS.ACME.CAFile })},

	{env: "MEET_DEFAULT_ACCESS_LEVEL", def: "public", help: "access level of new rooms: public, trusted or restricted", apply: str(func(c *Config) *string { return &c.Rooms.DefaultAccessLevel })},
	{env: "MEET_ALLOW_UNREGISTERED_ROOMS", def: "true", help: "let anyone meet in a room that was never created", apply: boolean(func(c *Config) *bool { return &c.Rooms.AllowUnregistered })},
	{env: "MEET_AUTHENTICATED_CAN_EDIT_NAME", def: "true", help: "let signed-in users choose their display name", apply: boolean(func(c *Config) *bool { return &c.Rooms.AuthenticatedCanEditName })},
	{env: "MEET_ROOM_CREATION_PER_MINUTE", def: "30", help: "rooms one user may create per minute (0 = no limit)", apply: integer(func(c *Config) *int { return &c.Rooms.CreationPerMinute })},
	{env: "MEET_SESSION_TTL", def: "12h", help: "how long a sign-in lasts", apply: duration(func(c *Config) *time.Duration { return &c.Session.TTL })},

	{env: "MEET_LIVEKIT_URL", def: "", help: "external LiveKit server or cluster; empty starts the SFU in-process", apply: str(func(c *Config) *string { return &c.LiveKit.URL })},
	{env: "MEET_LIVEKIT_PUBLIC_URL", def: "", help: "LiveKit URL browsers connect to, when it differs from MEET_LIVEKIT_URL", apply: str(func(c *Config) *string { return &c.LiveKit.PublicURL })},
	{env: "MEET_LIVEKIT_API_KEY", def: "", help: "LiveKit API key (required with MEET_LIVEKIT_URL)", apply: str(func(c *Config) *string { return &c.LiveKit.APIKey })},
	{env: "MEET_LIVEKIT_API_SECRET", def: "", help: "LiveKit API secret (required with MEET_LIVEKIT_URL)", secret: true, apply: str(func(c *Config) *string { return &c.LiveKit.APISecret })},
	{env: "MEET_LIVEKIT_TOKEN_TTL", def: "10m", help: "lifetime of LiveKit join tokens (LiveKit refreshes them while connected; a removal lasts this long plus 2 min, at least 12 min)", apply: duration(func(c *Config) *time.Duration { return &c.LiveKit.TokenTTL })},
	{env: "MEET_LIVEKIT_WEBHOOK_FILTER", def: "", help: "only handle LiveKit webhooks whose room name matches this regular expression", apply: str(func(c *Config) *string { return &c.LiveKit.WebhookFilterRegex })},
	{env: "MEET_LIVEKIT_BIND", def: "127.0.0.1", help: "in-process SFU: address its signalling port binds", apply: str(func(c *Config) *string { return &c.LiveKit.Embedded.BindAddress })},
	{env: "MEET_LIVEKIT_PORT", def: "7880", help: "in-process SFU: signalling port (TCP)", apply: integer(func(c *Config) *int { return &c.LiveKit.Embedded.Port })},
	{env: "MEET_LIVEKIT_UDP_PORT", def: "7882", help: "in-process SFU: media port (UDP)", apply: integer(func(c *Config) *int { return &c.LiveKit.Embedded.UDPPort })},
	{env: "MEET_LIVEKIT_NODE_IP", def: "127.0.0.1", help: "in-process SFU: IP address announced to browsers for media", apply: str(func(c *Config) *string { return &c.LiveKit.Embedded.NodeIP })},
	{env: "MEET_LIVEKIT_USE_EXTERNAL_IP", def: "false", help: "in-process SFU: discover the public IP with STUN (public installs)", apply: boolean(func(c *Config) *bool { return &c.LiveKit.Embedded.UseExternalIP })},
	{env: "MEET_LIVEKIT_INTERFACES", def: "lo", help: "in-process SFU: network interfaces used for media (comma-separated; empty = all)", apply: list(func(c *Config) *[]string { return &c.LiveKit.Embedded.Interfaces })},
	{env: "MEET_LIVEKIT_ICE_SERVERS", def: "", help: "in-process SFU: STUN servers browsers use (comma-separated stun: URLs; empty = none, media goes straight to the SFU)", apply: list(func(c *Config) *[]string { return &c.LiveKit.Embedded.ICEServers })},

	{env: "MEET_TURN", def: "auto", help: "in-process SFU: TURN server for browsers behind UDP-blocking firewalls: auto (on with MEET_TLS), on or off", apply: str(func(c *Config) *string { return &c.LiveKit.Embedded.TURN.Mode })},
	{env: "MEET_TURN_UDP_PORT", def: "3478", help: "in-process SFU: TURN over UDP port (TURN over TLS shares MEET_TLS_ADDR)", apply: integer(func(c *Config) *int { return &c.LiveKit.Embedded.TURN.UDPPort })},
	{env: "MEET_LIVEKIT_DEPARTURE_TIMEOUT", def: "20s", help: "in-process SFU: close a room this long after its last participant left", apply: duration(func(c *Config) *time.Duration { return &c.LiveKit.Embedded.DepartureTimeout })},

	{env: "MEET_OIDC_ISSUER", def: "", help: "OpenID Connect issuer URL; empty disables single sign-on", apply: str(func(c *Config) *string { return &c.OIDC.Issuer })},
	{env: "MEET_OIDC_CLIENT_ID", def: "meet", help: "OpenID Connect client id", apply: str(func(c *Config) *string { return &c.OIDC.ClientID })},
	{env: "MEET_OIDC_CLIENT_SECRET", def: "", help: "OpenID Connect client secret", secret: true, apply: str(func(c *Config) *string { return &c.OIDC.ClientSecret })},
	{env: "MEET_OIDC_SCOPES", def: "openid,email,profile", help: "scopes requested at sign-in", apply: list(func(c *Config) *[]string { return &c.OIDC.Scopes })},
	{env: "MEET_OIDC_EXTRA_AUTH_PARAMS", def: "", help: "extra authorization request parameters, key=value,…", apply: keyValues(func(c *Config) *map[string]string { return &c.OIDC.ExtraAuthParams })},
	{env: "MEET_OIDC_REDIRECT_ALLOWED_HOSTS", def: "", help: "hosts returnTo may point to besides the public URL's", apply: list(func(c *Config) *[]string { return &c.OIDC.RedirectAllowedHosts })},
	{env: "MEET_OIDC_FALLBACK_TO_EMAIL", def: "false", help: "match users by e-mail when their subject is unknown", apply: boolean(func(c *Config) *bool { return &c.OIDC.FallbackToEmail })},
	{env: "MEET_OIDC_CREATE_USER", def: "true", help: "create users at their first sign-in", apply: boolean(func(c *Config) *bool { return &c.OIDC.CreateUser })},
	{env: "MEET_OIDC_SILENT_LOGIN", def: "true", help: "let the front end try a silent sign-in (prompt=none) on load", apply: boolean(func(c *Config) *bool { return &c.OIDC.SilentLogin })},
	{env: "MEET_OIDC_FULL_NAME_CLAIMS", def: "given_name,usual_name", help: "claims joined into the full name (falls back to name)", apply: list(func(c *Config) *[]string { return &c.OIDC.FullNameClaims })},
	{env: "MEET_OIDC_SHORT_NAME_CLAIM", def: "given_name", help: "claim used as the short name", apply: str(func(c *Config) *string { return &c.OIDC.ShortNameClaim })},
	{env: "MEET_LOCAL_ACCOUNTS", def: "auto", help: "password accounts: auto (on without OIDC), on or off", apply: str(func(c *Config) *string { return &c.Local.Mode })},
	{env: "MEET_PASSWORD_HASH_MEMORY_MB", def: "0", help: "memory (MiB) password hashing may use at once, which bounds concurrent logins (0 = a quarter of the machine's memory)", apply: integer(func(c *Config) *int { return &c.Local.HashMemoryMB })},

	{env: "MEET_LOBBY_WAITING_TIMEOUT", def: "3s", help: "how long a waiting guest stays listed after their last poll", apply: duration(func(c *Config) *time.Duration { return &c.Lobby.WaitingTimeout })},
	{env: "MEET_LOBBY_ACCEPTED_TIMEOUT", def: "6h", help: "how long an admission stays valid", apply: duration(func(c *Config) *time.Duration { return &c.Lobby.AcceptedTimeout })},
	{env: "MEET_LOBBY_DENIED_TIMEOUT", def: "5s", help: "how long a refusal is remembered", apply: duration(func(c *Config) *time.Duration { return &c.Lobby.DeniedTimeout })},
	{env: "MEET_REQUEST_ENTRY_PER_MINUTE", def: "150", help: "lobby entry requests allowed per minute per user or guest", apply: integer(func(c *Config) *int { return &c.Lobby.RequestEntryPerMin })},
	{env: "MEET_REQUEST_ENTRY_PER_MINUTE_PER_CLIENT", def: "600", help: "lobby entry requests allowed per minute per client address (IPv6: per /64); 0 = no limit", apply: integer(func(c *Config) *int { return &c.Lobby.RequestEntryPerMinPerClient })},
	{env: "MEET_LOBBY_STREAMS_PER_CLIENT", def: "20", help: "lobby push streams one client address may hold open on one server; 0 = no limit", apply: integer(func(c *Config) *int { return &c.Lobby.StreamsPerClient })},

	{env: "MEET_RECORDING_ENABLED", def: "false", help: "enable recordings and transcripts", apply: boolean(func(c *Config) *bool { return &c.Recorder.Enabled })},
	{env: "MEET_RECORDING_WORKER", def: "true", help: "record inside the serve process; turn off when meet recorder runs as its own process", apply: boolean(func(c *Config) *bool { return &c.Recorder.Worker })},
	{env: "MEET_RECORDING_DIR", def: "", help: "where recordings are stored (default <data dir>/recordings)", apply: str(func(c *Config) *string { return &c.Recorder.OutputDir })},
	{env: "MEET_RECORDING_EXPIRATION_DAYS", def: "0", help: "days after which recordings expire (0 = never)", apply: integer(func(c *Config) *int { return &c.Recorder.ExpirationDays })},
	{env: "MEET_RECORDING_MAX_DURATION", def: "0s", help: "longest recording (0 = no limit)", apply: duration(func(c *Config) *time.Duration { return &c.Recorder.MaxDuration })},
	{env: "MEET_RECORDING_DOWNLOAD_BASE_URL", def: "", help: "base of the download link e-mailed to owners (default <public URL>/recordings)", apply: str(func(c *Config) *string { return &c.Recorder.DownloadBaseURL })},
	{env: "MEET_RECORDING_STORAGE_EVENT_ENABLED", def: "false", help: "finish recordings on object-storage events (recordings/storage-hook/)", apply: boolean(func(c *Config) *bool { return &c.Recorder.StorageEventEnabled })},
	{env: "MEET_RECORDING_STORAGE_EVENT_TOKEN", def: "", help: "bearer token of recordings/storage-hook/", secret: true, apply: str(func(c *Config) *string { return &c.Recorder.StorageEventToken })},
	{env: "MEET_RECORDING_BUCKET", def: "", help: "bucket name storage events must come from", apply: str(func(c *Config) *string { return &c.Recorder.Bucket })},
	{env: "MEET_S3_ENDPOINT", def: "", help: "S3-compatible object storage URL (http(s)://host:port) recordings are uploaded to; empty keeps them in MEET_RECORDING_DIR", apply: str(func(c *Config) *string { return &c.Recorder.S3.Endpoint })},
	{env: "MEET_S3_BUCKET", def: "", help: "bucket of recording files (required with MEET_S3_ENDPOINT)", apply: str(func(c *Config) *string { return &c.Recorder.S3.Bucket })},
	{env: "MEET_S3_REGION", def: "us-east-1", help: "region of the bucket", apply: str(func(c *Config) *string { return &c.Recorder.S3.Region })},
	{env: "MEET_S3_ACCESS_KEY_ID", def: "", help: "S3 access key id", apply: str(func(c *Config) *string { return &c.Recorder.S3.AccessKeyID })},
	{env: "MEET_S3_SECRET_ACCESS_KEY", def: "", help: "S3 secret access key", secret: true, apply: str(func(c *Config) *string { return &c.Recorder.S3.SecretAccessKey })},
	{env: "MEET_S3_PREFIX", def: "recordings", help: "key prefix of recording objects in the bucket", apply: str(func(c *Config) *string { return &c.Recorder.S3.Prefix })},
	{env: "MEET_S3_PATH_STYLE", def: "true", help: "address the bucket in the path (MinIO) instead of the host name", apply: boolean(func(c *Config) *bool { return &c.Recorder.S3.PathStyle })},
	{env: "MEET_SUMMARY_SERVICE_ENDPOINT", def: "", help: "summary service URL transcripts are sent to (empty: off)", apply: str(func(c *Config) *string { return &c.Recorder.SummaryEndpoint })},
	{env: "MEET_SUMMARY_SERVICE_API_TOKEN", def: "", help: "bearer token meet sends to the summary service", secret: true, apply: str(func(c *Config) *string { return &c.Recorder.SummaryToken })},
	{env: "MEET_SUMMARY_SERVICE_WEBHOOK_API_TOKEN", def: "", help: "bearer token the summary service sends to recordings/external-process-hook/", secret: true, apply: str(func(c *Config) *string { return &c.Recorder.SummaryWebhookToken })},
	{env: "MEET_SMTP_ADDR", def: "", help: "SMTP server host:port for recording e-mails and invitations (empty: no e-mail)", apply: str(func(c *Config) *string { return &c.Recorder.SMTPAddr })},
	{env: "MEET_SMTP_FROM", def: "meet@localhost", help: "sender address of e-mails", apply: str(func(c *Config) *string { return &c.Recorder.SMTPFrom })},
	{env: "MEET_SMTP_USERNAME", def: "", help: "SMTP user name", apply: str(func(c *Config) *string { return &c.Recorder.SMTPUsername })},
	{env: "MEET_SMTP_PASSWORD", def: "", help: "SMTP password", secret: true, apply: str(func(c *Config) *string { return &c.Recorder.SMTPPassword })},
	{env: "MEET_BRAND_NAME", def: "Meet", help: "product name in e-mails", apply: str(func(c *Config) *string { return &c.Recorder.BrandName })},
	{env: "MEET_SUPPORT_EMAIL", def: "", help: "support address shown in e-mails", apply: str(func(c *Config) *string { return &c.Recorder.SupportEmail })},
}, slices.Concat(clientSettings, externalSettings, analyticsSettings, embeddingSettings, filesSettings)...)
