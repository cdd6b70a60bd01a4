package cache

import (
	"context"
	"sync"
	"time"

	"meet/internal/lobby"
)

// LimiterMemory is the in-memory lobby.Limiter of a single replica: a
// sliding log of request times per key, as DRF's throttles keep.
type LimiterMemory struct {
	now func() time.Time

	mu   sync.Mutex
	logs map[string]*reqLog
}

type reqLog struct {
	times  []time.Time // oldest first
	window time.Duration
}

var _ lobby.Limiter = (*LimiterMemory)(nil)

// NewLimiterMemory returns a limiter reading time from now (time.Now when nil).
func NewLimiterMemory(now func() time.Time) *LimiterMemory {
	if now == nil {
		now = time.Now
	}
	return &LimiterMemory{now: now, logs: map[string]*reqLog{}}
}

// prune drops the requests that left the window. The caller holds mu.
func (l *reqLog) prune(now time.Time) {
	cut := now.Add(-l.window)
	i := 0
	for i < len(l.times) && !l.times[i].After(cut) {
		i++
	}
	l.times = l.times[i:]
}

// Allow implements lobby.Limiter.
func (m *LimiterMemory) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	l := m.logs[key]
	if l == nil {
		l = &reqLog{window: window}
		m.logs[key] = l
	}
	l.window = window
	l.prune(now)
	if len(l.times) >= limit {
		return false, l.times[0].Add(window).Sub(now), nil
	}
	l.times = append(l.times, now)
	return true, 0, nil
}

// Sweep forgets keys whose requests all left their window.
func (m *LimiterMemory) Sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, l := range m.logs {
		if l.prune(now); len(l.times) == 0 {
			delete(m.logs, k)
		}
	}
}

// Run sweeps idle keys every SweepInterval until ctx ends; it returns nil then.
func (m *LimiterMemory) Run(ctx context.Context) error { return sweepEvery(ctx, m.Sweep) }
