package cache

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"meet/internal/apperr"
	"meet/internal/lobby"
)

// LobbyMemory is the in-memory lobby.Store of a single replica. Expired
// entries are invisible at once (every read checks the clock) and freed by
// Sweep, which Run calls periodically.
type LobbyMemory struct {
	now func() time.Time

	mu    sync.Mutex
	seq   uint64
	rooms map[string]map[string]*memEntry
}

type memEntry struct {
	e       lobby.Entry
	seq     uint64 // knock order among entries with the same KnockedAt
	expires time.Time
}

var _ lobby.Store = (*LobbyMemory)(nil)

// NewLobbyMemory returns an empty store reading time from now (time.Now when nil).
func NewLobbyMemory(now func() time.Time) *LobbyMemory {
	if now == nil {
		now = time.Now
	}
	return &LobbyMemory{now: now, rooms: map[string]map[string]*memEntry{}}
}

// live returns the unexpired entry, deleting it when it expired. The caller holds mu.
func (m *LobbyMemory) live(roomID, id string, now time.Time) *memEntry {
	room := m.rooms[roomID]
	me := room[id]
	if me == nil {
		return nil
	}
	if !now.Before(me.expires) {
		delete(room, id)
		if len(room) == 0 {
			delete(m.rooms, roomID)
		}
		return nil
	}
	return me
}

// Knock implements lobby.Store.
func (m *LobbyMemory) Knock(_ context.Context, roomID string, e lobby.Entry, ttl time.Duration) (lobby.Entry, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if me := m.live(roomID, e.ID, now); me != nil {
		if me.e.Status == lobby.Waiting {
			me.expires = now.Add(ttl)
		}
		return me.e, false, nil
	}
	room := m.rooms[roomID]
	if room == nil {
		room = map[string]*memEntry{}
		m.rooms[roomID] = room
	}
	m.seq++
	e.Status, e.KnockedAt = lobby.Waiting, now
	room[e.ID] = &memEntry{e: e, seq: m.seq, expires: now.Add(ttl)}
	return e, true, nil
}

// Touch implements lobby.Store.
func (m *LobbyMemory) Touch(_ context.Context, roomID, id string, ttl time.Duration) (lobby.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	me := m.live(roomID, id, now)
	if me == nil {
		return lobby.Entry{}, errNoEntry
	}
	if me.e.Status == lobby.Waiting {
		me.expires = now.Add(ttl)
	}
	return me.e, nil
}

// Get implements lobby.Store.
func (m *LobbyMemory) Get(_ context.Context, roomID, id string) (lobby.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	me := m.live(roomID, id, m.now())
	if me == nil {
		return lobby.Entry{}, errNoEntry
	}
	return me.e, nil
}

// Decide implements lobby.Store.
func (m *LobbyMemory) Decide(_ context.Context, roomID, id string, to lobby.Status, ttl time.Duration) (lobby.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	me := m.live(roomID, id, now)
	if me == nil {
		return lobby.Entry{}, errNoEntry
	}
	before := me.e
	if before.Status == lobby.Waiting {
		me.e.Status, me.expires = to, now.Add(ttl)
	}
	return before, nil
}

// List implements lobby.Store.
func (m *LobbyMemory) List(_ context.Context, roomID string, status lobby.Status) ([]lobby.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	var found []*memEntry
	for id := range m.rooms[roomID] {
		if me := m.live(roomID, id, now); me != nil && me.e.Status == status {
			found = append(found, me)
		}
	}
	slices.SortFunc(found, func(a, b *memEntry) int {
		return cmp.Or(a.e.KnockedAt.Compare(b.e.KnockedAt), cmp.Compare(a.seq, b.seq))
	})
	out := make([]lobby.Entry, len(found))
	for i, me := range found {
		out[i] = me.e
	}
	return out, nil
}

// Delete implements lobby.Store.
func (m *LobbyMemory) Delete(_ context.Context, roomID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if room := m.rooms[roomID]; room != nil {
		delete(room, id)
		if len(room) == 0 {
			delete(m.rooms, roomID)
		}
	}
	return nil
}

// DeleteRoom implements lobby.Store.
func (m *LobbyMemory) DeleteRoom(_ context.Context, roomID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rooms, roomID)
	return nil
}

// Sweep frees every expired entry and returns how many it freed.
func (m *LobbyMemory) Sweep() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	now, n := m.now(), 0
	for roomID, room := range m.rooms {
		for id := range room {
			if m.live(roomID, id, now) == nil {
				n++
			}
		}
	}
	return n
}

// SweepInterval is how often Run frees expired entries.
const SweepInterval = 10 * time.Second

// Run sweeps expired entries every SweepInterval until ctx ends, so abandoned
// rooms do not hold memory. It returns nil when ctx ends.
func (m *LobbyMemory) Run(ctx context.Context) error {
	return sweepEvery(ctx, func() { m.Sweep() })
}

// Len returns the number of entries held, expired or not (for tests and metrics).
func (m *LobbyMemory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, room := range m.rooms {
		n += len(room)
	}
	return n
}

var errNoEntry = apperr.New(apperr.NotFound, "lobby entry not found")
