package local

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"meet/internal/apperr"
	"meet/internal/users"
)

// Password length bounds, in characters (runes). The upper bound keeps one
// hash from being fed megabytes.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 1024
)

// Sessions ends sign-in sessions (auth.SessionStore has this method).
// DeleteByUser ends every session of a user; a user without sessions is not
// an error.
type Sessions interface {
	DeleteByUser(ctx context.Context, userID string) error
}

// Accounts creates and changes local accounts (the `meet user` command).
type Accounts struct {
	store    users.Store
	hasher   Hasher
	sessions Sessions
	now      func() time.Time
}

// NewAccounts returns account management over store. A password change, a
// disable or enable, and Logout end the account's sessions in sessions (nil:
// none are kept, as in tests of this package alone). now is the clock
// (time.Now when nil).
func NewAccounts(store users.Store, hasher Hasher, sessions Sessions, now func() time.Time) *Accounts {
	if now == nil {
		now = time.Now
	}
	return &Accounts{store: store, hasher: hasher, sessions: sessions, now: now}
}

// Add creates an active local account. Its subject (the identity LiveKit sees)
// is its id. Errors: apperr.Invalid for a bad e-mail, name or password,
// apperr.Conflict when any user already has the e-mail address.
func (a *Accounts) Add(ctx context.Context, email, fullName, password string) (*users.User, error) {
	email, err := checkEmail(email)
	if err != nil {
		return nil, err
	}
	fullName = strings.TrimSpace(fullName)
	if utf8.RuneCountInString(fullName) > 100 {
		return nil, apperr.Field("full_name", "Ensure this field has no more than 100 characters.")
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	switch _, err := a.store.UserByEmail(ctx, email); {
	case err == nil, apperr.Is(err, apperr.Conflict):
		return nil, apperr.New(apperr.Conflict, "A user with this e-mail address already exists.")
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	hash, err := a.hasher.Hash(password)
	if err != nil {
		return nil, err
	}
	now := a.now().UTC()
	id := uuid.NewString()
	u := &users.User{
		ID: id, Sub: id, Issuer: Issuer, Email: email,
		FullName: fullName, ShortName: firstWord(fullName),
		Language: "en-us", Timezone: "UTC", IsActive: true,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now,
	}
	if err := a.store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("local: add: %w", err)
	}
	return u, nil
}

// SetPassword replaces the password of the local account with this e-mail
// and ends all its sessions: whoever signed in with the old password (perhaps
// the reason for the change) is signed out. The password is changed first,
// so no sign-in with the old one can slip in between.
// Errors: apperr.NotFound, apperr.Invalid for a bad password.
func (a *Accounts) SetPassword(ctx context.Context, email, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	u, err := FindAccount(ctx, a.store, strings.TrimSpace(email))
	if err != nil {
		return err
	}
	if u.PasswordHash, err = a.hasher.Hash(password); err != nil {
		return err
	}
	u.UpdatedAt = a.now().UTC()
	if err := a.store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return a.endSessions(ctx, u.ID)
}

// SetActive enables or disables the local account with this e-mail. A disabled
// account cannot log in and its sessions end. Enabling a disabled account
// ends its sessions too, so sessions older than the disable (made before
// disabling ended them) do not come back to life. Errors: apperr.NotFound.
func (a *Accounts) SetActive(ctx context.Context, email string, active bool) (*users.User, error) {
	u, err := FindAccount(ctx, a.store, strings.TrimSpace(email))
	if err != nil {
		return nil, err
	}
	changed := u.IsActive != active
	u.IsActive = active
	u.UpdatedAt = a.now().UTC()
	if err := a.store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	if !active || changed {
		if err := a.endSessions(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// Logout ends every session of the local account with this e-mail, on every
// device. Errors: apperr.NotFound.
func (a *Accounts) Logout(ctx context.Context, email string) (*users.User, error) {
	u, err := FindAccount(ctx, a.store, strings.TrimSpace(email))
	if err != nil {
		return nil, err
	}
	if err := a.endSessions(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

func (a *Accounts) endSessions(ctx context.Context, userID string) error {
	if a.sessions == nil {
		return nil
	}
	if err := a.sessions.DeleteByUser(ctx, userID); err != nil {
		return fmt.Errorf("local: end sessions: %w", err)
	}
	return nil
}

func checkEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "", apperr.Field("email", "Enter a valid email address.")
	}
	return email, nil
}

func checkPassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		return apperr.Field("password", fmt.Sprintf("This password is too short. It must contain at least %d characters.", MinPasswordLen))
	case n > MaxPasswordLen:
		return apperr.Field("password", fmt.Sprintf("This password is too long. It must contain at most %d characters.", MaxPasswordLen))
	}
	return nil
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
