package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShutdownWithAnOpenStream: with a guest's lobby stream open, cancelling
// run's context (what SIGTERM does) ends the stream first and meet exits in
// under a second, instead of waiting out the 10 s shutdown deadline.
func TestShutdownWithAnOpenStream(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir()}
	base, stop := launchMeet(t, env)
	if err := run(context.Background(), []string{"user", "add", "--email", "olive@example.com", "--name", "Olive Owner"},
		func(k string) string { return env[k] }, strings.NewReader("a long enough password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}
	host := newClient(t, base)
	if code := host.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "olive@example.com", "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login: %d", code)
	}
	var room struct{ ID string }
	if code := host.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Weekly sync", "access_level": "restricted"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	events := streamEvents(t, newClient(t, base), "/api/v1.0/rooms/"+room.ID+"/request-entry/stream/?username=Gail")
	if ev := nextStatus(t, events); ev.Status != "waiting" {
		t.Fatalf("first status %q, want waiting", ev.Status)
	}
	took := stop()
	t.Logf("meet exited %v after the cancel", took)
	if took >= time.Second {
		t.Errorf("meet took %v to exit with a stream open, want under 1 s", took)
	}
	select {
	case _, ok := <-events:
		if ok {
			t.Error("an event after shutdown")
		}
	case <-time.After(5 * time.Second):
		t.Error("the stream is still open after meet exited")
	}
}
