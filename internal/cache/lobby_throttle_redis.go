package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/lobby"
)

// LimiterRedis is the lobby.Limiter shared by every replica: a sliding log
// per key in a Redis sorted set (request time → unique member), checked and
// updated by one script on the server's clock.
type LimiterRedis struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ lobby.Limiter = (*LimiterRedis)(nil)

// NewLimiterRedis returns a limiter using rdb with keys under prefix (for
// example "meet:throttle:").
func NewLimiterRedis(rdb redis.UniversalClient, prefix string) *LimiterRedis {
	return &LimiterRedis{rdb: rdb, prefix: prefix}
}

// allowScript: KEYS log; ARGV limit, window ms, member. Returns {allowed, wait ms}.
var allowScript = redis.NewScript(luaNow + `
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
`)

// Allow implements lobby.Limiter.
func (l *LimiterRedis) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	v, err := allowScript.Run(ctx, l.rdb, []string{l.prefix + key}, limit, ms(window), hex.EncodeToString(b[:])).Int64Slice()
	if err != nil {
		return false, 0, redisErr("throttle", err)
	}
	return v[0] == 1, time.Duration(v[1]) * time.Millisecond, nil
}
