package cache

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/rooms"
)

// DenyListRedis is the rooms.DenyList shared by every replica: one key per
// (room, identity) with the removal's lifetime as its TTL.
type DenyListRedis struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ rooms.DenyList = (*DenyListRedis)(nil)

// NewDenyListRedis returns a deny list using rdb with keys under prefix (for
// example "meet:deny:").
func NewDenyListRedis(rdb redis.UniversalClient, prefix string) *DenyListRedis {
	return &DenyListRedis{rdb: rdb, prefix: prefix}
}

// key separates room and identity with a byte neither can hold ambiguously:
// room names are UUIDs or slugs, which never contain "/".
func (r *DenyListRedis) key(room, identity string) string {
	return r.prefix + room + "/" + identity
}

// Deny implements rooms.DenyList; denying again extends the entry.
func (r *DenyListRedis) Deny(ctx context.Context, room, identity string, ttl time.Duration) error {
	return redisErr("deny list: deny", r.rdb.Set(ctx, r.key(room, identity), 1, ttl).Err())
}

// Denied implements rooms.DenyList.
func (r *DenyListRedis) Denied(ctx context.Context, room, identity string) (bool, error) {
	n, err := r.rdb.Exists(ctx, r.key(room, identity)).Result()
	if err != nil {
		return false, redisErr("deny list: denied", err)
	}
	return n > 0, nil
}

// Allow implements rooms.DenyList.
func (r *DenyListRedis) Allow(ctx context.Context, room, identity string) error {
	return redisErr("deny list: allow", r.rdb.Del(ctx, r.key(room, identity)).Err())
}
