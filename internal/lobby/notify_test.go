package lobby_test

import (
	"context"
	"testing"
	"time"

	"meet/internal/lobby"
	"meet/internal/rooms"
)

// heldNotifier blocks every SendData until the test releases it.
type heldNotifier struct{ calls chan chan struct{} }

func (n *heldNotifier) SendData(context.Context, string, []byte, bool) error {
	release := make(chan struct{})
	n.calls <- release
	<-release
	return nil
}

// TestNotifyCoalescesKnocks checks that guests knocking while a notice is in
// flight do not each call LiveKit: they are covered by one more notice, sent
// after the first one ends.
func TestNotifyCoalescesKnocks(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	n := &heldNotifier{calls: make(chan chan struct{})}
	svc := lobby.NewService(lobby.Deps{
		Rooms: rooms.NewService(e.rooms, nil, tokens{}, nil, rooms.Options{}, nil), Store: e.store, Notifier: n,
	}, lobby.Options{ThrottleLimit: -1})
	ctx := context.Background()
	knock := func(name string) {
		if _, err := svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Username: name}); err != nil {
			t.Errorf("knock %s: %v", name, err)
		}
	}
	next := func(what string) chan struct{} {
		t.Helper()
		select {
		case release := <-n.calls:
			return release
		case <-time.After(5 * time.Second):
			t.Fatalf("no notice: %s", what)
		}
		return nil
	}

	first := make(chan struct{})
	go func() { defer close(first); knock("Ada") }()
	release := next("first knock")
	knock("Bob") // return at once: a notice is in flight
	knock("Cy")
	close(release)
	<-first
	close(next("one more notice for Bob and Cy"))
	select {
	case <-n.calls:
		t.Fatal("a third notice for three knocks")
	case <-time.After(50 * time.Millisecond):
	}
	go knock("Dee") // a later knock is notified again
	close(next("a later knock"))
}
