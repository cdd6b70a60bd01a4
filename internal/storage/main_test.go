package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

func TestMain(m *testing.M) { storagetest.Main(m) }

// forEngines runs fn on a fresh migrated database of every engine, with a
// ticking clock installed.
func forEngines(t *testing.T, fn func(t *testing.T, db *storage.DB, clk *clock)) {
	t.Helper()
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			db := e.Open(t)
			clk := newClock()
			db.SetClock(clk.Now)
			fn(t, db, clk)
		})
	}
}

// clock is a test clock that moves one second forward on every reading, so
// rows created one after the other have distinct, ordered timestamps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)}
}

// Now returns the current reading and ticks.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.t
	c.t = c.t.Add(time.Second)
	return now
}

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var ctx = context.Background()

// wantErr checks err's kind and public message ("" for any message).
func wantErr(t *testing.T, err error, kind apperr.Kind, msg string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an apperr of kind %s", err, kind)
	}
	if ae.Kind != kind || (msg != "" && ae.Msg != msg) {
		t.Fatalf("err = kind %q msg %q, want kind %q msg %q (%v)", ae.Kind, ae.Msg, kind, msg, err)
	}
}

// wantFields checks that err is an Invalid error with exactly these fields.
func wantFields(t *testing.T, err error, fields map[string][]string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want an invalid error", err)
	}
	if diff := cmp.Diff(fields, ae.Fields); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var seq struct {
	mu sync.Mutex
	n  int
}

func next() int {
	seq.mu.Lock()
	defer seq.mu.Unlock()
	seq.n++
	return seq.n
}

// newUser stores a user with a unique sub and e-mail.
func newUser(t *testing.T, db *storage.DB) *users.User {
	t.Helper()
	n := next()
	u := &users.User{
		Sub: fmt.Sprintf("sub-%d", n), Issuer: "https://idp.test", Email: fmt.Sprintf("user%d@example.test", n),
		FullName: fmt.Sprintf("User %d", n), ShortName: "U", IsActive: true,
	}
	must(t, db.CreateUser(ctx, u))
	return u
}

// newRoom stores a room named name owned by owner.
func newRoom(t *testing.T, db *storage.DB, name string, owner *users.User) *rooms.Room {
	t.Helper()
	r := &rooms.Room{Name: name, Slug: rooms.Slugify(name), AccessLevel: rooms.Public, Configuration: rooms.Configuration{}}
	must(t, db.CreateRoom(ctx, r, owner.ID))
	return r
}

// grant gives u a role in r.
func grant(t *testing.T, db *storage.DB, r *rooms.Room, u *users.User, role rooms.Role) *rooms.Access {
	t.Helper()
	a := &rooms.Access{UserID: u.ID, RoomID: r.ID, Role: role}
	must(t, db.CreateAccess(ctx, a))
	return a
}
