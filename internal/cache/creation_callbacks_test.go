package cache_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/cache"
	"meet/internal/rooms"
)

// callbackContract checks what every rooms.CreationCallbacks must do: a slug
// is read once, a later Put replaces an earlier one, ids are independent,
// and concurrent pollers of one id get the slug exactly once.
func callbackContract(t *testing.T, s rooms.CreationCallbacks) {
	ctx := context.Background()
	take := func(id string) (string, bool) {
		t.Helper()
		slug, ok, err := s.Take(ctx, id)
		if err != nil {
			t.Fatalf("Take(%q): %v", id, err)
		}
		return slug, ok
	}
	if slug, ok := take("never-stored"); ok {
		t.Fatalf("Take of an unknown id = %q, true", slug)
	}
	if err := s.Put(ctx, "a", "first-room", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "a", "second-room", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "b", "other-room", time.Minute); err != nil {
		t.Fatal(err)
	}
	if slug, ok := take("a"); !ok || slug != "second-room" {
		t.Fatalf("Take(a) = %q, %v; want second-room, true", slug, ok)
	}
	if slug, ok := take("a"); ok {
		t.Fatalf("second Take(a) = %q, true; a result is read once", slug)
	}
	if slug, ok := take("b"); !ok || slug != "other-room" {
		t.Fatalf("Take(b) = %q, %v; want other-room, true", slug, ok)
	}

	if err := s.Put(ctx, "raced", "raced-room", time.Minute); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for range 8 {
		wg.Go(func() {
			_, ok, err := s.Take(ctx, "raced")
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				got++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got != 1 {
		t.Fatalf("%d concurrent pollers got the slug, want exactly 1", got)
	}
}

func TestCreationCallbacksMemoryContract(t *testing.T) {
	callbackContract(t, cache.NewCreationCallbacksMemory(nil))
}

func TestCreationCallbacksMemoryExpiry(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	s := cache.NewCreationCallbacksMemory(clock.Now)
	if err := s.Put(ctx, "late", "room", rooms.CreationCallbackTTL); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "swept", "room", rooms.CreationCallbackTTL); err != nil {
		t.Fatal(err)
	}
	clock.Advance(rooms.CreationCallbackTTL - time.Second)
	s.Sweep()
	if n := s.Len(); n != 2 {
		t.Fatalf("%d results held before the TTL, want 2", n)
	}
	clock.Advance(time.Second)
	if slug, ok, err := s.Take(ctx, "late"); err != nil || ok {
		t.Fatalf("Take after the TTL = %q, %v, %v; want nothing", slug, ok, err)
	}
	s.Sweep()
	if n := s.Len(); n != 0 {
		t.Fatalf("%d results held after the sweep, want 0", n)
	}
}

func TestCreationCallbacksRedisContract(t *testing.T) {
	rdb, prefix := testRedis(t)
	callbackContract(t, cache.NewCreationCallbacksRedis(rdb, prefix))
}

func TestCreationCallbacksRedisTTL(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := cache.NewCreationCallbacksRedis(rdb, prefix)
	ctx := context.Background()
	if err := s.Put(ctx, "x", "room", rooms.CreationCallbackTTL); err != nil {
		t.Fatal(err)
	}
	ttl, err := rdb.PTTL(ctx, prefix+"x").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= rooms.CreationCallbackTTL-time.Minute || ttl > rooms.CreationCallbackTTL {
		t.Fatalf("key TTL %v, want about %v", ttl, rooms.CreationCallbackTTL)
	}
}

func TestCreationCallbacksRedisDown(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := cache.NewCreationCallbacksRedis(rdb, prefix)
	_ = rdb.Close()
	ctx := context.Background()
	if err := s.Put(ctx, "x", "room", time.Minute); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Put on a closed client: %v, want unavailable", err)
	}
	if _, _, err := s.Take(ctx, "x"); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("Take on a closed client: %v, want unavailable", err)
	}
}
