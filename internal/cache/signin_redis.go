package cache

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
)

// The lobby's limiters also count local sign-in attempts: one algorithm
// (a sliding log per key) in memory and in Redis.
var (
	_ local.Limiter = (*LimiterMemory)(nil)
	_ local.Limiter = (*LimiterRedis)(nil)
)

// JTICacheRedis remembers back-channel logout token ids in Redis, so a token
// replayed to another replica is refused too (oidc.JTICache).
type JTICacheRedis struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ oidc.JTICache = (*JTICacheRedis)(nil)

// NewJTICacheRedis returns a cache with keys under prefix.
func NewJTICacheRedis(rdb redis.UniversalClient, prefix string) *JTICacheRedis {
	return &JTICacheRedis{rdb: rdb, prefix: prefix}
}

// Add records key until until and reports whether it was new.
func (c *JTICacheRedis) Add(ctx context.Context, key string, until time.Time) (bool, error) {
	added, err := c.rdb.SetArgs(ctx, c.prefix+key, 1, redis.SetArgs{Mode: "NX", ExpireAt: until}).Result()
	if err == redis.Nil {
		return false, nil
	}
	if err != nil {
		return false, redisErr("logout token ids", err)
	}
	return added == "OK", nil
}
