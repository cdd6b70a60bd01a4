package auth

import (
	"context"
	"time"
)

// Session is a server-side session. The browser only holds its opaque ID.
type Session struct {
	ID        string
	UserID    string            // empty for a pre-login session (OIDC state, nonce)
	Values    map[string]string // small per-session data: OIDC id_token, login state
	ExpiresAt time.Time
}

// SessionStore keeps sessions. Implementations: storage (database) and cache (Redis).
//
// Get returns apperr.NotFound for unknown or expired sessions. DeleteByUser ends
// every session of a user (back-channel logout, disabled accounts).
type SessionStore interface {
	Save(ctx context.Context, s Session) error
	Get(ctx context.Context, id string) (Session, error)
	Delete(ctx context.Context, id string) error
	DeleteByUser(ctx context.Context, userID string) error
}
