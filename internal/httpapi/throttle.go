package httpapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Throttle counts requests per key in a sliding window, as DRF's throttles
// do (the cache package's limiters implement it, in memory or in Redis).
// Allow records one request and reports whether it fits in limit per
// window; when it does not, wait is how long until one more would.
type Throttle interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, wait time.Duration, err error)
}

// throttle applies a per-minute rate to the caller: by user when signed in,
// else by client address (its /64 for IPv6), as the reference's user and anonymous throttles
// do. A refused request gets 429 with the reference's message and
// Retry-After. Without a Throttle nothing is limited.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, scope string, perMinute int) error {
	if s.Throttle == nil || perMinute <= 0 {
		return nil
	}
	key := scope + ":anon:" + s.clientBucket(r)
	if p := auth.FromContext(r.Context()); p.Authenticated() {
		key = scope + ":user:" + p.UserID
	}
	ok, wait, err := s.Throttle.Allow(r.Context(), key, perMinute, time.Minute)
	if err != nil || ok {
		return err
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return apperr.New(apperr.Throttled, fmt.Sprintf("Request was throttled. Expected available in %d %s.", secs, unit))
}
