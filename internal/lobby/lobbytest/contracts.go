package lobbytest

import (
	"context"
	"testing"
	"time"

	"meet/internal/lobby"
)

// Limiter runs the lobby.Limiter contract: limit requests per window and key,
// the refusal's wait, and the window sliding. advance lets time pass.
func Limiter(t *testing.T, l lobby.Limiter, window time.Duration, advance func(time.Duration)) {
	ctx := context.Background()
	key, other := "k:"+NewID(), "k:"+NewID()
	for i := range 2 {
		if ok, _, err := l.Allow(ctx, key, 2, window); err != nil || !ok {
			t.Fatalf("request %d refused: %v", i+1, err)
		}
	}
	ok, wait, err := l.Allow(ctx, key, 2, window)
	if err != nil || ok {
		t.Fatalf("third request allowed=%v err=%v", ok, err)
	}
	if wait <= 0 || wait > window {
		t.Fatalf("wait = %v, want within (0, %v]", wait, window)
	}
	if ok, _, err := l.Allow(ctx, other, 2, window); err != nil || !ok {
		t.Fatalf("another key was refused: %v", err)
	}
	advance(wait + window/10)
	if ok, _, err := l.Allow(ctx, key, 2, window); err != nil || !ok {
		t.Fatalf("request after the window refused: %v", err)
	}
}

// Broker runs the lobby.Broker contract: a subscriber receives its room's
// events and no other room's, and nothing after cancelling.
func Broker(t *testing.T, b lobby.Broker) {
	ctx := context.Background()
	room, other := NewID(), NewID()
	got := make(chan lobby.Event, 16)
	cancel, err := b.Subscribe(ctx, room, func(ev lobby.Event) { got <- ev })
	if err != nil {
		t.Fatal(err)
	}
	// A Redis subscription becomes active asynchronously: publish until one arrives.
	want := lobby.Event{Room: room, Participant: NewID()}
	deadline := time.Now().Add(5 * time.Second)
	for received := false; !received; {
		if time.Now().After(deadline) {
			t.Fatal("no event received")
		}
		if err := b.Publish(ctx, want); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-got:
			if ev != want {
				t.Fatalf("event = %+v, want %+v", ev, want)
			}
			received = true
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := b.Publish(ctx, lobby.Event{Room: other, Participant: "x"}); err != nil {
		t.Fatal(err)
	}
	marker := lobby.Event{Room: room}
	if err := b.Publish(ctx, marker); err != nil {
		t.Fatal(err)
	}
	for ev := range got { // events arrive in order: everything before the marker
		if ev.Room != room {
			t.Fatalf("received another room's event %+v", ev)
		}
		if ev == marker {
			break
		}
	}
	cancel()
	if err := b.Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		t.Fatalf("event after cancel: %+v", ev)
	case <-time.After(100 * time.Millisecond):
	}
}
