// Package users holds meet's user accounts: the User type, its validation
// rules, and the Store the adapters implement.
//
// It imports only the standard library, apperr and rooms (for the default room
// preferences a user can keep).
package users

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"meet/internal/rooms"
)

// User is a person who can sign in.
type User struct {
	ID        string
	Sub       string // identity provider subject; empty for users without one yet
	Issuer    string // identity provider issuer ("local" for local accounts)
	Email     string
	FullName  string
	ShortName string
	Language  string
	Timezone  string
	IsActive  bool
	// DefaultRoomAccessLevel applies to rooms this user creates without an access level ("" = instance default).
	DefaultRoomAccessLevel rooms.AccessLevel
	// DefaultRoomConfiguration applies to rooms this user creates with an empty configuration.
	DefaultRoomConfiguration rooms.Configuration
	// PasswordHash is set for local accounts only (argon2id, PHC string).
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DisplayName is the name shown to other participants when none is requested.
func (u *User) DisplayName() string {
	switch {
	case u.FullName != "":
		return u.FullName
	case u.Email != "":
		return u.Email
	}
	return u.ID
}

// Languages are the interface languages a user can choose.
var Languages = []string{"en-us", "fr-fr", "nl-nl", "de-de"}

// AnonymizedEmail returns a stable keyed hash of an e-mail address for
// analytics: the same address always gives the same value under one key, and
// the address cannot be recovered from it.
func AnonymizedEmail(key []byte, email string) string {
	if email == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// Store keeps users.
//
// ByID, BySub and ByEmail return apperr.NotFound when nothing matches; ByEmail
// matches case-insensitively and returns apperr.Conflict when several users share
// the address. Create returns apperr.Conflict when the sub or the e-mail of a
// sub-less user is taken.
type Store interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id string) (*User, error)
	UserBySub(ctx context.Context, issuer, sub string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	ListUsers(ctx context.Context) ([]User, error)
}
