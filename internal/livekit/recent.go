package livekit

import (
	"sync"
	"time"
)

// recentIDs remembers up to max ids for ttl each, oldest evicted first: the
// bounded memory behind webhook idempotency. LiveKit redelivers a webhook
// within seconds to minutes, so a bounded window is enough.
type recentIDs struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	now   func() time.Time
	at    map[string]time.Time
	order []string // insertion order; ids may be stale after re-adds
}

func newRecentIDs(max int, ttl time.Duration, now func() time.Time) *recentIDs {
	return &recentIDs{max: max, ttl: ttl, now: now, at: make(map[string]time.Time, max)}
}

func (s *recentIDs) contains(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.at[id]
	return ok && s.now().Sub(t) < s.ttl
}

func (s *recentIDs) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if _, ok := s.at[id]; !ok {
		s.order = append(s.order, id)
	}
	s.at[id] = now
	// Evict expired ids from the front, and the oldest while over capacity.
	for len(s.order) > 0 {
		oldest := s.order[0]
		t, ok := s.at[oldest]
		if ok && len(s.at) <= s.max && now.Sub(t) < s.ttl {
			break
		}
		delete(s.at, oldest)
		s.order = s.order[1:]
	}
}

// keyedMutex serialises work per key (a room name) without keeping a mutex
// for every room ever seen.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	mu   sync.Mutex
	refs int
}

// lock locks key and returns its unlock function.
func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
