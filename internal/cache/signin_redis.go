package cache

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth/local"
	"meet/internal/auth/oidc"
)

// LoginLimiterRedis counts local sign-in attempts in Redis so that every
// replica shares one budget per client and per account (local.Limiter).
type LoginLimiterRedis struct {
	limiter *LimiterRedis
	limit   int
	window  time.Duration
}

var _ local.Limiter = (*LoginLimiterRedis)(nil)

// NewLoginLimiterRedis allows limit attempts per window per key; keys live under prefix.
func NewLoginLimiterRedis(rdb redis.UniversalClient, prefix string, limit int, window time.Duration) *LoginLimiterRedis {
	return &LoginLimiterRedis{limiter: NewLimiterRedis(rdb, prefix), limit: limit, window: window}
}

// Allow records an attempt and returns zero, or how long to wait when the budget is spent.
func (l *LoginLimiterRedis) Allow(ctx context.Context, key string) (time.Duration, error) {
	ok, wait, err := l.limiter.Allow(ctx, key, l.limit, l.window)
	if err != nil || ok {
		return 0, err
	}
	if wait <= 0 {
		wait = time.Millisecond
	}
	return wait, nil
}

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
