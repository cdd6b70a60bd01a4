package local_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"meet/internal/apperr"
	"meet/internal/auth/local"
	"meet/internal/users"
)

// fastArgon2id keeps tests quick; production uses DefaultArgon2id.
var fastArgon2id = local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestArgon2id(t *testing.T) {
	h := fastArgon2id
	enc, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", enc)
	}
	other, _ := h.Hash("correct horse")
	if other == enc {
		t.Fatal("two hashes of one password share a salt")
	}
	tests := []struct {
		name, password, encoded string
		ok, wantErr             bool
	}{
		{"match", "correct horse", enc, true, false},
		{"mismatch", "correct horsf", enc, false, false},
		{"default params", "pw", mustHash(t, local.DefaultArgon2id(), "pw"), true, false},
		{"bcrypt", "pw", "$2b$12$abcdefghijklmnopqrstuv", false, true},
		{"memory too large", "pw", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", false, true},
		{"wrong version", "pw", "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", false, true},
		{"empty", "pw", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(tt.password, tt.encoded)
			if ok != tt.ok || (err != nil) != tt.wantErr {
				t.Fatalf("Verify = %v, %v; want %v, error %v", ok, err, tt.ok, tt.wantErr)
			}
		})
	}
}

func mustHash(t *testing.T, h local.Hasher, pw string) string {
	t.Helper()
	s, err := h.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// countingHasher counts Verify calls, to prove that every failure path does
// the same hashing work (no enumeration by timing).
type countingHasher struct {
	local.Hasher
	verifies atomic.Int64
}

func (c *countingHasher) Verify(pw, enc string) (bool, error) {
	c.verifies.Add(1)
	return c.Hasher.Verify(pw, enc)
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	store := newFakeStore()
	hasher := &countingHasher{Hasher: fastArgon2id}
	accounts := local.NewAccounts(store, hasher, nil, nil)
	alice, err := accounts.Add(ctx, "alice@example.com", "Alice Liddell", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	if alice.Issuer != "local" || alice.Sub != alice.ID || alice.ShortName != "Alice" {
		t.Fatalf("added user %+v", alice)
	}
	if _, err := accounts.Add(ctx, "ALICE@example.com", "Other", "password1"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("duplicate e-mail: %v, want conflict", err)
	}
	if _, err := accounts.Add(ctx, "bob@example.com", "Bob", "short"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("short password: %v, want invalid", err)
	}
	if _, err := accounts.Add(ctx, "carol@example.com", "Carol", "disabled!"); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetActive(ctx, "carol@example.com", false); err != nil {
		t.Fatal(err)
	}
	// An OIDC user with a password-less record must not be able to log in.
	if err := store.CreateUser(ctx, &users.User{ID: "oidc-1", Sub: "s", Issuer: "https://idp", Email: "dave@example.com", IsActive: true}); err != nil {
		t.Fatal(err)
	}

	a, err := local.NewAuthenticator(store, hasher, local.Limits{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, email, password string
		ok                    bool
	}{
		{"right password", "alice@example.com", "wonderland", true},
		{"e-mail case ignored", " Alice@Example.com ", "wonderland", true},
		{"wrong password", "alice@example.com", "wonderlanD", false},
		{"unknown e-mail", "nobody@example.com", "wonderland", false},
		{"empty e-mail", "", "wonderland", false},
		{"disabled account, right password", "carol@example.com", "disabled!", false},
		{"oidc account", "dave@example.com", "anything", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hasher.verifies.Load()
			u, err := a.Login(ctx, tt.email, tt.password, "192.0.2.1")
			if n := hasher.verifies.Load() - before; n != 1 {
				t.Errorf("Verify called %d times, want exactly 1", n)
			}
			if tt.ok {
				if err != nil || u.ID != alice.ID {
					t.Fatalf("Login = %v, %v", u, err)
				}
				return
			}
			if err != local.ErrInvalidCredentials {
				t.Fatalf("Login error = %v, want the one generic error", err)
			}
		})
	}
	if err := accounts.SetPassword(ctx, "alice@example.com", "looking-glass"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Login(ctx, "alice@example.com", "looking-glass", "192.0.2.1"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

// fakeStore is a minimal users.Store for this package's unit tests.
type fakeStore struct {
	mu    sync.Mutex
	users map[string]users.User
}

func newFakeStore() *fakeStore { return &fakeStore{users: map[string]users.User{}} }

func (s *fakeStore) CreateUser(_ context.Context, u *users.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = *u
	return nil
}

func (s *fakeStore) UpdateUser(_ context.Context, u *users.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; !ok {
		return apperr.New(apperr.NotFound, "")
	}
	s.users[u.ID] = *u
	return nil
}

func (s *fakeStore) UserByID(_ context.Context, id string) (*users.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[id]; ok {
		return &u, nil
	}
	return nil, apperr.New(apperr.NotFound, "")
}

func (s *fakeStore) UserBySub(_ context.Context, iss, sub string) (*users.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Issuer == iss && u.Sub == sub {
			return &u, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "")
}

func (s *fakeStore) UserByEmail(_ context.Context, email string) (*users.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []users.User
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			found = append(found, u)
		}
	}
	switch len(found) {
	case 0:
		return nil, apperr.New(apperr.NotFound, "")
	case 1:
		return &found[0], nil
	}
	return nil, apperr.New(apperr.Conflict, "")
}

func (s *fakeStore) ListUsers(context.Context) ([]users.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []users.User
	for _, u := range s.users {
		out = append(out, u)
	}
	return out, nil
}
