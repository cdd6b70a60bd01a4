package local

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"meet/internal/apperr"
	"meet/internal/users"
)

// FirstRun lets the first person create the first local account in the
// browser, with a one-time token the server prints in its log: whoever
// can read the log runs the instance. It closes for good once the token is
// used or any user exists (created by `meet user add`, another replica or
// a single sign-on), so it never grants anything on a running instance.
type FirstRun struct {
	accounts *Accounts
	store    users.Store
	token    string

	mu     sync.Mutex
	closed bool
}

// NewFirstRun returns a first-run setup guarded by token (see NewSetupToken).
func NewFirstRun(accounts *Accounts, store users.Store, token string) *FirstRun {
	return &FirstRun{accounts: accounts, store: store, token: token}
}

// NewSetupToken returns a random token of 256 bits, URL-safe.
func NewSetupToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Token is the one-time token the setup link carries.
func (f *FirstRun) Token() string { return f.token }

// Open reports whether the setup can still be used: its token is unused and
// no user exists.
func (f *FirstRun) Open(ctx context.Context) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.openLocked(ctx)
}

func (f *FirstRun) openLocked(ctx context.Context) (bool, error) {
	if f.closed {
		return false, nil
	}
	list, err := f.store.ListUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("local: first run: %w", err)
	}
	if len(list) > 0 {
		f.closed = true // users are never deleted: no need to look again
	}
	return !f.closed, nil
}

// Complete creates the first account. Errors: apperr.NotFound once the setup
// is closed (token used, or a user exists), apperr.Forbidden for a wrong
// token, apperr.Invalid listing every field that breaks the rules of `meet
// user add` (email, full_name, password).
func (f *FirstRun) Complete(ctx context.Context, token, email, fullName, password string) (*users.User, error) {
	// One at a time: two browsers racing with the right token must not
	// create two accounts.
	f.mu.Lock()
	defer f.mu.Unlock()
	open, err := f.openLocked(ctx)
	if err != nil {
		return nil, err
	}
	if !open {
		return nil, apperr.New(apperr.NotFound, "This instance is already set up.")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(f.token)) != 1 {
		return nil, apperr.New(apperr.Forbidden, "This setup link is not valid: use the link printed in the server's log.")
	}
	fields := apperr.Fields{}
	if _, err := checkEmail(email); err != nil {
		fields.Merge(err)
	}
	if utf8.RuneCountInString(strings.TrimSpace(fullName)) > 100 {
		fields.Add("full_name", "Ensure this field has no more than 100 characters.")
	}
	if err := checkPassword(password); err != nil {
		fields.Merge(err)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	u, err := f.accounts.Add(ctx, email, fullName, password)
	if err != nil {
		return nil, err
	}
	f.closed = true
	return u, nil
}
