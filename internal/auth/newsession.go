package auth

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"time"
)

// NewSessionID returns a fresh opaque session id: 32 bytes from the operating
// system's random source, base64url-encoded without padding. The id is the
// only thing a browser holds, so it must be unguessable.
func NewSessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewSession returns a session with a fresh id for userID ("" for a
// pre-login session) that expires ttl after now. values is copied.
//
// Signing in always goes through NewSession instead of reusing the browser's
// current session, so an id fixed by an attacker before login is worthless
// after it (session rotation).
func NewSession(userID string, values map[string]string, now time.Time, ttl time.Duration) Session {
	v := make(map[string]string, len(values))
	maps.Copy(v, values)
	return Session{ID: NewSessionID(), UserID: userID, Values: v, ExpiresAt: now.Add(ttl)}
}
