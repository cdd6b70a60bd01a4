package cache

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/lobby"
)

// LobbyBrokerRedis is the lobby.Broker that spans replicas: one Redis pub/sub
// channel per room (P<room id>), and one subscriber connection per replica
// that listens to the rooms with open streams here. Run must be running for
// events to be delivered.
type LobbyBrokerRedis struct {
	rdb    redis.UniversalClient
	prefix string
	log    *slog.Logger
	ps     *redis.PubSub

	mu   sync.Mutex
	next int
	subs map[string]map[int]func(lobby.Event)
}

var _ lobby.Broker = (*LobbyBrokerRedis)(nil)

// NewLobbyBrokerRedis returns a broker publishing on channels under prefix
// (for example "meet:lobby:events:"). It opens no connection until the first
// Subscribe.
func NewLobbyBrokerRedis(rdb redis.UniversalClient, prefix string, log *slog.Logger) *LobbyBrokerRedis {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &LobbyBrokerRedis{
		rdb: rdb, prefix: prefix, log: log,
		ps:   rdb.Subscribe(context.Background()),
		subs: map[string]map[int]func(lobby.Event){},
	}
}

// Publish implements lobby.Broker.
func (b *LobbyBrokerRedis) Publish(ctx context.Context, ev lobby.Event) error {
	msg, err := json.Marshal(ev)
	if err != nil {
		return redisErr("publish", err)
	}
	return redisErr("publish", b.rdb.Publish(ctx, b.prefix+ev.Room, msg).Err())
}

// Subscribe implements lobby.Broker.
func (b *LobbyBrokerRedis) Subscribe(ctx context.Context, roomID string, deliver func(lobby.Event)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.subs[roomID]) == 0 {
		if err := b.ps.Subscribe(ctx, b.prefix+roomID); err != nil {
			return nil, redisErr("subscribe", err)
		}
		b.subs[roomID] = map[int]func(lobby.Event){}
	}
	b.next++
	id := b.next
	b.subs[roomID][id] = deliver
	return func() { b.unsubscribe(roomID, id) }, nil
}

func (b *LobbyBrokerRedis) unsubscribe(roomID string, id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs[roomID], id)
	if len(b.subs[roomID]) > 0 {
		return
	}
	delete(b.subs, roomID)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := b.ps.Unsubscribe(ctx, b.prefix+roomID); err != nil {
		b.log.Warn("lobby: unsubscribing failed", "room_id", roomID, "err", err)
	}
}

// Run delivers the events of subscribed rooms until ctx ends, then closes
// the subscriber connection and returns nil. go-redis reconnects and
// resubscribes by itself after a connection loss.
func (b *LobbyBrokerRedis) Run(ctx context.Context) error {
	ch := b.ps.Channel(redis.WithChannelSize(1024))
	defer b.ps.Close()
	for {
		select {
		case <-ctx.Done():
			return nil
		case msg, ok := <-ch:
			if !ok {
				return nil
			}
			var ev lobby.Event
			if err := json.Unmarshal([]byte(msg.Payload), &ev); err != nil {
				b.log.Warn("lobby: bad event", "channel", msg.Channel, "err", err)
				continue
			}
			ev.Room = strings.TrimPrefix(msg.Channel, b.prefix)
			for _, deliver := range b.handlers(ev.Room) {
				deliver(ev)
			}
		}
	}
}

func (b *LobbyBrokerRedis) handlers(room string) []func(lobby.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]func(lobby.Event), 0, len(b.subs[room]))
	for _, f := range b.subs[room] {
		out = append(out, f)
	}
	return out
}
