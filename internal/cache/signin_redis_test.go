package cache

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth"
)

func signinRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("MEET_TEST_REDIS_URL")
	if url == "" {
		t.Skip("MEET_TEST_REDIS_URL not set (CI sets it)")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	return rdb, "meet-test:" + auth.NewSessionID()[:12] + ":"
}

func TestJTICacheRedisRefusesReplays(t *testing.T) {
	rdb, prefix := signinRedis(t)
	ctx := context.Background()
	c := NewJTICacheRedis(rdb, prefix)
	until := time.Now().Add(time.Minute)
	if added, err := c.Add(ctx, "jti-1", until); err != nil || !added {
		t.Fatalf("first Add = %v, %v; want added", added, err)
	}
	if added, err := NewJTICacheRedis(rdb, prefix).Add(ctx, "jti-1", until); err != nil || added {
		t.Fatalf("replayed Add on another replica = %v, %v; want refused", added, err)
	}
	if ttl := rdb.TTL(ctx, prefix+"jti-1").Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("TTL = %v, want at most a minute", ttl)
	}
	t.Cleanup(func() { rdb.Del(context.Background(), prefix+"jti-1") })
}
