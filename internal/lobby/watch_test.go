package lobby_test

import (
	"context"
	"testing"
	"time"

	"meet/internal/lobby"
	"meet/internal/rooms"
)

// next waits for one value from c, failing the test after a deadline.
func next[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s within 5 s", what)
	}
	panic("unreachable")
}

func TestWatchEntryAndWaiting(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{ListMinInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	lists := make(chan []lobby.Entry, 16)
	hostDone := make(chan error, 1)
	go func() {
		hostDone <- e.svc.WatchWaiting(ctx, admin, e.room.ID, func(l []lobby.Entry) error { lists <- l; return nil })
	}()
	if l := next(t, lists, "initial list"); len(l) != 0 {
		t.Fatalf("initial list = %+v", l)
	}

	results := make(chan lobby.Result, 16)
	guestDone := make(chan error, 1)
	id := rooms.NewID()
	go func() {
		guestDone <- e.svc.WatchEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: e.svc.Cookie(id), Username: "Ada"}, func(r lobby.Result) error { results <- r; return nil })
	}()
	if r := next(t, results, "first status"); r.Status != lobby.Waiting || r.ID != id {
		t.Fatalf("first status = %+v", r)
	}
	if l := next(t, lists, "list with the guest"); len(l) != 1 || l[0].ID != id {
		t.Fatalf("list = %+v", l)
	}
	if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	r := next(t, results, "admission")
	if r.Status != lobby.Accepted || tokenIdentity(r.LiveKit) != id {
		t.Fatalf("admission = %+v", r)
	}
	if l := next(t, lists, "list without the guest"); len(l) != 0 {
		t.Fatalf("list = %+v", l)
	}
	cancel()
	if err := next(t, guestDone, "guest stream end"); err != nil {
		t.Fatal(err)
	}
	if err := next(t, hostDone, "host stream end"); err != nil {
		t.Fatal(err)
	}
}

// knockSpy reports every Knock made through it.
type knockSpy struct {
	lobby.Store
	knocks chan struct{}
}

func (k knockSpy) Knock(ctx context.Context, roomID string, e lobby.Entry, ttl time.Duration) (lobby.Entry, bool, error) {
	got, created, err := k.Store.Knock(ctx, roomID, e, ttl)
	select {
	case k.knocks <- struct{}{}:
	default:
	}
	return got, created, err
}

func TestWatchEntryKeepsEntryAlive(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	spy := knockSpy{Store: e.store, knocks: make(chan struct{})}
	rs := rooms.NewService(e.rooms, nil, tokens{}, nil, rooms.Options{}, nil)
	svc := lobby.NewService(lobby.Deps{Rooms: rs, Store: spy}, lobby.Options{KeepAlive: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	results := make(chan lobby.Result, 16)
	id := rooms.NewID()
	done := make(chan error, 1)
	go func() {
		done <- svc.WatchEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: svc.Cookie(id), Username: "Ada"}, func(r lobby.Result) error { results <- r; return nil })
	}()
	next(t, spy.knocks, "first knock")
	next(t, results, "first status")
	// Ten waiting TTLs pass in 2-second steps while the stream is open; after
	// each step the stream's next refresh keeps the entry alive.
	for range 10 {
		e.clock.Advance(2 * time.Second)
		next(t, spy.knocks, "refresh")
		next(t, spy.knocks, "refresh after the step")
		if _, err := e.store.Get(ctx, e.room.ID, id); err != nil {
			t.Fatalf("entry expired with the stream open: %v", err)
		}
	}
	cancel()
	next(t, done, "stream end")
	// Once the stream is closed, the entry lives one TTL more.
	e.clock.Advance(3 * time.Second)
	if _, err := e.store.Get(context.Background(), e.room.ID, id); err == nil {
		t.Fatal("entry outlived its TTL after the stream closed")
	}
}
