// Package config loads meet's settings from MEET_* environment variables and
// matching command-line flags, validates them all at once, and prints them
// with secrets redacted. It is loaded once, in cmd/meet, and sub-structs are
// passed to the constructors that need them; there is no global config.
//
// It imports only the standard library.
package config

import (
	"net/netip"
	"time"
)

// Config is every setting of meet.
type Config struct {
	Addr        string // listen address
	PublicURL   string // the URL people open; cookies are Secure when it is https
	DataDir     string // SQLite database, generated secrets, recordings
	DatabaseURL string // PostgreSQL; empty = SQLite in DataDir
	RedisURL    string // Redis; empty = in-memory cache
	SecretKey   string // signs and hashes; generated into DataDir when empty
	LogFormat   string // text or json
	LogLevel    string // debug, info, warn, error
	WebDir      string // serve the front end from disk (development)
	// TrustedProxies are the reverse proxies (CIDRs) whose X-Forwarded-For is
	// believed for client addresses (rate limits).
	TrustedProxies []netip.Prefix

	Rooms    Rooms
	LiveKit  LiveKit
	Session  Session
	OIDC     OIDC
	Local    Local
	Lobby    Lobby
	Recorder Recording
	HTTP     HTTP
	// TLS makes meet serve HTTPS itself (public installs without a proxy).
	TLS TLS
	// ConnectionTest configures diagnostics/connection/.
	ConnectionTest ConnectionTest
	// Frontend is passed through to the front end in config/.
	Frontend Frontend
	// External configures the external API for applications.
	External External
	// Analytics sends the server's product analytics events.
	Analytics Analytics
	// Files configures uploaded files (custom virtual backgrounds).
	Files Files

	// raw keeps each setting's text as loaded, for String.
	raw map[string]string
}

// HTTP bounds what one client can hold of the HTTP server.
type HTTP struct {
	BodyTimeout       time.Duration // time to send a request body
	IdleTimeout       time.Duration // keep-alive connection without a request
	MaxConnsPerClient int           // open connections per client address (0: no limit)
	// FrameAncestors are the origins whose pages may embed meet in an
	// iframe (empty: none may).
	FrameAncestors []string
}

// Rooms are the room rules of the instance.
type Rooms struct {
	DefaultAccessLevel       string
	AllowUnregistered        bool
	AuthenticatedCanEditName bool
	// CreationPerMinute is how many rooms one user may create a minute (0: no limit).
	CreationPerMinute int
}

// LiveKit says which SFU to use: an external server or cluster when URL is
// set, else one started in-process with the Embedded settings.
type LiveKit struct {
	URL                string // external server's URL (ws:// or wss://, or http(s)://)
	PublicURL          string // URL browsers connect to, when it differs from URL
	APIKey             string
	APISecret          string
	TokenTTL           time.Duration
	WebhookFilterRegex string
	Embedded           EmbeddedLiveKit
	ForceWSSProtocol   bool
	EnableFirefoxProxy bool
}

// EmbeddedLiveKit configures the in-process SFU. Defaults keep all media on
// loopback; a LAN or public install sets NodeIP (or UseExternalIP) and opens
// Port (TCP, signalling) and UDPPort (media).
type EmbeddedLiveKit struct {
	BindAddress   string
	Port          int
	UDPPort       int
	NodeIP        string
	UseExternalIP bool
	Interfaces    []string
	// ICEServers are the STUN servers browsers are told to use. Empty by
	// default: browsers reach the SFU's announced address directly and the
	// SFU learns theirs from its connectivity checks, so no third party
	// (LiveKit's default is Google's and Twilio's public STUN) learns who
	// joins a call.
	ICEServers []string
	// DepartureTimeout closes a room this long after its last participant
	// left (and fires room_finished, which clears its lobby).
	DepartureTimeout time.Duration
	// TURN is the SFU's own TURN server, for browsers whose network lets
	// no UDP through to the SFU's media port.
	TURN TURN
}

// TURN configures the in-process SFU's TURN server.
type TURN struct {
	// Mode is "auto" (on when meet serves HTTPS itself), "on" or "off".
	Mode string
	// UDPPort is TURN over UDP; 0 picks a free port (tests).
	UDPPort int
}

// TLS configures HTTPS served by meet itself.
type TLS struct {
	// Mode is "off" (plain HTTP on Addr, e.g. behind a proxy), "acme"
	// (certificates obtained and renewed from an ACME CA) or "file".
	Mode string
	// Addr serves HTTPS (and TURN over TLS) when Mode is not off.
	Addr string
	// RedirectAddr serves plain HTTP that redirects to https and answers
	// ACME http-01 challenges; empty: no such listener.
	RedirectAddr string
	CertFile     string // PEM certificate chain (Mode file)
	KeyFile      string // PEM private key (Mode file)
	ACME         ACME
}

// ACME configures the certificate authority of TLS mode acme.
type ACME struct {
	Directory string // the CA's directory URL
	Email     string // contact for expiry and policy notices
	// CAFile is a PEM bundle trusted for the directory's HTTPS, for a
	// private ACME CA; empty: the system's roots.
	CAFile string
}

// On reports whether meet serves HTTPS itself.
func (t TLS) On() bool { return t.Mode == "acme" || t.Mode == "file" }

// TURNEnabled reports whether the in-process SFU runs its TURN server.
func (c *Config) TURNEnabled() bool {
	if c.LiveKit.URL != "" {
		return false
	}
	switch c.LiveKit.Embedded.TURN.Mode {
	case "on":
		return true
	case "auto":
		return c.TLS.On()
	}
	return false
}

// Session configures sign-in sessions.
type Session struct {
	TTL time.Duration
}

// OIDC configures single sign-on; disabled when Issuer is empty.
type OIDC struct {
	Issuer               string
	ClientID             string
	ClientSecret         string
	Scopes               []string
	ExtraAuthParams      map[string]string
	RedirectAllowedHosts []string
	FallbackToEmail      bool
	CreateUser           bool
	SilentLogin          bool
	FullNameClaims       []string
	ShortNameClaim       string
}

// Local configures local (password) accounts.
type Local struct {
	// Mode is "auto" (on when no OIDC issuer is configured), "on" or "off".
	Mode string
	// HashMemoryMB is the memory password hashing may use at once, in MiB;
	// it sets how many logins hash concurrently (0: a quarter of the
	// machine's or container's memory).
	HashMemoryMB int
}

// Enabled reports whether local accounts may sign in, given the OIDC settings.
func (l Local) Enabled(o OIDC) bool {
	switch l.Mode {
	case "on":
		return true
	case "off":
		return false
	}
	return o.Issuer == ""
}

// Lobby configures the waiting room.
type Lobby struct {
	WaitingTimeout     time.Duration
	AcceptedTimeout    time.Duration
	DeniedTimeout      time.Duration
	RequestEntryPerMin int
	// RequestEntryPerMinPerClient and StreamsPerClient bound what one client
	// address (IPv6: one /64) may do in the lobby; 0 turns the bound off.
	RequestEntryPerMinPerClient int
	StreamsPerClient            int
}

// Recording configures recordings and transcripts, and where their
// notifications go.
type Recording struct {
	Enabled        bool
	Worker         bool // record in the serve process (one binary); off when "meet recorder" runs elsewhere
	OutputDir      string
	ExpirationDays int
	MaxDuration    time.Duration
	// DownloadBaseURL is the base of the link e-mailed to owners.
	DownloadBaseURL string

	SummaryEndpoint     string
	SummaryToken        string
	SummaryWebhookToken string

	StorageEventEnabled bool
	StorageEventToken   string
	Bucket              string

	SMTPAddr     string
	SMTPFrom     string
	SMTPUsername string
	SMTPPassword string
	BrandName    string
	SupportEmail string

	// S3 is the object storage recordings are uploaded to; local files
	// only when its Endpoint is empty.
	S3 S3
}

// S3 configures an S3-compatible object store (AWS S3, MinIO, Garage…) for
// recording files; it is used when Endpoint is set.
type S3 struct {
	Endpoint        string // http(s)://host[:port]
	Bucket          string
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	Prefix          string // key prefix of recording objects, without slashes at the ends
	PathStyle       bool   // bucket in the path (MinIO) rather than in the host name
}
