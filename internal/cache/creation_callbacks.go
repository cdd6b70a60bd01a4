package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// CreationCallbacksMemory is the rooms.CreationCallbacks of a single replica.
type CreationCallbacksMemory struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]callbackEntry
}

type callbackEntry struct {
	slug    string
	expires time.Time
}

var _ rooms.CreationCallbacks = (*CreationCallbacksMemory)(nil)

// NewCreationCallbacksMemory returns an empty store reading time from now
// (time.Now when nil).
func NewCreationCallbacksMemory(now func() time.Time) *CreationCallbacksMemory {
	if now == nil {
		now = time.Now
	}
	return &CreationCallbacksMemory{now: now, entries: map[string]callbackEntry{}}
}

// Put implements rooms.CreationCallbacks.
func (m *CreationCallbacksMemory) Put(_ context.Context, id, slug string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[id] = callbackEntry{slug: slug, expires: m.now().Add(ttl)}
	return nil
}

// Take implements rooms.CreationCallbacks.
func (m *CreationCallbacksMemory) Take(_ context.Context, id string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[id]
	delete(m.entries, id)
	if !ok || !m.now().Before(e.expires) {
		return "", false, nil
	}
	return e.slug, true, nil
}

// Sweep frees the results nobody collected in time.
func (m *CreationCallbacksMemory) Sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for id, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, id)
		}
	}
}

// Len returns the number of results held, expired or not (for tests).
func (m *CreationCallbacksMemory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Run sweeps every SweepInterval until ctx ends; it returns nil then.
func (m *CreationCallbacksMemory) Run(ctx context.Context) error { return sweepEvery(ctx, m.Sweep) }

// CreationCallbacksRedis is the rooms.CreationCallbacks shared by every
// replica: one string key per callback id, expired by Redis, read and
// deleted in one GETDEL so two pollers never both get the slug.
type CreationCallbacksRedis struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ rooms.CreationCallbacks = (*CreationCallbacksRedis)(nil)

// NewCreationCallbacksRedis returns a store using rdb with keys under prefix
// (for example "meet:room-creation-callback:").
func NewCreationCallbacksRedis(rdb redis.UniversalClient, prefix string) *CreationCallbacksRedis {
	return &CreationCallbacksRedis{rdb: rdb, prefix: prefix}
}

const errCallbackStore = "The room creation result could not be reached."

// Put implements rooms.CreationCallbacks.
func (r *CreationCallbacksRedis) Put(ctx context.Context, id, slug string, ttl time.Duration) error {
	if err := r.rdb.Set(ctx, r.prefix+id, slug, ttl).Err(); err != nil {
		return apperr.Wrap(apperr.Unavailable, errCallbackStore, fmt.Errorf("cache: put creation callback: %w", err))
	}
	return nil
}

// Take implements rooms.CreationCallbacks.
func (r *CreationCallbacksRedis) Take(ctx context.Context, id string) (string, bool, error) {
	slug, err := r.rdb.GetDel(ctx, r.prefix+id).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return "", false, nil
	case err != nil:
		return "", false, apperr.Wrap(apperr.Unavailable, errCallbackStore, fmt.Errorf("cache: take creation callback: %w", err))
	}
	return slug, true, nil
}
