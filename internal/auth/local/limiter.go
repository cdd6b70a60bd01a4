package local

import (
	"context"
	"sync"
	"time"
)

// Limiter counts attempts per key (a client address, an account).
//
// Allow records one attempt and returns 0 when it is within the limit, or how
// long until the next attempt would be allowed. Errors are apperr.Unavailable
// when the limiter's store is unreachable.
type Limiter interface {
	Allow(ctx context.Context, key string) (retryAfter time.Duration, err error)
}

// MemoryLimiter allows limit attempts per period per key, as a burst that
// refills evenly (the generic cell rate algorithm: one timestamp per key). It
// lives in the process, so a multi-instance deployment needs a shared
// Limiter instead.
type MemoryLimiter struct {
	interval time.Duration // period / limit: one attempt's cost
	burst    time.Duration // period - interval: how far ahead the schedule may run
	now      func() time.Time

	mu  sync.Mutex
	tat map[string]time.Time // theoretical arrival time of the next attempt
}

// NewMemoryLimiter returns a limiter of limit attempts per period. now is the
// clock (time.Now when nil).
func NewMemoryLimiter(limit int, period time.Duration, now func() time.Time) *MemoryLimiter {
	if limit < 1 {
		limit = 1
	}
	if now == nil {
		now = time.Now
	}
	interval := period / time.Duration(limit)
	return &MemoryLimiter{interval: interval, burst: period - interval, now: now, tat: map[string]time.Time{}}
}

var _ Limiter = (*MemoryLimiter)(nil)

// pruneAt is the map size above which Allow drops keys that are back to a full
// allowance, so a flood of distinct keys cannot grow memory without bound.
const pruneAt = 10_000

// Allow records an attempt for key.
func (l *MemoryLimiter) Allow(_ context.Context, key string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.tat) > pruneAt {
		for k, t := range l.tat {
			if !t.After(now) {
				delete(l.tat, k)
			}
		}
	}
	tat := l.tat[key]
	if tat.Before(now) {
		tat = now
	}
	if ahead := tat.Sub(now); ahead > l.burst {
		return ahead - l.burst, nil
	}
	l.tat[key] = tat.Add(l.interval)
	return 0, nil
}
