package local

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

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
	store  users.Store
	hasher Hasher
	limits Limits
	gate   *hashGate
	log    *slog.Logger
	// dummy is a hash of a random password made with the hasher's current
	// parameters: unknown e-mail addresses are verified against it, so they
	// cost the same work as known ones.
	dummy string
}

// NewAuthenticator returns an Authenticator over store, within limits. It
// hashes one random password (the stand-in for unknown accounts), which
// takes as long as one login. A nil log discards.
func NewAuthenticator(store users.Store, hasher Hasher, limits Limits, log *slog.Logger) (*Authenticator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dummy, err := hasher.Hash(auth.NewSessionID())
	if err != nil {
		return nil, fmt.Errorf("local: dummy hash: %w", err)
	}
	return &Authenticator{
		store: store, hasher: hasher, limits: limits, gate: newHashGate(limits.HashSlots, limits.HashWait),
		log: log, dummy: dummy,
	}, nil
}

// Login returns the active local user whose e-mail and password match.
// client is the caller's rate-limit bucket (an IPv4 address, an IPv6 /64).
//
// Errors: apperr.Throttled when a rate of Limits is spent or no hash slot
// freed in time (the cause, an *apperr.RetryAfter, says when to retry),
// ErrInvalidCredentials for any mismatch or a disabled account, and
// apperr.Internal or Unavailable when the store fails. Every path past the
// limits verifies exactly one hash; a caller whose ctx ends before its hash
// starts gets none.
func (a *Authenticator) Login(ctx context.Context, email, password, client string) (*users.User, error) {
	email = strings.TrimSpace(email)
	if err := a.checkRates(ctx, email, client); err != nil {
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
	release, err := a.gate.acquire(ctx)
	if err != nil {
		return nil, err
	}
	ok, verr := a.hasher.Verify(password, encoded)
	release()
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

func userID(u *users.User) string {
	if u == nil {
		return ""
	}
	return u.ID
}
