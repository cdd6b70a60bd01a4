package lobby_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/cache"
	"meet/internal/lobby"
	"meet/internal/lobby/lobbytest"
	"meet/internal/rooms"
)

// TestReplicasOnRedis runs two lobby services sharing Redis (store, limiter
// and pub/sub): a guest streams on A, a host admits on B, and A's stream
// delivers the admission at once (well before any periodic re-read).
func TestReplicasOnRedis(t *testing.T) {
	url := os.Getenv("MEET_TEST_REDIS_URL")
	if url == "" {
		t.Skip("MEET_TEST_REDIS_URL not set")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := "meettest:" + lobbytest.NewID() + ":"
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	t.Cleanup(func() { _ = cache.NewLobbyRedis(rdb, prefix, time.Hour).DeleteRoom(context.Background(), e.room.ID) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	replica := func() *lobby.Service {
		b := cache.NewLobbyBrokerRedis(rdb, prefix+"ev:", nil)
		go func() { _ = b.Run(ctx) }()
		rs := rooms.NewService(e.rooms, nil, tokens{}, nil, rooms.Options{}, nil)
		// Long periodic re-reads: only an event can deliver the admission in time.
		// Replicas share the instance key: a cookie minted by one verifies on the other.
		return lobby.NewService(lobby.Deps{Rooms: rs, Store: cache.NewLobbyRedis(rdb, prefix, time.Hour), Broker: b, Key: []byte("instance key shared by replicas")},
			lobby.Options{KeepAlive: time.Second, Recheck: time.Minute})
	}
	a, b := replica(), replica()
	results := make(chan lobby.Result, 8)
	id := rooms.NewID()
	go func() {
		_ = a.WatchEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: b.Cookie(id), Username: "Ada"}, func(r lobby.Result) error { results <- r; return nil })
	}()
	if r := next(t, results, "waiting"); r.Status != lobby.Waiting {
		t.Fatalf("first = %+v", r)
	}
	start := time.Now()
	if err := b.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	r := next(t, results, "admission")
	took := time.Since(start)
	if r.Status != lobby.Accepted || tokenIdentity(r.LiveKit) != id {
		t.Fatalf("admission = %+v", r)
	}
	t.Logf("admission crossed replicas in %v", took)
	if took > 500*time.Millisecond {
		t.Fatalf("admission took %v: the event was lost and a re-read delivered it", took)
	}
}
