package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Cookie names shared with La Suite Meet's front end.
const (
	SessionCookie = "meet_sessionid"
	CSRFCookie    = "csrftoken"
	CSRFHeader    = "X-CSRFToken"
	// csrfValue is where a session keeps its CSRF token.
	csrfValue = "csrf"
)

type requestIDKey struct{}

// requestLog is what the request log line learns from inner middleware: the
// user that authenticate found. observe puts a pointer in the context, since
// authenticate passes a derived request down and observe cannot read it.
type requestLog struct{ userID string }

type requestLogKey struct{}

// noteUser records the authenticated user for the request's log line.
func noteUser(ctx context.Context, userID string) {
	if l, ok := ctx.Value(requestLogKey{}).(*requestLog); ok {
		l.userID = userID
	}
}

func requestIDFrom(ctx context.Context) string { s, _ := ctx.Value(requestIDKey{}).(string); return s }

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush lets Server-Sent Events through the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe assigns the request id, recovers panics (a 500 with a generic body,
// the stack in the log only), logs one line per request and records metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = randomToken(12)
		}
		w.Header().Set("X-Request-Id", id)
		logged := &requestLog{}
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		ctx = context.WithValue(ctx, requestLogKey{}, logged)
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		_, route := s.route(r)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(ctx, "panic serving request", "panic", p, "stack", string(debug.Stack()), "request_id", id)
				if rec.status == 0 {
					writeError(rec, r, s.log, apperr.New(apperr.Internal, ""))
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			elapsed := time.Since(start)
			if route == "" {
				route = "unmatched"
			}
			s.metrics.observe(r.Method, route, status, elapsed)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			s.log.Log(ctx, level, "request",
				"request_id", id, "method", r.Method, "route", route, "path", r.URL.Path,
				"status", status, "duration_ms", float64(elapsed.Microseconds())/1000,
				"user_id", logged.userID)
		}()
		next.ServeHTTP(rec, r)
	})
}

// securityHeaders sets the headers every response carries.
// X-Frame-Options forbids framing unless embedding is on: then the web
// front end's CSP frame-ancestors names who may frame it, and no
// X-Frame-Options is sent, as it cannot name origins (and browsers that know
// frame-ancestors ignore it anyway).
func securityHeaders(next http.Handler, embeddable bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if !embeddable {
			h.Set("X-Frame-Options", "DENY")
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate loads the session named by the cookie and puts its principal
// in the context. Unknown, expired or orphaned sessions make the request
// anonymous (and the stale cookie is cleared).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" || s.sessions == nil {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		sess, err := s.sessions.Get(ctx, c.Value)
		if err != nil {
			if !apperr.Is(err, apperr.NotFound) {
				writeError(w, r, s.log, err)
				return
			}
			s.clearCookie(w, SessionCookie, true)
			next.ServeHTTP(w, r)
			return
		}
		p := auth.Principal{SessionID: sess.ID}
		if sess.UserID != "" {
			u, err := s.users.UserByID(ctx, sess.UserID)
			switch {
			case err == nil && u.IsActive:
				p.UserID, p.Sub, p.Email, p.FullName = u.ID, u.Sub, u.Email, u.FullName
			case err != nil && !apperr.Is(err, apperr.NotFound):
				writeError(w, r, s.log, err)
				return
			}
		}
		noteUser(ctx, p.UserID)
		ctx = auth.WithPrincipal(ctx, p)
		ctx = context.WithValue(ctx, sessionKey{}, sess)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type sessionKey struct{}

// sessionFrom returns the session that authenticated the request, if any.
func sessionFrom(ctx context.Context) (auth.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(auth.Session)
	return s, ok
}

// csrf enforces La Suite Meet's CSRF rule: unsafe methods of requests
// authenticated by the session cookie must send X-CSRFToken equal to the
// session's token (which the readable csrftoken cookie carries). Anonymous
// requests are not checked, as in the reference (request-entry is anonymous).
// Cross-origin browser requests are refused earlier by http.CrossOriginProtection.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		sess, hasSession := sessionFrom(r.Context())
		// The external API ignores sessions (only its bearer tokens count),
		// so a cookie sent along there cannot be ridden.
		// A file upload's signed URL is its own credential, which another
		// site cannot know, and clients PUT to it as to a presigned S3 URL,
		// without a CSRF header.
		if !p.Authenticated() || !hasSession || strings.HasPrefix(r.URL.Path, externalPrefix+"/") || isSignedUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
		token := sess.Values[csrfValue]
		if token == "" {
			token = randomToken(24)
			if sess.Values == nil {
				sess.Values = map[string]string{}
			}
			sess.Values[csrfValue] = token
			if err := s.sessions.Save(r.Context(), sess); err != nil {
				writeError(w, r, s.log, err)
				return
			}
		}
		if c, err := r.Cookie(CSRFCookie); err != nil || c.Value != token {
			s.setCookie(w, CSRFCookie, token, 0, false)
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		sent := r.Header.Get(CSRFHeader)
		switch {
		case sent == "":
			writeError(w, r, s.log, apperr.New(apperr.Forbidden, "CSRF Failed: CSRF token missing."))
		case subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1:
			writeError(w, r, s.log, apperr.New(apperr.Forbidden, "CSRF Failed: CSRF token incorrect."))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// setCookie sets a cookie scoped to the whole site; Secure follows the public
// URL's scheme, SameSite is Lax, or None when embedding is on over https. maxAge 0 makes a browser-session cookie.
func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration, httpOnly bool) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: httpOnly,
		Secure: s.secureCookies, SameSite: s.sameSite,
	}
	if maxAge > 0 {
		c.MaxAge = int(maxAge / time.Second)
		c.Expires = time.Now().Add(maxAge)
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, name string, httpOnly bool) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: httpOnly,
		Secure: s.secureCookies, SameSite: s.sameSite})
}

// itoa is strconv.Itoa, short for building messages.
func itoa(n int) string { return strconv.Itoa(n) }

// isSignedUpload reports whether r is a PUT to a file's signed upload URL
// (files/{id}/upload/?signature=…).
func isSignedUpload(r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, apiPrefix+"/files/")
	return ok && r.Method == http.MethodPut && strings.HasSuffix(rest, "/upload/") &&
		strings.Count(rest, "/") == 2 && r.URL.Query().Get("signature") != ""
}
