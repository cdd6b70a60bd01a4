// Package lobbytest holds the contract tests every lobby.Store, lobby.Limiter
// and lobby.Broker implementation must pass, so the in-memory and Redis
// implementations behave the same. The cache package runs them on both.
//
// It imports only the standard library, apperr, and lobby; it is used by
// tests only.
package lobbytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/lobby"
)

// Harness is one store under test.
type Harness struct {
	Store lobby.Store
	// TTL is the waiting time to live the tests use: short on Redis (real
	// time passes), anything on a store with an injected clock.
	TTL time.Duration
	// Advance lets d pass: it moves an injected clock, or waits on a real one.
	Advance func(d time.Duration)
}

// NewID returns a random UUID-shaped id, unique per test run.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func entry(id, name string) lobby.Entry {
	return lobby.Entry{ID: id, Username: name, Status: lobby.Waiting, Color: "hsl(1, 50%, 25%)"}
}

// mustNotFound fails unless err is apperr.NotFound.
func mustNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("%s: got %v, want not_found", what, err)
	}
}

// Store runs the lobby.Store contract on the stores newHarness returns (one per subtest).
func Store(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()
	t.Run("knock creates then refreshes", func(t *testing.T) {
		h := newHarness(t)
		room, id := NewID(), NewID()
		got, created, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL)
		if err != nil || !created || got.Status != lobby.Waiting || got.Username != "Ada" || got.ID != id || got.KnockedAt.IsZero() {
			t.Fatalf("first knock = %+v, %v, %v", got, created, err)
		}
		again, created, err := h.Store.Knock(ctx, room, entry(id, "Other name"), h.TTL)
		if err != nil || created || again.Username != "Ada" || !again.KnockedAt.Equal(got.KnockedAt) {
			t.Fatalf("second knock = %+v, %v, %v", again, created, err)
		}
		if _, err := h.Store.Get(ctx, NewID(), id); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("entry visible from another room: %v", err)
		}
	})
	t.Run("waiting entry lives while refreshed and never after", func(t *testing.T) {
		h := newHarness(t)
		room, id := NewID(), NewID()
		if _, _, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); err != nil {
			t.Fatal(err)
		}
		for range 3 { // three refreshes: the entry outlives one TTL
			h.Advance(h.TTL / 2)
			if _, err := h.Store.Touch(ctx, room, id, h.TTL); err != nil {
				t.Fatalf("touch: %v", err)
			}
		}
		h.Advance(h.TTL / 2)
		if _, _, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); err != nil {
			t.Fatal(err)
		}
		h.Advance(h.TTL + h.TTL/5)
		_, err := h.Store.Get(ctx, room, id)
		mustNotFound(t, "get after TTL", err)
		_, err = h.Store.Touch(ctx, room, id, h.TTL)
		mustNotFound(t, "touch after TTL", err)
		_, err = h.Store.Decide(ctx, room, id, lobby.Accepted, time.Hour)
		mustNotFound(t, "decide after TTL", err)
		if list, err := h.Store.List(ctx, room, lobby.Waiting); err != nil || len(list) != 0 {
			t.Fatalf("list after TTL = %v, %v", list, err)
		}
		if _, err := h.Store.Get(ctx, room, id); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("decide resurrected the entry: %v", err)
		}
		if _, created, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); err != nil || !created {
			t.Fatalf("knock after expiry: created=%v err=%v", created, err)
		}
	})
	t.Run("decide once", func(t *testing.T) {
		h := newHarness(t)
		room, id := NewID(), NewID()
		if _, _, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); err != nil {
			t.Fatal(err)
		}
		before, err := h.Store.Decide(ctx, room, id, lobby.Accepted, 10*h.TTL)
		if err != nil || before.Status != lobby.Waiting {
			t.Fatalf("decide = %+v, %v", before, err)
		}
		before, err = h.Store.Decide(ctx, room, id, lobby.Denied, h.TTL)
		if err != nil || before.Status != lobby.Accepted {
			t.Fatalf("second decide = %+v, %v", before, err)
		}
		h.Advance(2 * h.TTL) // past the waiting TTL: an accepted entry keeps its own
		got, created, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL)
		if err != nil || created || got.Status != lobby.Accepted {
			t.Fatalf("knock after accept = %+v, %v, %v", got, created, err)
		}
		if got, err := h.Store.Touch(ctx, room, id, h.TTL); err != nil || got.Status != lobby.Accepted {
			t.Fatalf("touch after accept = %+v, %v", got, err)
		}
	})
	t.Run("denied entry expires then the guest may knock again", func(t *testing.T) {
		h := newHarness(t)
		room, id := NewID(), NewID()
		if _, _, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Store.Decide(ctx, room, id, lobby.Denied, h.TTL); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL); got.Status != lobby.Denied {
			t.Fatalf("knock while denied = %+v", got)
		}
		h.Advance(h.TTL + h.TTL/5)
		got, created, err := h.Store.Knock(ctx, room, entry(id, "Ada"), h.TTL)
		if err != nil || !created || got.Status != lobby.Waiting {
			t.Fatalf("knock after denial expired = %+v, %v, %v", got, created, err)
		}
	})
	t.Run("list filters by room and status, in knock order", func(t *testing.T) {
		h := newHarness(t)
		room, other := NewID(), NewID()
		ids := []string{NewID(), NewID(), NewID(), NewID()}
		for i, id := range ids {
			if _, _, err := h.Store.Knock(ctx, room, entry(id, "guest"), 10*h.TTL); err != nil {
				t.Fatal(err)
			}
			if i < len(ids)-1 {
				h.Advance(time.Millisecond * 2)
			}
		}
		if _, _, err := h.Store.Knock(ctx, other, entry(NewID(), "elsewhere"), 10*h.TTL); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Store.Decide(ctx, room, ids[1], lobby.Accepted, 10*h.TTL); err != nil {
			t.Fatal(err)
		}
		list, err := h.Store.List(ctx, room, lobby.Waiting)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range list {
			got = append(got, e.ID)
		}
		want := []string{ids[0], ids[2], ids[3]}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Fatalf("waiting = %v, want %v", got, want)
		}
		acc, err := h.Store.List(ctx, room, lobby.Accepted)
		if err != nil || len(acc) != 1 || acc[0].ID != ids[1] {
			t.Fatalf("accepted = %v, %v", acc, err)
		}
	})
	t.Run("delete and delete room", func(t *testing.T) {
		h := newHarness(t)
		room, other := NewID(), NewID()
		a, b, c := NewID(), NewID(), NewID()
		for _, id := range []string{a, b} {
			if _, _, err := h.Store.Knock(ctx, room, entry(id, "g"), 10*h.TTL); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := h.Store.Knock(ctx, other, entry(c, "g"), 10*h.TTL); err != nil {
			t.Fatal(err)
		}
		if err := h.Store.Delete(ctx, room, a); err != nil {
			t.Fatal(err)
		}
		_, err := h.Store.Get(ctx, room, a)
		mustNotFound(t, "deleted entry", err)
		if err := h.Store.DeleteRoom(ctx, room); err != nil {
			t.Fatal(err)
		}
		_, err = h.Store.Get(ctx, room, b)
		mustNotFound(t, "entry of a deleted room", err)
		if _, err := h.Store.Get(ctx, other, c); err != nil {
			t.Fatalf("other room lost its entry: %v", err)
		}
		if err := h.Store.Delete(ctx, room, a); err != nil {
			t.Fatalf("deleting nothing: %v", err)
		}
		if err := h.Store.DeleteRoom(ctx, NewID()); err != nil {
			t.Fatalf("deleting an empty room: %v", err)
		}
	})
	t.Run("concurrent decisions give one outcome", func(t *testing.T) {
		h := newHarness(t)
		room := NewID()
		for range 20 {
			id := NewID()
			if _, _, err := h.Store.Knock(ctx, room, entry(id, "g"), 10*h.TTL); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var winners atomic.Int32
			var final [2]atomic.Int32
			for i := range 8 {
				wg.Go(func() {
					to := lobby.Accepted
					if i%2 == 1 {
						to = lobby.Denied
					}
					before, err := h.Store.Decide(ctx, room, id, to, 10*h.TTL)
					if err != nil {
						t.Errorf("decide: %v", err)
						return
					}
					if before.Status == lobby.Waiting {
						winners.Add(1)
						final[i%2].Add(1)
					}
				})
			}
			wg.Wait()
			if winners.Load() != 1 {
				t.Fatalf("%d deciders won, want 1", winners.Load())
			}
			got, err := h.Store.Get(ctx, room, id)
			want := lobby.Accepted
			if final[1].Load() == 1 {
				want = lobby.Denied
			}
			if err != nil || got.Status != want {
				t.Fatalf("final = %+v, %v; want %s", got, err, want)
			}
		}
	})
}
