package cache

import (
	"context"
	"sync"
	"time"

	"meet/internal/rooms"
)

// DenyListMemory is the in-memory rooms.DenyList of a single replica.
// Entries expire when read after their deadline; each Deny also drops every
// expired entry, so the map stays as small as the removals of the last
// deny period and no sweep goroutine is needed.
type DenyListMemory struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[denyKey]time.Time // → expiry
}

type denyKey struct{ room, identity string }

var _ rooms.DenyList = (*DenyListMemory)(nil)

// NewDenyListMemory returns a deny list reading time from now (time.Now when nil).
func NewDenyListMemory(now func() time.Time) *DenyListMemory {
	if now == nil {
		now = time.Now
	}
	return &DenyListMemory{now: now, entries: map[denyKey]time.Time{}}
}

// Deny implements rooms.DenyList; denying again extends the entry.
func (m *DenyListMemory) Deny(_ context.Context, room, identity string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, exp := range m.entries {
		if !exp.After(now) {
			delete(m.entries, k)
		}
	}
	m.entries[denyKey{room, identity}] = now.Add(ttl)
	return nil
}

// Denied implements rooms.DenyList.
func (m *DenyListMemory) Denied(_ context.Context, room, identity string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	exp, ok := m.entries[denyKey{room, identity}]
	return ok && exp.After(m.now()), nil
}

// Allow implements rooms.DenyList.
func (m *DenyListMemory) Allow(_ context.Context, room, identity string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, denyKey{room, identity})
	return nil
}
