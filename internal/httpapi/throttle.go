package httpapi

import (
	"context"
	"net/http"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Limiter counts requests per key in a sliding window: cache.LimiterMemory
// or cache.LimiterRedis, the one limiter algorithm the lobby and sign-in use
// too. Allow records one request and reports whether it fits in limit
// requests per window; when it does not, wait is how long until one more
// would fit. Errors are apperr.Unavailable when the limiter's store is down.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, wait time.Duration, err error)
}

// throttleUser counts every request a signed-in user makes to next under
// scope and answers 429 {"detail": "Request was throttled. Expected
// available in N seconds."} with Retry-After past limit per window.
// Anonymous requests go through uncounted: next refuses them (401), as
// Django REST framework checks authentication and permissions before its
// throttles. The body is not read first, so invalid requests count too, as
// in DRF. Without a Limiter or with a limit below one it is next itself.
func (s *Server) throttleUser(scope string, limit int, window time.Duration, next http.Handler) http.Handler {
	if s.Limiter == nil || limit < 1 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			next.ServeHTTP(w, r)
			return
		}
		ok, wait, err := s.Limiter.Allow(r.Context(), scope+":user:"+p.UserID, limit, window)
		switch {
		case err != nil:
			writeError(w, r, s.log, err)
		case !ok:
			writeError(w, r, s.log, apperr.Throttle(wait))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// throttle applies a per-minute rate to the caller: by user when signed in,
// else by client address (its /64 for IPv6), as the reference's user and
// anonymous throttles do. A refused request gets 429 with the reference's
// message and Retry-After. Without a Limiter nothing is limited.
func (s *Server) throttle(r *http.Request, scope string, perMinute int) error {
	if s.Limiter == nil || perMinute <= 0 {
		return nil
	}
	key := scope + ":anon:" + s.clientBucket(r)
	if p := auth.FromContext(r.Context()); p.Authenticated() {
		key = scope + ":user:" + p.UserID
	}
	ok, wait, err := s.Limiter.Allow(r.Context(), key, perMinute, time.Minute)
	if err != nil || ok {
		return err
	}
	return apperr.Throttle(wait)
}
