package oidc

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"meet/internal/apperr"
	"meet/internal/users"
)

// UserPolicy says how identities become users (La Suite Meet's OIDC_* settings).
type UserPolicy struct {
	// FallbackToEmail matches an identity whose (issuer, subject) is unknown to
	// a user with the same e-mail address, and binds the identity to it. Off
	// by default: it trusts the provider's e-mail claim with account takeover.
	// Local accounts are never matched this way.
	FallbackToEmail bool
	// CreateUser creates a user for an unknown identity (on by default in
	// La Suite Meet; the zero value here is off, so set it explicitly).
	CreateUser bool
	// FullNameClaims are joined with spaces to make the full name; the "name"
	// claim is used when they are all empty. Default: given_name, usual_name.
	FullNameClaims []string
	// ShortNameClaim is the short name's claim. Default: given_name.
	ShortNameClaim string
}

// localIssuer is users.User.Issuer of local accounts (auth/local.Issuer).
const localIssuer = "local"

// maxNameLen is the length of the reference's name columns.
const maxNameLen = 100

// Users turns verified identities into meet users.
type Users struct {
	store  users.Store
	policy UserPolicy
	now    func() time.Time
}

// NewUsers returns a resolver over store; now is the clock (time.Now when nil).
func NewUsers(store users.Store, policy UserPolicy, now func() time.Time) *Users {
	if len(policy.FullNameClaims) == 0 {
		policy.FullNameClaims = []string{"given_name", "usual_name"}
	}
	if policy.ShortNameClaim == "" {
		policy.ShortNameClaim = "given_name"
	}
	if now == nil {
		now = time.Now
	}
	return &Users{store: store, policy: policy, now: now}
}

// Errors SignIn returns to refuse a person (apperr.Forbidden).
var (
	ErrInactive       = apperr.New(apperr.Forbidden, "This account is disabled.")
	ErrCreateDisabled = apperr.New(apperr.Forbidden, "No account exists for this identity, and accounts are not created automatically.")
)

// SignIn returns the user for id: found by (issuer, subject), else by e-mail
// when the policy allows, else created when the policy allows. A found user's
// changed e-mail and names are saved.
//
// Errors: ErrInactive, ErrCreateDisabled, apperr.Forbidden when several
// users share the e-mail address used for the fallback, and the store's.
func (s *Users) SignIn(ctx context.Context, id *Identity) (*users.User, error) {
	email, full, short := s.mapClaims(id)
	u, err := s.store.UserBySub(ctx, id.Issuer, id.Subject)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	bind := false
	if u == nil && s.policy.FallbackToEmail && email != "" && id.Claims["email_verified"] != false {
		switch found, err := s.store.UserByEmail(ctx, email); {
		case err == nil && found.Issuer != localIssuer:
			u, bind = found, true
		case apperr.Is(err, apperr.Conflict):
			return nil, apperr.Wrap(apperr.Forbidden, "Several accounts share this e-mail address; ask an administrator.", err)
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	now := s.now().UTC()
	if u == nil {
		if !s.policy.CreateUser {
			return nil, ErrCreateDisabled
		}
		u = &users.User{
			ID: uuid.NewString(), Sub: id.Subject, Issuer: id.Issuer, Email: email,
			FullName: full, ShortName: short, Language: "en-us", Timezone: "UTC",
			IsActive: true, CreatedAt: now, UpdatedAt: now,
		}
		if err := s.store.CreateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("oidc: create user: %w", err)
		}
		return u, nil
	}
	if !u.IsActive {
		return nil, ErrInactive
	}
	changed := bind
	if bind {
		u.Issuer, u.Sub = id.Issuer, id.Subject
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&u.Email, email}, {&u.FullName, full}, {&u.ShortName, short}} {
		if f.v != "" && *f.dst != f.v {
			*f.dst, changed = f.v, true
		}
	}
	if changed {
		u.UpdatedAt = now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("oidc: update user: %w", err)
		}
	}
	return u, nil
}

// mapClaims returns the e-mail, full name and short name the claims give.
func (s *Users) mapClaims(id *Identity) (email, full, short string) {
	var parts []string
	for _, c := range s.policy.FullNameClaims {
		if v := claimString(id.Claims, c); v != "" {
			parts = append(parts, v)
		}
	}
	full = strings.Join(parts, " ")
	if full == "" {
		full = claimString(id.Claims, "name")
	}
	return strings.TrimSpace(id.Email), truncate(full), truncate(claimString(id.Claims, s.policy.ShortNameClaim))
}

func claimString(claims map[string]any, name string) string {
	v, _ := claims[name].(string)
	return strings.TrimSpace(v)
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxNameLen {
		return s
	}
	return string([]rune(s)[:maxNameLen])
}
