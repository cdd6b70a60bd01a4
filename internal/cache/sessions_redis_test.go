package cache

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// testRedis connects to MEET_TEST_REDIS_URL or skips; keys use a prefix unique to the test.
func testRedisSessions(t *testing.T, now func() time.Time) (*SessionsRedis, *redis.Client, string) {
	t.Helper()
	url := os.Getenv("MEET_TEST_REDIS_URL")
	if url == "" {
		t.Skip("MEET_TEST_REDIS_URL not set: Redis session store not tested (CI sets it)")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	prefix := "meet-test:" + auth.NewSessionID()[:12] + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := rdb.Keys(ctx, prefix+"*").Result() // test cleanup only; the store itself never scans
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
		rdb.Close()
	})
	return NewSessionsRedis(rdb, prefix, now), rdb, prefix
}

func TestSessionsRedisRoundTripAndDelete(t *testing.T) {
	ctx := context.Background()
	s, rdb, prefix := testRedisSessions(t, nil)
	sess := auth.NewSession("user-1", map[string]string{"csrf": "tok"}, time.Now(), time.Hour)
	if err := s.Save(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := sess
	want.ExpiresAt = sess.ExpiresAt.UTC()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, sess.ID) {
			t.Errorf("key %q contains the raw session id", k)
		}
	}
	if ttl := rdb.TTL(ctx, s.key(sess.ID)).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL = %v, want about 1h", ttl)
	}
	if err := s.Delete(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, sess.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Get after Delete = %v, want not_found", err)
	}
}

func TestSessionsRedisExpiryByClock(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	s, _, _ := testRedisSessions(t, func() time.Time { return now })
	sess := auth.NewSession("", nil, now, time.Minute)
	if err := s.Save(ctx, sess); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.Get(ctx, sess.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Get of an expired session = %v, want not_found", err)
	}
}

func TestSessionsRedisDeleteByUser(t *testing.T) {
	ctx := context.Background()
	s, _, _ := testRedisSessions(t, nil)
	a1 := auth.NewSession("alice", nil, time.Now(), time.Hour)
	a2 := auth.NewSession("alice", nil, time.Now(), 2*time.Hour)
	b := auth.NewSession("bob", nil, time.Now(), time.Hour)
	for _, x := range []auth.Session{a1, a2, b} {
		if err := s.Save(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteByUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	for _, x := range []auth.Session{a1, a2} {
		if _, err := s.Get(ctx, x.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("alice's session survived DeleteByUser: %v", err)
		}
	}
	if _, err := s.Get(ctx, b.ID); err != nil {
		t.Errorf("bob's session was ended too: %v", err)
	}
}
