package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"meet/internal/applications"
	"meet/internal/auth"
	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
	"meet/internal/files"
	"meet/internal/lobby"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/users"
)

// Check is a readiness probe of one dependency.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// Deps is everything the HTTP adapter needs, built by cmd/meet/run.go.
type Deps struct {
	Log       *slog.Logger
	PublicURL *url.URL
	Rooms     *rooms.Service
	Users     users.Store
	Sessions  auth.SessionStore
	// PublicConfig is the document served by GET config/ (nil: {}).
	PublicConfig *PublicConfig
	// Registry receives the HTTP metrics; /metrics serves it.
	Registry *prometheus.Registry
	Ready    []Check
	// Web serves the front end for every path outside /api/ (nil: 404).
	Web http.Handler
	// LiveKitWebhook receives LiveKit's signed webhooks (nil: route absent).
	LiveKitWebhook http.Handler
	// Participants acts on connected participants (nil: remove-participant/ is absent).
	Participants ParticipantControl
	// InCall acts on the participants of a call (nil: the in-call actions
	// toggle-hand/, rename/, mute-participant/, update-participant/ and
	// lower-hands/ are absent).
	InCall InCallControl
	// LiveKitTokens verifies the LiveKit tokens participants authenticate
	// in-call actions with (nil: every such token is refused).
	LiveKitTokens LiveKitTokenVerifier
	// LiveKitSignal forwards LiveKit signalling (/rtc) to the in-process SFU
	// (nil with an external LiveKit, which browsers reach directly).
	LiveKitSignal http.Handler
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration
	// AnalyticsKey keys the anonymised e-mail addresses of sign-in logs and
	// analytics.
	AnalyticsKey []byte
	// Analytics records product analytics events (nil: none are recorded).
	Analytics Analytics
	// FrameAncestors are the origins whose pages may embed meet (empty:
	// framing is forbidden, X-Frame-Options: DENY). When set, and PublicURL
	// is https, cookies are SameSite=None so that they work in the iframe.
	FrameAncestors []string
	// TrustedOrigins may send cross-origin unsafe requests (besides PublicURL).
	TrustedOrigins []string
	// BodyTimeout is how long a client may take to send a request body
	// (0: DefaultBodyTimeout).
	BodyTimeout time.Duration

	// Lobby
	// Lobby runs the waiting room (nil: the lobby routes are absent).
	Lobby *lobby.Service
	// LobbyHeartbeat is how often idle lobby push streams send a comment (0: 15 s).
	LobbyHeartbeat time.Duration
	// LobbyStreamsPerClient caps the lobby push streams one client address
	// holds open on this server (0: DefaultLobbyStreamsPerClient; negative:
	// no cap).
	LobbyStreamsPerClient int

	// Sign-in
	// OIDC signs people in through the identity provider (nil: OIDC sign-in
	// is off and its routes are absent).
	OIDC *oidc.RelyingParty
	// OIDCUsers turns verified OIDC identities into users (required with OIDC).
	OIDCUsers *oidc.Users
	// LocalLogin checks local e-mail and password logins (nil: local accounts
	// are off and local-login/ is absent).
	LocalLogin *local.Authenticator
	// FirstRun creates the first account from the one-time link printed at
	// start-up (nil: setup/ is absent; serve sets it while no user exists).
	FirstRun FirstRun
	// ReturnToAllowedHosts are the hosts besides PublicURL's that a sign-in's
	// returnTo may name (MEET_OIDC_REDIRECT_ALLOWED_HOSTS).
	ReturnToAllowedHosts []string
	// ClientAddr returns the client address login rate limits count against
	// (nil: the connection's remote address; set it behind a reverse proxy).
	ClientAddr func(r *http.Request) string

	// Rate limits
	// Limiter counts requests for the rate limits of room creation,
	// creation-callback/ and diagnostics/connection/ (nil: none).
	Limiter Limiter
	// RoomCreationPerMinute is how many rooms one user may create a minute
	// (below one: no limit).
	RoomCreationPerMinute int

	// Clients of La Suite Meet
	// CreationCallbacks hands created rooms' slugs to rooms/creation-callback/
	// (nil: callback_id is accepted and nothing is ever found).
	CreationCallbacks rooms.CreationCallbacks
	// ConnectionTest issues the tokens of diagnostics/connection/ (nil: it
	// answers 404, the reference's disabled feature flag).
	ConnectionTest *ConnectionTest

	// Recordings
	// Recordings runs recordings and transcripts (nil or disabled: every
	// recording route answers 404 {"detail":"Not found."}).
	Recordings *recordings.Service

	// Files
	// Files keeps uploaded backgrounds (nil or disabled: every files route
	// answers 404 {"detail":"Not found."}).
	Files *files.Service
	// FilePerMinute is how many files one user may create, and one client
	// address upload, a minute (below one: no limit).
	FilePerMinute int

	// Invitations
	// Inviter e-mails meeting invitations (nil: no SMTP server; invite/
	// answers 503).
	Inviter rooms.Inviter

	// External API
	// External serves applications acting for users under /external-api/v1.0/
	// (nil: those routes are absent, the reference's EXTERNAL_API_ENABLED off).
	External *applications.Service
	// ExternalTokenPerMinute is how many application/token/ requests one
	// client address may make a minute (below one: no limit).
	ExternalTokenPerMinute int
}

// Server is the HTTP adapter.
type Server struct {
	Deps
	log           *slog.Logger
	sessions      auth.SessionStore
	users         users.Store
	metrics       *metrics
	mux           *http.ServeMux
	patterns      []string // every route pattern, in routes.go's order
	handler       http.Handler
	secureCookies bool
	// sameSite is the cookies' SameSite: Lax, or None when embedded over https.
	sameSite     http.SameSite
	streams      streams
	lobbyStreams streamCounter
	openAPI      []byte // the OpenAPI document, built once
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.SessionTTL == 0 {
		d.SessionTTL = 12 * time.Hour
	}
	if d.Analytics == nil {
		d.Analytics = noAnalytics{}
	}
	if d.PublicURL == nil {
		d.PublicURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	m, err := newMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Deps: d, log: d.Log, sessions: d.Sessions, users: d.Users, metrics: m,
		mux: http.NewServeMux(), secureCookies: d.PublicURL.Scheme == "https", sameSite: http.SameSiteLaxMode,
	}
	if len(d.FrameAncestors) > 0 && s.secureCookies {
		// A cookie set in a third-party iframe is only sent back if it is
		// SameSite=None, which browsers accept only with Secure.
		s.sameSite = http.SameSiteNoneMode
	}
	if s.openAPI, err = OpenAPIDocument(openAPIFragments, d.PublicURL); err != nil {
		return nil, err
	}
	s.routes()
	cop := http.NewCrossOriginProtection()
	origins := append([]string{d.PublicURL.Scheme + "://" + d.PublicURL.Host}, d.TrustedOrigins...)
	for _, o := range origins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, map[string]string{"detail": "CSRF Failed: Origin checking failed."})
	}))
	var h http.Handler = http.HandlerFunc(s.dispatch)
	h = s.csrf(h)
	h = s.authenticate(h)
	h = cop.Handler(h)
	h = securityHeaders(h, len(d.FrameAncestors) > 0)
	h = bodyDeadline(h, d.BodyTimeout)
	s.handler = s.observe(h)
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// route returns the handler and pattern the mux picks for r ("" when none).
// An API path without its trailing slash matches nothing here: dispatch
// decides between Django's APPEND_SLASH redirect and 404.
func (s *Server) route(r *http.Request) (http.Handler, string) {
	h, pattern := s.mux.Handler(r)
	if isAPIPath(r.URL.Path) && !strings.HasSuffix(r.URL.Path, "/") &&
		(strings.HasSuffix(pattern, "/") || strings.HasSuffix(pattern, "{$}")) {
		return nil, ""
	}
	return h, pattern
}

// dispatch serves a request through the mux, answering unmatched API paths
// with the reference's JSON 404 and 405 bodies instead of the mux's text.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if isAPIPath(r.URL.Path) {
		if err := refuseNullsInURL(r); err != nil {
			writeError(w, r, s.log, err)
			return
		}
	}
	if _, pattern := s.route(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if target, ok := s.appendSlash(r); ok {
		w.Header().Set("Location", target)
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	if !isAPIPath(r.URL.Path) && s.Web != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		s.Web.ServeHTTP(w, r)
		return
	}
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if h, p := s.route(probe); p != "" {
			if _, refused := h.(methodNotAllowed); !refused {
				allowed = append(allowed, m)
			}
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": `Method "` + r.Method + `" not allowed.`})
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not found."})
}

// appendSlash does what Django's APPEND_SLASH does for La Suite Meet's
// clients, which call users/me, logout and files without the slash: a GET or
// HEAD to an API path without its trailing slash, whose slashed form is a
// route (for any method, as Django resolves paths without looking at the
// method), is sent there with 301, query string kept. Other methods get 404:
// a redirect would lose their body.
func (s *Server) appendSlash(r *http.Request) (string, bool) {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		!isAPIPath(r.URL.Path) || strings.HasSuffix(r.URL.Path, "/") {
		return "", false
	}
	probe := r.Clone(r.Context())
	probe.URL.Path += "/"
	if probe.URL.RawPath != "" {
		probe.URL.RawPath += "/"
	}
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe.Method = m
		if _, p := s.route(probe); p != "" {
			target := probe.URL.EscapedPath()
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			return target, true
		}
	}
	return "", false
}

// api adapts an error-returning handler: a returned error is rendered by writeError.
func (s *Server) api(f func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// absoluteURL returns the public URL of path with query.
func (s *Server) absoluteURL(path string, q url.Values) string {
	u := *s.PublicURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}
