package httpapi

import (
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/auth/oidc"
	"meet/internal/users"
)

// Sign-in: OIDC (authenticate, callback, logout, logout-callback,
// backchannel-logout) and local accounts (local-login).
//
// Between /authenticate/ and /callback/ the state, nonce and PKCE verifier
// live in the browser's server-side session (a pre-login session is made when
// it has none), one entry per pending state, so two tabs can sign in at once.
// A successful sign-in always gets a new session id (rotation).

// Session values this file keeps.
const (
	pendingPrefix  = "oidc_login:"       // + state → pendingLogin JSON
	idTokenValue   = "oidc_id_token"     // the ID token, for the logout's id_token_hint
	logoutState    = "oidc_logout_state" // state sent to the end-session endpoint
	authMethod     = "auth_method"       // "oidc" or "local"
	maxPending     = 5                   // pending sign-ins kept per session
	preLoginTTL    = 30 * time.Minute    // how long a sign-in may take at the provider
	pendingTimeout = preLoginTTL
)

// silentErrors are the provider answers to prompt=none meaning "the user must
// interact": the silent attempt failed quietly and the user goes back.
var silentErrors = []string{"login_required", "consent_required", "interaction_required", "account_selection_required"}

var (
	errLoginState  = apperr.New(apperr.Invalid, "Invalid or expired sign-in state.")
	errLogoutState = apperr.New(apperr.Invalid, "Invalid logout state.")
	errReturnTo    = apperr.Field("returnTo", "This redirect target is not allowed.")
)

// pendingLogin is what a session remembers about one authorization request.
type pendingLogin struct {
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Silent   bool   `json:"s,omitempty"`
	Created  int64  `json:"t"`
}

// handleAuthenticate starts an OIDC sign-in: GET authenticate/?returnTo=…&silent=true.
// A returnTo outside the public origin and the allowed hosts is refused (400)
// rather than silently replaced, so a bad link is noticed.
func (s *Server) handleAuthenticate() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		returnTo, err := s.checkReturnTo(q.Get("returnTo"))
		if err != nil {
			return err
		}
		silent := strings.EqualFold(q.Get("silent"), "true")
		req := oidc.NewAuthRequest()
		target, err := s.OIDC.AuthCodeURL(r.Context(), req, silent)
		if err != nil {
			return err
		}
		now := time.Now()
		sess, ok := sessionFrom(r.Context())
		if !ok {
			sess = auth.NewSession("", nil, now, preLoginTTL)
		}
		addPending(sess.Values, req.State, pendingLogin{
			Nonce: req.Nonce, Verifier: req.Verifier, ReturnTo: returnTo, Silent: silent, Created: now.Unix(),
		})
		if err := s.sessions.Save(r.Context(), sess); err != nil {
			return err
		}
		if !ok {
			s.setCookie(w, SessionCookie, sess.ID, preLoginTTL, true)
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, target, http.StatusFound)
		return nil
	})
}

// addPending records a pending sign-in, dropping the oldest beyond maxPending.
func addPending(values map[string]string, state string, p pendingLogin) {
	var keys []string
	for k := range values {
		if strings.HasPrefix(k, pendingPrefix) {
			keys = append(keys, k)
		}
	}
	created := func(k string) int64 {
		var old pendingLogin
		_ = json.Unmarshal([]byte(values[k]), &old)
		return old.Created
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(created(a), created(b)) })
	for len(keys) >= maxPending {
		delete(values, keys[0])
		keys = keys[1:]
	}
	b, _ := json.Marshal(p)
	values[pendingPrefix+state] = string(b)
}

// handleCallback finishes an OIDC sign-in: GET callback/?code=…&state=….
// The state is consumed before anything else, so a replayed callback is
// refused even when the first one failed.
func (s *Server) handleCallback() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		q := r.URL.Query()
		state := q.Get("state")
		sess, ok := sessionFrom(ctx)
		if !ok || state == "" || sess.Values[pendingPrefix+state] == "" {
			return errLoginState
		}
		var p pendingLogin
		err := json.Unmarshal([]byte(sess.Values[pendingPrefix+state]), &p)
		delete(sess.Values, pendingPrefix+state)
		if serr := s.sessions.Save(ctx, sess); serr != nil {
			return serr
		}
		if err != nil || time.Since(time.Unix(p.Created, 0)) > pendingTimeout {
			return errLoginState
		}
		if e := q.Get("error"); e != "" {
			// The provider refused or, for prompt=none, needs the user: back to
			// where they were, not signed in, without an error page.
			if !p.Silent || !slices.Contains(silentErrors, e) {
				s.log.InfoContext(ctx, "sign-in refused by the identity provider", "error", e,
					"error_description", q.Get("error_description"), "request_id", requestIDFrom(ctx))
			}
			http.Redirect(w, r, p.ReturnTo, http.StatusFound)
			return nil
		}
		code := q.Get("code")
		if code == "" {
			return apperr.Field("code", "This field is required.")
		}
		id, err := s.OIDC.Exchange(ctx, code, oidc.AuthRequest{State: state, Nonce: p.Nonce, Verifier: p.Verifier})
		if err != nil {
			return err
		}
		u, err := s.OIDCUsers.SignIn(ctx, id)
		if err != nil {
			return err
		}
		if err := s.startSession(w, r, u, map[string]string{idTokenValue: id.IDToken, authMethod: "oidc"}); err != nil {
			return err
		}
		http.Redirect(w, r, p.ReturnTo, http.StatusFound)
		return nil
	})
}

// startSession signs userID in: the browser's current session (pre-login or
// another user's) is deleted and a new one, with a new id and CSRF token,
// takes its place. The sign-in is logged with the user's anonymised e-mail,
// never the address, and identified to analytics the same way.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *users.User, values map[string]string) error {
	ctx := r.Context()
	if old, ok := sessionFrom(ctx); ok {
		if err := s.sessions.Delete(ctx, old.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	csrf := randomToken(24)
	values[csrfValue] = csrf
	sess := auth.NewSession(u.ID, values, time.Now(), s.SessionTTL)
	if err := s.sessions.Save(ctx, sess); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "user_id", u.ID, "method", values[authMethod],
		"email_anonymized", users.AnonymizedEmail(s.AnalyticsKey, u.Email), "request_id", requestIDFrom(ctx))
	s.identify(u)
	s.setCookie(w, SessionCookie, sess.ID, s.SessionTTL, true)
	s.setCookie(w, CSRFCookie, csrf, s.SessionTTL, false)
	w.Header().Set("Cache-Control", "no-store")
	return nil
}

// handleLogout signs out: GET or POST logout/. The local session always ends.
// For an OIDC sign-in whose provider has an end-session endpoint, the browser
// then goes there (id_token_hint, state, post_logout_redirect_uri) and comes
// back through logout-callback/; otherwise it goes to "/".
func (s *Server) handleLogout() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		sess, ok := sessionFrom(ctx)
		idToken := ""
		if ok {
			idToken = sess.Values[idTokenValue]
			if err := s.sessions.Delete(ctx, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
				return err
			}
			s.track(ctx, eventSignedOut, nil)
		}
		s.clearCookie(w, SessionCookie, true)
		s.clearCookie(w, CSRFCookie, false)
		w.Header().Set("Cache-Control", "no-store")
		if s.OIDC != nil && idToken != "" {
			state := randomToken(24)
			target, err := s.OIDC.EndSessionURL(ctx, idToken, state, s.absoluteURL("/api/v1.0/logout-callback/", nil))
			if err != nil {
				// Signed out here already; the provider's session outlives it.
				s.log.WarnContext(ctx, "no end-session redirect", "err", err, "request_id", requestIDFrom(ctx))
			}
			if target != "" {
				ls := auth.NewSession("", map[string]string{logoutState: state}, time.Now(), preLoginTTL)
				if err := s.sessions.Save(ctx, ls); err != nil {
					return err
				}
				s.setCookie(w, SessionCookie, ls.ID, preLoginTTL, true)
				http.Redirect(w, r, target, http.StatusFound)
				return nil
			}
		}
		http.Redirect(w, r, "/", http.StatusFound)
		return nil
	})
}

// handleLogoutCallback is where the provider sends the browser after its
// end-session page: GET logout-callback/?state=…. Without a logout in
// progress it just goes home, as the reference does.
func (s *Server) handleLogoutCallback() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		sess, ok := sessionFrom(ctx)
		want := sess.Values[logoutState]
		if ok && want != "" {
			if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("state")), []byte(want)) != 1 {
				return errLogoutState
			}
			if sess.UserID == "" {
				if err := s.sessions.Delete(ctx, sess.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
					return err
				}
				s.clearCookie(w, SessionCookie, true)
			}
		}
		http.Redirect(w, r, "/", http.StatusFound)
		return nil
	})
}

// maxLogoutBody bounds a back-channel logout request (one form field, a JWT).
const maxLogoutBody = 64 << 10

// handleBackchannelLogout ends every session of the user a provider's logout
// token names: POST backchannel-logout/ with form field logout_token. Tokens
// are checked (signature, iss, aud, iat, events, no nonce) and each jti is
// accepted once. A token for an unknown user is acknowledged: there is
// nothing to end.
func (s *Server) handleBackchannelLogout() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, maxLogoutBody)
		raw := r.PostFormValue("logout_token")
		if raw == "" {
			return apperr.Field("logout_token", "This field is required.")
		}
		lt, err := s.OIDC.VerifyLogoutToken(ctx, raw)
		if err != nil {
			return err
		}
		if lt.Subject == "" {
			// Sessions are not indexed by the provider's sid.
			return apperr.New(apperr.Invalid, "Logout tokens without a subject are not supported.")
		}
		u, err := s.Users.UserBySub(ctx, lt.Issuer, lt.Subject)
		switch {
		case apperr.Is(err, apperr.NotFound):
		case err != nil:
			return err
		default:
			if err := s.sessions.DeleteByUser(ctx, u.ID); err != nil {
				return err
			}
			s.log.InfoContext(ctx, "back-channel logout", "user_id", u.ID, "request_id", requestIDFrom(ctx))
		}
		w.WriteHeader(http.StatusOK)
		return nil
	})
}

// handleLocalLogin signs in a local account: POST local-login/ with
// {"email", "password"} → 204 and the session cookie. Every failure gets the
// same 401; too many attempts, counted by client bucket (IPv6 by /64), or no
// free hash slot get 429 with Retry-After.
func (s *Server) handleLocalLogin() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		fields := apperr.Fields{}
		email, okE, errE := body.str("email")
		password, okP, errP := body.str("password")
		for _, f := range []struct {
			name string
			ok   bool
			err  error
		}{{"email", okE, errE}, {"password", okP, errP}} {
			switch {
			case f.err != nil:
				fields.Add(f.name, "Not a valid string.")
			case !f.ok:
				fields.Add(f.name, "This field is required.")
			}
		}
		if err := fields.Err(); err != nil {
			return err
		}
		u, err := s.LocalLogin.Login(r.Context(), email, password, s.clientBucket(r))
		if err != nil {
			return err
		}
		if err := s.startSession(w, r, u, map[string]string{authMethod: "local"}); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// clientAddr is the address rate limits count against.
func (s *Server) clientAddr(r *http.Request) string {
	if s.ClientAddr != nil {
		return s.ClientAddr(r)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// checkReturnTo accepts a path on this site, or an absolute URL on the public
// origin or an allowed host (https only when the public URL is https). Empty
// means "/".
func (s *Server) checkReturnTo(raw string) (string, error) {
	if raw == "" {
		return "/", nil
	}
	if strings.ContainsAny(raw, "\\\r\n\t") {
		return "", errReturnTo
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return "", errReturnTo
	}
	if u.Scheme == "" && u.Host == "" {
		if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
			return "", errReturnTo
		}
		return raw, nil
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http",
		s.PublicURL.Scheme == "https" && u.Scheme != "https":
		return "", errReturnTo
	case strings.EqualFold(u.Host, s.PublicURL.Host):
		return raw, nil
	}
	for _, h := range s.ReturnToAllowedHosts {
		if strings.EqualFold(u.Host, h) || strings.EqualFold(u.Hostname(), h) {
			return raw, nil
		}
	}
	return "", errReturnTo
}
