package cache_test

import (
	"context"
	"testing"
	"time"

	"meet/internal/cache"
	"meet/internal/rooms"
)

// denyContract checks what both deny lists promise: an entry is per room and
// identity, Allow lifts it, and denying twice is harmless.
func denyContract(t *testing.T, d rooms.DenyList) {
	t.Helper()
	ctx := context.Background()
	denied := func(room, id string) bool {
		t.Helper()
		ok, err := d.Denied(ctx, room, id)
		if err != nil {
			t.Fatalf("Denied(%s, %s): %v", room, id, err)
		}
		return ok
	}
	if denied("room-a", "gail") {
		t.Fatal("denied before any removal")
	}
	for range 2 {
		if err := d.Deny(ctx, "room-a", "gail", time.Hour); err != nil {
			t.Fatalf("Deny: %v", err)
		}
	}
	if !denied("room-a", "gail") {
		t.Fatal("removed identity not denied")
	}
	if denied("room-b", "gail") || denied("room-a", "gus") {
		t.Fatal("a removal leaked to another room or identity")
	}
	if err := d.Allow(ctx, "room-a", "gail"); err != nil {
		t.Fatalf("Allow: %v", err)
	}
	if denied("room-a", "gail") {
		t.Fatal("still denied after Allow")
	}
	if err := d.Allow(ctx, "room-a", "never-denied"); err != nil {
		t.Fatalf("Allow of an unknown identity: %v", err)
	}
}

func TestDenyListMemory(t *testing.T) {
	clock := newFakeClock()
	d := cache.NewDenyListMemory(clock.Now)
	denyContract(t, d)

	ctx := context.Background()
	if err := d.Deny(ctx, "room-a", "gail", 12*time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(12*time.Minute - time.Second)
	if ok, _ := d.Denied(ctx, "room-a", "gail"); !ok {
		t.Fatal("removal expired early")
	}
	clock.Advance(time.Second)
	if ok, _ := d.Denied(ctx, "room-a", "gail"); ok {
		t.Fatal("removal outlived its TTL")
	}
}

func TestDenyListRedis(t *testing.T) {
	rdb, prefix := testRedis(t)
	d := cache.NewDenyListRedis(rdb, prefix)
	denyContract(t, d)

	ctx := context.Background()
	if err := d.Deny(ctx, "room-a", "gail", 12*time.Minute); err != nil {
		t.Fatal(err)
	}
	ttl, err := rdb.PTTL(ctx, prefix+"room-a/gail").Result()
	if err != nil || ttl <= 11*time.Minute || ttl > 12*time.Minute {
		t.Fatalf("removal TTL in Redis: %v (%v), want about 12m", ttl, err)
	}
}
