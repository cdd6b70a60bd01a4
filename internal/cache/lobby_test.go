package cache_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/cache"
	"meet/internal/lobby"
	"meet/internal/lobby/lobbytest"
)

// fakeClock is an injected clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// testRedis returns a client for MEET_TEST_REDIS_URL and a key prefix unique
// to the test, whose keys are deleted at cleanup; it skips without the variable.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("MEET_TEST_REDIS_URL")
	if url == "" {
		t.Skip("MEET_TEST_REDIS_URL not set")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	prefix := "meettest:" + lobbytest.NewID() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		// Test cleanup only: production code never scans the keyspace.
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}

func TestLobbyMemoryContract(t *testing.T) {
	lobbytest.Store(t, func(t *testing.T) lobbytest.Harness {
		clock := newFakeClock()
		return lobbytest.Harness{Store: cache.NewLobbyMemory(clock.Now), TTL: 3 * time.Second, Advance: clock.Advance}
	})
}

func TestLobbyRedisContract(t *testing.T) {
	lobbytest.Store(t, func(t *testing.T) lobbytest.Harness {
		rdb, prefix := testRedis(t)
		// Real time passes on Redis: a short TTL keeps the test quick.
		return lobbytest.Harness{Store: cache.NewLobbyRedis(rdb, prefix, time.Hour), TTL: 300 * time.Millisecond, Advance: time.Sleep}
	})
}

func TestLobbyMemorySweep(t *testing.T) {
	clock := newFakeClock()
	m := cache.NewLobbyMemory(clock.Now)
	ctx := context.Background()
	room := lobbytest.NewID()
	for range 3 {
		if _, _, err := m.Knock(ctx, room, lobby.Entry{ID: lobbytest.NewID(), Username: "g"}, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.Sweep(); got != 0 {
		t.Fatalf("swept %d live entries", got)
	}
	clock.Advance(time.Second)
	if got := m.Sweep(); got != 3 || m.Len() != 0 {
		t.Fatalf("swept %d, %d left; want 3, 0", got, m.Len())
	}
}

func TestLobbyRedisCorruptedEntryIsDropped(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := cache.NewLobbyRedis(rdb, prefix, time.Hour)
	ctx := context.Background()
	room, good, bad := lobbytest.NewID(), lobbytest.NewID(), lobbytest.NewID()
	for _, id := range []string{good, bad} {
		if _, _, err := s.Knock(ctx, room, lobby.Entry{ID: id, Username: "g", Color: "c"}, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	badKey := prefix + "{" + room + "}:e:" + bad
	rdb.HSet(ctx, badKey, "status", "bogus")
	list, err := s.List(ctx, room, lobby.Waiting)
	if err != nil || len(list) != 1 || list[0].ID != good {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := s.Get(ctx, room, bad); err == nil {
		t.Fatal("corrupted entry returned")
	}
	if n, _ := rdb.Exists(ctx, badKey).Result(); n != 0 {
		t.Fatal("corrupted entry kept")
	}
}

func TestLimiterMemoryContract(t *testing.T) {
	clock := newFakeClock()
	lobbytest.Limiter(t, cache.NewLimiterMemory(clock.Now), time.Minute, clock.Advance)
}

func TestLimiterRedisContract(t *testing.T) {
	rdb, prefix := testRedis(t)
	lobbytest.Limiter(t, cache.NewLimiterRedis(rdb, prefix), 300*time.Millisecond, time.Sleep)
}

func TestLobbyBrokerMemoryContract(t *testing.T) {
	lobbytest.Broker(t, cache.NewLobbyBrokerMemory())
}

func TestLobbyBrokerRedisContract(t *testing.T) {
	rdb, prefix := testRedis(t)
	b := cache.NewLobbyBrokerRedis(rdb, prefix, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	lobbytest.Broker(t, b)
}
