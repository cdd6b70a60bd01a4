package oidc_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/auth/oidc"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

const iss = "https://idp.example"

func identity(sub, email string, claims map[string]any) *oidc.Identity {
	if claims == nil {
		claims = map[string]any{}
	}
	return &oidc.Identity{Issuer: iss, Subject: sub, Email: email, Claims: claims}
}

func TestSignInCreatesAndUpdates(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	r := oidc.NewUsers(db, oidc.UserPolicy{CreateUser: true}, nil)

	u, err := r.SignIn(ctx, identity("s1", "ada@example.com", map[string]any{
		"given_name": "Ada", "usual_name": "Lovelace", "name": "Augusta Ada King",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{u.Issuer, u.Sub, u.Email, u.FullName, u.ShortName}
	if diff := cmp.Diff([]string{iss, "s1", "ada@example.com", "Ada Lovelace", "Ada"}, got); diff != "" {
		t.Fatalf("created user (-want +got):\n%s", diff)
	}
	// Next sign-in: same user, changed e-mail and names saved; empty claims keep old values.
	u2, err := r.SignIn(ctx, identity("s1", "ada@new.example", map[string]any{"name": "Countess of Lovelace"}))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := db.UserByID(ctx, u.ID)
	if u2.ID != u.ID || stored.Email != "ada@new.example" || stored.FullName != "Countess of Lovelace" || stored.ShortName != "Ada" {
		t.Fatalf("updated user %+v", stored)
	}
}

func TestSignInPolicy(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		policy   oidc.UserPolicy
		existing *users.User
		id       *oidc.Identity
		wantErr  error
		wantUser string // existing user's id when it must be matched
	}{
		{
			name: "creation disabled", policy: oidc.UserPolicy{},
			id: identity("s1", "x@example.com", nil), wantErr: oidc.ErrCreateDisabled,
		},
		{
			name: "inactive user refused", policy: oidc.UserPolicy{CreateUser: true},
			existing: &users.User{ID: "u-off", Issuer: iss, Sub: "s1", Email: "x@example.com"},
			id:       identity("s1", "x@example.com", nil), wantErr: oidc.ErrInactive,
		},
		{
			name: "e-mail never used without the fallback", policy: oidc.UserPolicy{},
			existing: &users.User{ID: "u-1", Email: "x@example.com", IsActive: true},
			id:       identity("s1", "X@example.com", nil), wantErr: oidc.ErrCreateDisabled,
		},
		{
			name: "e-mail fallback binds a provisional user", policy: oidc.UserPolicy{FallbackToEmail: true},
			existing: &users.User{ID: "u-1", Email: "x@example.com", IsActive: true},
			id:       identity("s1", "X@example.com", nil), wantUser: "u-1",
		},
		{
			name: "e-mail fallback needs a verified address", policy: oidc.UserPolicy{FallbackToEmail: true},
			existing: &users.User{ID: "u-1", Email: "x@example.com", IsActive: true},
			id:       identity("s1", "x@example.com", map[string]any{"email_verified": false}), wantErr: oidc.ErrCreateDisabled,
		},
		{
			name: "e-mail fallback skips local accounts", policy: oidc.UserPolicy{FallbackToEmail: true},
			existing: &users.User{ID: "u-local", Issuer: "local", Sub: "u-local", Email: "x@example.com", PasswordHash: "h", IsActive: true},
			id:       identity("s1", "x@example.com", nil), wantErr: oidc.ErrCreateDisabled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storagetest.Open(t)
			if tt.existing != nil {
				if err := db.CreateUser(ctx, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			u, err := oidc.NewUsers(db, tt.policy, nil).SignIn(ctx, tt.id)
			if tt.wantErr != nil {
				if err != tt.wantErr {
					t.Fatalf("SignIn = %v, %v; want %v", u, err, tt.wantErr)
				}
				return
			}
			if err != nil || u.ID != tt.wantUser {
				t.Fatalf("SignIn = %+v, %v; want user %s", u, err, tt.wantUser)
			}
			again, err := db.UserBySub(ctx, iss, tt.id.Subject)
			if err != nil || again.ID != tt.wantUser {
				t.Fatalf("identity not bound: %v, %v", again, err)
			}
		})
	}
}

func TestSignInClaimMapping(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name            string
		policy          oidc.UserPolicy
		claims          map[string]any
		full, shortName string
	}{
		{"default claims", oidc.UserPolicy{}, map[string]any{"given_name": "Jean", "usual_name": "Dupont", "family_name": "Martin"}, "Jean Dupont", "Jean"},
		{"name fallback", oidc.UserPolicy{}, map[string]any{"name": "Only A Name"}, "Only A Name", ""},
		{"configured claims", oidc.UserPolicy{FullNameClaims: []string{"given_name", "family_name"}, ShortNameClaim: "nickname"},
			map[string]any{"given_name": "Jean", "family_name": "Martin", "nickname": "JM"}, "Jean Martin", "JM"},
		{"non-string claims ignored", oidc.UserPolicy{}, map[string]any{"given_name": 42, "name": "N"}, "N", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.policy.CreateUser = true
			db := storagetest.Open(t)
			u, err := oidc.NewUsers(db, tt.policy, nil).SignIn(ctx, identity("s"+string(rune('0'+i)), "", tt.claims))
			if err != nil {
				t.Fatal(err)
			}
			if u.FullName != tt.full || u.ShortName != tt.shortName {
				t.Fatalf("names %q / %q, want %q / %q", u.FullName, u.ShortName, tt.full, tt.shortName)
			}
		})
	}
}

func TestSignInSharedEmail(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	for _, u := range []users.User{
		{ID: "a", Issuer: iss, Sub: "a", Email: "x@example.com", IsActive: true},
		{ID: "b", Issuer: iss, Sub: "b", Email: "x@example.com", IsActive: true},
	} {
		if err := db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	_, err := oidc.NewUsers(db, oidc.UserPolicy{FallbackToEmail: true, CreateUser: true}, nil).SignIn(ctx, identity("c", "x@example.com", nil))
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("SignIn = %v, want forbidden", err)
	}
}
