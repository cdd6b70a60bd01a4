package local_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth/local"
)

// gateHasher records how many Verify calls run at once. Each call blocks
// until release is closed, so the test decides when slots free up instead of
// racing the clock.
type gateHasher struct {
	local.Hasher
	release  chan struct{}
	started  chan struct{}
	inFlight atomic.Int64
	maxSeen  atomic.Int64
	calls    atomic.Int64
}

func newGateHasher() *gateHasher {
	return &gateHasher{Hasher: fastArgon2id, release: make(chan struct{}), started: make(chan struct{}, 100)}
}

func (g *gateHasher) Verify(pw, enc string) (bool, error) {
	g.calls.Add(1)
	n := g.inFlight.Add(1)
	for {
		m := g.maxSeen.Load()
		if n <= m || g.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	g.started <- struct{}{}
	<-g.release
	defer g.inFlight.Add(-1)
	return g.Hasher.Verify(pw, enc)
}

func newGatedAuthenticator(t *testing.T, h local.Hasher, slots int, wait time.Duration) *local.Authenticator {
	t.Helper()
	store := newFakeStore()
	if _, err := local.NewAccounts(store, fastArgon2id, nil, nil).Add(context.Background(), "alice@example.com", "Alice", "wonderland"); err != nil {
		t.Fatal(err)
	}
	a, err := local.NewAuthenticator(store, h, local.Limits{HashSlots: slots, HashWait: wait}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// retryAfter returns the wait a throttled error carries, or fails.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var ra *apperr.RetryAfter
	if !apperr.Is(err, apperr.Throttled) || !errors.As(err, &ra) {
		t.Fatalf("err = %v, want throttled with a RetryAfter cause", err)
	}
	return ra.Wait
}

// TestLoginHashConcurrencyBounded fires 30 simultaneous attempts at an
// authenticator with two hash slots: two hashes run, never more, and the 28
// others are shed with 429 and a wait of one second instead of queueing up
// 64 MiB each.
func TestLoginHashConcurrencyBounded(t *testing.T) {
	const attempts, slots = 30, 2
	h := newGateHasher()
	// The two running hashes hold their slots until every other attempt has
	// returned, so the short wait always ends empty-handed.
	a := newGatedAuthenticator(t, h, slots, 10*time.Millisecond)
	errs := make(chan error, attempts)
	for i := range attempts {
		go func() {
			pw := "wrong"
			if i == 0 {
				pw = "wonderland"
			}
			_, err := a.Login(context.Background(), "alice@example.com", pw, "192.0.2.1")
			errs <- err
		}()
	}
	shed := 0
	for range attempts - slots {
		err := <-errs
		if got := retryAfter(t, err); got != time.Second {
			t.Fatalf("shed attempt waits %v, want 1s", got)
		}
		if err.Error() != "throttled: Request was throttled. Expected available in 1 second.: throttled for 1s" {
			t.Fatalf("shed attempt error %q", err)
		}
		shed++
	}
	close(h.release)
	for range slots {
		if err := <-errs; err != nil && err != local.ErrInvalidCredentials {
			t.Fatalf("admitted attempt: %v", err)
		}
	}
	if got := h.maxSeen.Load(); got != slots {
		t.Errorf("at most %d hashes ran at once, want exactly %d", got, slots)
	}
	if got := h.calls.Load(); got != slots || shed != attempts-slots {
		t.Errorf("%d hashes ran and %d attempts were shed, want %d and %d", got, shed, slots, attempts-slots)
	}
}

// TestLoginGoneClientStartsNoHash checks that an attempt whose client left
// stops waiting for a slot and never hashes.
func TestLoginGoneClientStartsNoHash(t *testing.T) {
	h := newGateHasher()
	// A wait far longer than any test: only the context can end it.
	a := newGatedAuthenticator(t, h, 1, time.Hour)
	holder := make(chan error, 1)
	go func() {
		_, err := a.Login(context.Background(), "alice@example.com", "wonderland", "192.0.2.1")
		holder <- err
	}()
	<-h.started // the only slot is taken

	ctx, cancel := context.WithCancel(context.Background())
	waiter := make(chan error, 1)
	go func() {
		_, err := a.Login(ctx, "alice@example.com", "wonderland", "192.0.2.2")
		waiter <- err
	}()
	cancel()
	retryAfter(t, <-waiter)

	// A client gone before its turn gets no hash even with a slot free.
	close(h.release)
	if err := <-holder; err != nil {
		t.Fatalf("the attempt holding the slot: %v", err)
	}
	retryAfter(t, func() error { _, err := a.Login(ctx, "alice@example.com", "wonderland", "192.0.2.3"); return err }())
	if got := h.calls.Load(); got != 1 {
		t.Fatalf("%d hashes ran, want 1: gone clients must not hash", got)
	}
}

func TestHashSlots(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	h := local.DefaultArgon2id() // 64 MiB a hash
	for _, tt := range []struct {
		name   string
		budget int64
		want   int
	}{
		{"no budget still hashes", 0, 1},
		{"less than one hash", 32 << 20, 1},
		{"three hashes' worth", 3 * 64 << 20, min(3, procs)},
		{"plenty: one per processor", 64 << 30, procs},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := local.HashSlots(tt.budget, h); got != tt.want {
				t.Fatalf("HashSlots(%d) = %d, want %d", tt.budget, got, tt.want)
			}
		})
	}
}

// fakeSessions records whose sessions were ended.
type fakeSessions struct {
	mu    sync.Mutex
	ended []string
	err   error
}

func (f *fakeSessions) DeleteByUser(_ context.Context, userID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.ended = append(f.ended, userID)
	return nil
}

func (f *fakeSessions) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.ended
	f.ended = nil
	return out
}

// TestAccountsEndSessions checks which account changes sign the account out
// everywhere.
func TestAccountsEndSessions(t *testing.T) {
	ctx := context.Background()
	sessions := &fakeSessions{}
	accounts := local.NewAccounts(newFakeStore(), fastArgon2id, sessions, nil)
	alice, err := accounts.Add(ctx, "alice@example.com", "Alice", "wonderland")
	if err != nil {
		t.Fatal(err)
	}
	if got := sessions.take(); len(got) != 0 {
		t.Fatalf("adding an account ended sessions of %v", got)
	}
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"passwd", func() error { return accounts.SetPassword(ctx, "alice@example.com", "looking-glass") }, []string{alice.ID}},
		{"enable an active account", func() error { _, err := accounts.SetActive(ctx, "alice@example.com", true); return err }, nil},
		{"disable", func() error { _, err := accounts.SetActive(ctx, "alice@example.com", false); return err }, []string{alice.ID}},
		{"disable again", func() error { _, err := accounts.SetActive(ctx, "alice@example.com", false); return err }, []string{alice.ID}},
		{"enable a disabled account", func() error { _, err := accounts.SetActive(ctx, "ALICE@example.com", true); return err }, []string{alice.ID}},
		{"logout", func() error { _, err := accounts.Logout(ctx, " alice@example.com "); return err }, []string{alice.ID}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := sessions.take(); len(got) != len(s.want) || (len(got) == 1 && got[0] != s.want[0]) {
			t.Fatalf("%s ended the sessions of %v, want %v", s.name, got, s.want)
		}
	}
	if _, err := accounts.Logout(ctx, "nobody@example.com"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("logout of an unknown account: %v, want not found", err)
	}
	sessions.err = apperr.New(apperr.Unavailable, "The session store is unavailable.")
	if err := accounts.SetPassword(ctx, "alice@example.com", "new-password"); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("passwd with the session store down: %v, want unavailable (the operator must know sessions live on)", err)
	}
}
