package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// TestRoomsCommandsAgainstTheSFU runs meet with its in-process SFU and Go
// SDK participants: "meet rooms live" lists them by room, "kick" removes one
// (disconnected, and its token no longer lets it in), "end" closes the call.
func TestRoomsCommandsAgainstTheSFU(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir()}

	// No server yet: a clear message.
	if _, err := meetCmd(t, env, "rooms", "live"); err == nil ||
		!strings.Contains(err.Error(), "no meet server answers on "+filepath.Join(env["MEET_DATA_DIR"], "admin.sock")+"; start it with make run") {
		t.Fatalf("rooms live without a server: %v", err)
	}

	base := startMeet(t, env)
	host := signedIn(t, base, env, "olive@example.com", "Olive Owner")
	var room struct {
		ID, Slug string
		LiveKit  joinBlock `json:"livekit"`
	}
	if code := host.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Weekly sync", "access_level": "public"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	hostP := livekittest.Join(t, room.LiveKit.URL, room.LiveKit.Token)
	guestJoin := func(name string) (*livekittest.Participant, joinBlock) {
		t.Helper()
		var r struct {
			LiveKit joinBlock `json:"livekit"`
		}
		if code := newClient(t, base).do("GET", "/api/v1.0/rooms/"+room.ID+"/?username="+name, nil, &r); code != http.StatusOK {
			t.Fatalf("retrieve room: %d", code)
		}
		return livekittest.Join(t, r.LiveKit.URL, r.LiveKit.Token), r.LiveKit
	}
	guest, guestBlock := guestJoin("Gina")
	other, _ := guestJoin("Otto")

	out, err := meetCmd(t, env, "rooms", "live")
	if err != nil {
		t.Fatalf("rooms live: %v\n%s", err, out)
	}
	for _, want := range []string{room.Slug, "Weekly sync", hostP.Identity(), "Olive Owner", guest.Identity(), "Gina", other.Identity(), "Otto"} {
		if !strings.Contains(out, want) {
			t.Fatalf("rooms live output lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, room.Slug); lines != 3 {
		t.Fatalf("rooms live: %d lines for the room, want one per participant (3):\n%s", lines, out)
	}

	if out, err := meetCmd(t, env, "rooms", "kick", room.Slug, guest.Identity()); err != nil || !strings.Contains(out, "removed "+guest.Identity()) {
		t.Fatalf("rooms kick: %v\n%s", err, out)
	}
	livekittest.WaitUntil(t, 5*time.Second, "the kicked guest is disconnected", func() bool {
		return !guest.Connected() && !hostP.Sees(guest.Identity())
	})
	if _, err := livekittest.Connect(t, guestBlock.URL, guestBlock.Token); err == nil {
		t.Fatal("the kicked guest rejoined with its token")
	}
	if !other.Connected() {
		t.Fatal("kicking one guest disconnected another")
	}
	if _, err := meetCmd(t, env, "rooms", "kick", room.Slug, "nobody-here"); err == nil || !strings.Contains(err.Error(), "nobody-here is not in the call of "+room.Slug) {
		t.Fatalf("kick of someone absent: %v", err)
	}
	if _, err := meetCmd(t, env, "rooms", "end", "no-such-room"); err == nil || !strings.Contains(err.Error(), "No Room matches") {
		t.Fatalf("end of an unknown room: %v", err)
	}

	if out, err := meetCmd(t, env, "rooms", "end", room.Slug); err != nil {
		t.Fatalf("rooms end: %v\n%s", err, out)
	}
	livekittest.WaitUntil(t, 5*time.Second, "everyone is disconnected", func() bool {
		return !hostP.Connected() && !other.Connected()
	})
	if out, err := meetCmd(t, env, "rooms", "live"); err != nil || !strings.Contains(out, "no call is running") {
		t.Fatalf("rooms live after end: %v\n%s", err, out)
	}
	if _, err := meetCmd(t, env, "rooms", "kick", room.Slug); err != errUsage {
		t.Fatalf("kick without an identity: %v, want the usage", err)
	}
}
