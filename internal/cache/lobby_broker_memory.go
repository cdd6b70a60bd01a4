package cache

import (
	"context"
	"sync"

	"meet/internal/lobby"
)

// LobbyBrokerMemory is the lobby.Broker of a single replica: Publish calls
// the room's subscribers directly.
type LobbyBrokerMemory struct {
	mu   sync.Mutex
	next int
	subs map[string]map[int]func(lobby.Event)
}

var _ lobby.Broker = (*LobbyBrokerMemory)(nil)

// NewLobbyBrokerMemory returns a broker without subscribers.
func NewLobbyBrokerMemory() *LobbyBrokerMemory {
	return &LobbyBrokerMemory{subs: map[string]map[int]func(lobby.Event){}}
}

// Publish implements lobby.Broker.
func (b *LobbyBrokerMemory) Publish(_ context.Context, ev lobby.Event) error {
	for _, deliver := range b.subscribers(ev.Room) {
		deliver(ev)
	}
	return nil
}

func (b *LobbyBrokerMemory) subscribers(room string) []func(lobby.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]func(lobby.Event), 0, len(b.subs[room]))
	for _, f := range b.subs[room] {
		out = append(out, f)
	}
	return out
}

// Subscribe implements lobby.Broker.
func (b *LobbyBrokerMemory) Subscribe(_ context.Context, roomID string, deliver func(lobby.Event)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	id := b.next
	if b.subs[roomID] == nil {
		b.subs[roomID] = map[int]func(lobby.Event){}
	}
	b.subs[roomID][id] = deliver
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs[roomID], id)
		if len(b.subs[roomID]) == 0 {
			delete(b.subs, roomID)
		}
	}, nil
}
