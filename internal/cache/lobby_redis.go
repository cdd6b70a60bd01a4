package cache

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/apperr"
	"meet/internal/lobby"
)

// LobbyRedis is the lobby.Store shared by every replica through Redis.
//
// Layout, with P the key prefix and R the room id (in braces, so that all
// the keys of a room share a cluster hash slot and one script may touch them):
//
//	P{R}:e:<id>  hash {id, username, status, color, knocked}, PEXPIRE = the entry's TTL
//	P{R}:idx     sorted set: participant id → expiry time (ms), the room's index
//
// Redis expires the entry keys, so an entry never outlives its TTL; the index
// lets List and DeleteRoom touch only the room's keys (no KEYS or SCAN), and
// its stale members are pruned by List. Every transition is one Lua script,
// timed by the Redis server's clock, so it is atomic across replicas.
type LobbyRedis struct {
	rdb    redis.UniversalClient
	prefix string
	// indexTTL outlives any entry, so an abandoned room's index vanishes too.
	indexTTL time.Duration
}

var _ lobby.Store = (*LobbyRedis)(nil)

// NewLobbyRedis returns a store using rdb with keys under prefix (for
// example "meet:lobby:"). maxTTL is the longest entry lifetime (the accepted
// TTL); room indexes expire an hour after it.
func NewLobbyRedis(rdb redis.UniversalClient, prefix string, maxTTL time.Duration) *LobbyRedis {
	return &LobbyRedis{rdb: rdb, prefix: prefix, indexTTL: maxTTL + time.Hour}
}

func (s *LobbyRedis) roomPrefix(roomID string) string { return s.prefix + "{" + roomID + "}:" }
func (s *LobbyRedis) entryKey(roomID, id string) string {
	return s.roomPrefix(roomID) + "e:" + id
}
func (s *LobbyRedis) indexKey(roomID string) string { return s.roomPrefix(roomID) + "idx" }

// luaNow and luaRead are shared script preludes: the server time in
// milliseconds, and the entry's fields (a corrupted entry is deleted and
// read as absent, as the reference does).
const (
	luaNow  = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) `
	luaRead = `local cur = redis.call('HMGET', KEYS[1], 'id', 'username', 'status', 'color', 'knocked')
local ok = cur[1] and (cur[3] == 'waiting' or cur[3] == 'accepted' or cur[3] == 'denied')
if not ok and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[1]) end
`
)

// knockScript: KEYS entry, index; ARGV id, username, color, ttl ms, index ttl ms.
var knockScript = redis.NewScript(luaNow + luaRead + `
local ttl = tonumber(ARGV[4])
if ok then
  if cur[3] == 'waiting' then
    redis.call('PEXPIRE', KEYS[1], ttl)
    redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
  end
  return {0, cur[1], cur[2] or '', cur[3], cur[4] or '', cur[5] or '0'}
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'username', ARGV[2], 'status', 'waiting', 'color', ARGV[3], 'knocked', now)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return {1, ARGV[1], ARGV[2], 'waiting', ARGV[3], tostring(now)}
`)

// touchScript: KEYS entry, index; ARGV id, ttl ms.
var touchScript = redis.NewScript(luaNow + luaRead + `
if not ok then return false end
if cur[3] == 'waiting' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
end
return {0, cur[1], cur[2] or '', cur[3], cur[4] or '', cur[5] or '0'}
`)

// getScript: KEYS entry.
var getScript = redis.NewScript(luaRead + `
if not ok then return false end
return {0, cur[1], cur[2] or '', cur[3], cur[4] or '', cur[5] or '0'}
`)

// decideScript: KEYS entry, index; ARGV id, status, ttl ms, index ttl ms.
var decideScript = redis.NewScript(luaNow + luaRead + `
if not ok then return false end
if cur[3] == 'waiting' then
  redis.call('HSET', KEYS[1], 'status', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return {0, cur[1], cur[2] or '', cur[3], cur[4] or '', cur[5] or '0'}
`)

// listScript: KEYS index; ARGV entry key prefix, status. Entry keys are
// built from the index (same hash slot as the index by construction).
var listScript = redis.NewScript(luaNow + `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local cur = redis.call('HMGET', ARGV[1] .. id, 'id', 'username', 'status', 'color', 'knocked')
  if not cur[3] then
    redis.call('ZREM', KEYS[1], id)
  elseif cur[3] == ARGV[2] and cur[1] then
    table.insert(out, cur[1]) table.insert(out, cur[2] or '') table.insert(out, cur[3])
    table.insert(out, cur[4] or '') table.insert(out, cur[5] or '0')
  end
end
return out
`)

// deleteRoomScript: KEYS index; ARGV entry key prefix.
var deleteRoomScript = redis.NewScript(`
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return #ids
`)

// deleteScript: KEYS entry, index; ARGV id.
var deleteScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`)

func ms(d time.Duration) int64 { return max(d.Milliseconds(), 1) }

// Knock implements lobby.Store.
func (s *LobbyRedis) Knock(ctx context.Context, roomID string, e lobby.Entry, ttl time.Duration) (lobby.Entry, bool, error) {
	keys := []string{s.entryKey(roomID, e.ID), s.indexKey(roomID)}
	v, err := knockScript.Run(ctx, s.rdb, keys, e.ID, e.Username, e.Color, ms(ttl), ms(s.indexTTL)).Slice()
	if err != nil {
		return lobby.Entry{}, false, redisErr("knock", err)
	}
	got, err := entryFrom(v[1:])
	return got, err == nil && toInt(v[0]) == 1, err
}

// Touch implements lobby.Store.
func (s *LobbyRedis) Touch(ctx context.Context, roomID, id string, ttl time.Duration) (lobby.Entry, error) {
	keys := []string{s.entryKey(roomID, id), s.indexKey(roomID)}
	return s.one(touchScript.Run(ctx, s.rdb, keys, id, ms(ttl)), "touch")
}

// Get implements lobby.Store.
func (s *LobbyRedis) Get(ctx context.Context, roomID, id string) (lobby.Entry, error) {
	return s.one(getScript.Run(ctx, s.rdb, []string{s.entryKey(roomID, id)}), "get")
}

// Decide implements lobby.Store.
func (s *LobbyRedis) Decide(ctx context.Context, roomID, id string, to lobby.Status, ttl time.Duration) (lobby.Entry, error) {
	keys := []string{s.entryKey(roomID, id), s.indexKey(roomID)}
	return s.one(decideScript.Run(ctx, s.rdb, keys, id, string(to), ms(ttl), ms(s.indexTTL)), "decide")
}

func (s *LobbyRedis) one(cmd *redis.Cmd, op string) (lobby.Entry, error) {
	v, err := cmd.Slice()
	switch {
	case errors.Is(err, redis.Nil):
		return lobby.Entry{}, errNoEntry
	case err != nil:
		return lobby.Entry{}, redisErr(op, err)
	}
	return entryFrom(v[1:])
}

// List implements lobby.Store.
func (s *LobbyRedis) List(ctx context.Context, roomID string, status lobby.Status) ([]lobby.Entry, error) {
	v, err := listScript.Run(ctx, s.rdb, []string{s.indexKey(roomID)}, s.roomPrefix(roomID)+"e:", string(status)).Slice()
	if err != nil {
		return nil, redisErr("list", err)
	}
	out := make([]lobby.Entry, 0, len(v)/5)
	for i := 0; i+5 <= len(v); i += 5 {
		e, err := entryFrom(v[i : i+5])
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b lobby.Entry) int {
		return cmp.Or(a.KnockedAt.Compare(b.KnockedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Delete implements lobby.Store.
func (s *LobbyRedis) Delete(ctx context.Context, roomID, id string) error {
	keys := []string{s.entryKey(roomID, id), s.indexKey(roomID)}
	return redisErr("delete", deleteScript.Run(ctx, s.rdb, keys, id).Err())
}

// DeleteRoom implements lobby.Store.
func (s *LobbyRedis) DeleteRoom(ctx context.Context, roomID string) error {
	err := deleteRoomScript.Run(ctx, s.rdb, []string{s.indexKey(roomID)}, s.roomPrefix(roomID)+"e:").Err()
	return redisErr("delete room", err)
}

// entryFrom parses {id, username, status, color, knocked ms}.
func entryFrom(v []any) (lobby.Entry, error) {
	if len(v) != 5 {
		return lobby.Entry{}, apperr.Wrap(apperr.Internal, "", fmt.Errorf("cache: lobby entry has %d fields", len(v)))
	}
	str := func(x any) string { s, _ := x.(string); return s }
	knocked, _ := strconv.ParseInt(str(v[4]), 10, 64)
	return lobby.Entry{
		ID: str(v[0]), Username: str(v[1]), Status: lobby.Status(str(v[2])), Color: str(v[3]),
		KnockedAt: time.UnixMilli(knocked).UTC(),
	}, nil
}

func toInt(x any) int64 { n, _ := x.(int64); return n }

// UnansweredMessage is the public message of a Redis failure or timeout.
const UnansweredMessage = "The cache is not answering; try again shortly."

// redisErr turns a Redis failure into apperr.Unavailable; nil stays nil.
func redisErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(apperr.Unavailable, UnansweredMessage, fmt.Errorf("cache: lobby %s: %w", op, err))
}
