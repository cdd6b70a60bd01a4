package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// SessionsRedis keeps sessions in Redis so that every replica sees them and
// they expire on their own. A session lives under prefix+"s:"+sha256(id) — the
// raw id, which is the browser's credential, is never stored — and each user's
// session keys are indexed in a set so DeleteByUser (back-channel logout,
// disabled accounts) needs no keyspace scan.
type SessionsRedis struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
}

var _ auth.SessionStore = (*SessionsRedis)(nil)

// NewSessionsRedis returns a session store on rdb whose keys start with prefix.
func NewSessionsRedis(rdb redis.UniversalClient, prefix string, now func() time.Time) *SessionsRedis {
	if now == nil {
		now = time.Now
	}
	return &SessionsRedis{rdb: rdb, prefix: prefix, now: now}
}

type storedSession struct {
	UserID    string            `json:"user_id,omitempty"`
	Values    map[string]string `json:"values,omitempty"`
	ExpiresAt time.Time         `json:"expires_at"`
}

func (s *SessionsRedis) key(id string) string {
	sum := sha256.Sum256([]byte(id))
	return s.prefix + "s:" + hex.EncodeToString(sum[:])
}

func (s *SessionsRedis) userKey(userID string) string { return s.prefix + "u:" + userID }

// Save creates or replaces a session; it expires at s.ExpiresAt.
func (s *SessionsRedis) Save(ctx context.Context, sess auth.Session) error {
	if sess.ID == "" {
		return apperr.New(apperr.Invalid, "A session needs an id.")
	}
	ttl := sess.ExpiresAt.Sub(s.now())
	if ttl <= 0 {
		return s.Delete(ctx, sess.ID)
	}
	data, err := json.Marshal(storedSession{UserID: sess.UserID, Values: sess.Values, ExpiresAt: sess.ExpiresAt.UTC()})
	if err != nil {
		return fmt.Errorf("cache: save session: %w", err)
	}
	key := s.key(sess.ID)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, data, ttl)
		if sess.UserID != "" {
			uk := s.userKey(sess.UserID)
			p.SAdd(ctx, uk, key)
			// The index lives as long as the user's longest session.
			p.ExpireGT(ctx, uk, ttl)
			p.ExpireNX(ctx, uk, ttl)
		}
		return nil
	})
	return unavailable("save session", err)
}

// Get returns the session, or apperr.NotFound when it is unknown or expired.
func (s *SessionsRedis) Get(ctx context.Context, id string) (auth.Session, error) {
	data, err := s.rdb.Get(ctx, s.key(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return auth.Session{}, apperr.New(apperr.NotFound, "Session not found.")
	}
	if err != nil {
		return auth.Session{}, unavailable("get session", err)
	}
	var st storedSession
	if err := json.Unmarshal(data, &st); err != nil {
		return auth.Session{}, fmt.Errorf("cache: get session: %w", err)
	}
	if !st.ExpiresAt.After(s.now()) {
		return auth.Session{}, apperr.New(apperr.NotFound, "Session not found.")
	}
	return auth.Session{ID: id, UserID: st.UserID, Values: st.Values, ExpiresAt: st.ExpiresAt}, nil
}

// Delete ends a session; deleting an unknown session is not an error.
func (s *SessionsRedis) Delete(ctx context.Context, id string) error {
	return unavailable("delete session", s.rdb.Del(ctx, s.key(id)).Err())
}

// DeleteByUser ends every session of a user.
func (s *SessionsRedis) DeleteByUser(ctx context.Context, userID string) error {
	uk := s.userKey(userID)
	keys, err := s.rdb.SMembers(ctx, uk).Result()
	if err != nil {
		return unavailable("delete user sessions", err)
	}
	return unavailable("delete user sessions", s.rdb.Del(ctx, append(keys, uk)...).Err())
}

// unavailable wraps a Redis failure as apperr.Unavailable (nil stays nil).
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(apperr.Unavailable, "The session store is unavailable.", fmt.Errorf("cache: %s: %w", op, err))
}
