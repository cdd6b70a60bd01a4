package local

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/users"
)

// Issuer is users.User.Issuer for local accounts.
const Issuer = "local"

// ErrInvalidCredentials is the one answer to every failed login: unknown
// e-mail, wrong password, disabled account. Saying more would tell an attacker
// which addresses have accounts.
var ErrInvalidCredentials = apperr.New(apperr.Unauthenticated, "Invalid e-mail or password.")

// Authenticator checks local e-mail and password logins.
type Authenticator struct {
	store     users.Store
	hasher    Hasher
	byClient  Limiter
	byAccount Limiter
	log       *slog.Logger
	// dummy is a hash of a random password made with the hasher's current
	// parameters: unknown e-mail addresses are verified against it, so they
	// cost the same work as known ones.
	dummy string
}

// NewAuthenticator returns an Authenticator over store. byClient and byAccount
// limit attempts per client address and per e-mail address. It hashes one
// random password (the stand-in for unknown accounts), which takes as long as
// one login. A nil log discards.
func NewAuthenticator(store users.Store, hasher Hasher, byClient, byAccount Limiter, log *slog.Logger) (*Authenticator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dummy, err := hasher.Hash(auth.NewSessionID())
	if err != nil {
		return nil, fmt.Errorf("local: dummy hash: %w", err)
	}
	return &Authenticator{store: store, hasher: hasher, byClient: byClient, byAccount: byAccount, log: log, dummy: dummy}, nil
}

// Login returns the active local user whose e-mail and password match.
//
// Errors: apperr.Throttled when client or the account made too many attempts
// (the message says when to retry), ErrInvalidCredentials for any mismatch or
// a disabled account, and apperr.Internal or Unavailable when the store fails.
// Every path past the rate limits verifies exactly one hash.
func (a *Authenticator) Login(ctx context.Context, email, password, client string) (*users.User, error) {
	email = strings.TrimSpace(email)
	if err := a.throttle(ctx, a.byClient, "client:"+client); err != nil {
		return nil, err
	}
	if err := a.throttle(ctx, a.byAccount, "account:"+strings.ToLower(email)); err != nil {
		return nil, err
	}
	u, err := a.find(ctx, email)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	encoded := a.dummy
	if u != nil && u.PasswordHash != "" {
		encoded = u.PasswordHash
	}
	ok, verr := a.hasher.Verify(password, encoded)
	if verr != nil {
		a.log.ErrorContext(ctx, "unreadable password hash", "user_id", userID(u), "err", verr)
	}
	if u == nil || !ok || verr != nil || !u.IsActive {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// find returns the local account with this e-mail address. Other users (OIDC
// accounts) may share the address; they cannot log in with a password.
func (a *Authenticator) find(ctx context.Context, email string) (*users.User, error) {
	if email == "" {
		return nil, apperr.New(apperr.NotFound, "")
	}
	return FindAccount(ctx, a.store, email)
}

// FindAccount returns the local account (Issuer "local") with this e-mail
// address, compared case-insensitively, or apperr.NotFound.
func FindAccount(ctx context.Context, store users.Store, email string) (*users.User, error) {
	u, err := store.UserByEmail(ctx, email)
	switch {
	case err == nil && u.Issuer == Issuer:
		return u, nil
	case err == nil, apperr.Is(err, apperr.NotFound):
		return nil, errNoAccount
	case !apperr.Is(err, apperr.Conflict):
		return nil, err
	}
	// Several users share the address: look for the local one.
	all, err := store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Issuer == Issuer && strings.EqualFold(all[i].Email, email) {
			return &all[i], nil
		}
	}
	return nil, errNoAccount
}

var errNoAccount = apperr.New(apperr.NotFound, "No local account has this e-mail address.")

// throttle records an attempt under key and turns a refusal into the
// reference's throttled error.
func (a *Authenticator) throttle(ctx context.Context, l Limiter, key string) error {
	if l == nil {
		return nil
	}
	wait, err := l.Allow(ctx, key)
	if err != nil {
		return err
	}
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return apperr.New(apperr.Throttled, fmt.Sprintf("Request was throttled. Expected available in %d seconds.", secs))
}

func userID(u *users.User) string {
	if u == nil {
		return ""
	}
	return u.ID
}

// DefaultAttempts and DefaultPeriod are the login limits per client address
// and per account: ten attempts a minute each.
const (
	DefaultAttempts = 10
	DefaultPeriod   = time.Minute
)
