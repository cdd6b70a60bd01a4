package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// TestLobbyFollowsTheSFU checks the lobby against the real in-process SFU and
// its webhooks: removing an admitted guest clears their admission, and when
// the LiveKit room finishes (room_finished webhook) every admission of the
// room is forgotten, so guests knock again next time.
func TestLobbyFollowsTheSFU(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir(), "MEET_LIVEKIT_DEPARTURE_TIMEOUT": "1s"}
	base := startMeet(t, env)
	if err := run(context.Background(), []string{"user", "add", "--email", "olive@example.com", "--name", "Olive Owner"},
		func(k string) string { return env[k] }, strings.NewReader("a long enough password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}
	host := newClient(t, base)
	if code := host.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "olive@example.com", "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login: %d", code)
	}
	var room struct {
		ID      string
		LiveKit struct{ URL, Room, Token string } `json:"livekit"`
	}
	if code := host.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Weekly sync", "access_level": "restricted"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	owner := livekittest.Join(t, room.LiveKit.URL, room.LiveKit.Token)

	guest := newClient(t, base)
	knock := func() (status, id string, token string) {
		t.Helper()
		var e struct {
			ID, Status string
			LiveKit    *struct{ URL, Token string } `json:"livekit"`
		}
		if code := guest.do("POST", "/api/v1.0/rooms/"+room.ID+"/request-entry/", map[string]string{"username": "Gail Guest"}, &e); code != http.StatusOK {
			t.Fatalf("request-entry: %d", code)
		}
		if e.LiveKit != nil {
			token = e.LiveKit.Token
		}
		return e.Status, e.ID, token
	}
	admit := func(id string) {
		t.Helper()
		if code := host.do("POST", "/api/v1.0/rooms/"+room.ID+"/enter/", map[string]any{"participant_id": id, "allow_entry": true}, nil); code != http.StatusOK {
			t.Fatalf("enter: %d", code)
		}
	}

	status, id, _ := knock()
	if status != "waiting" {
		t.Fatalf("first knock: %s, want waiting", status)
	}
	admit(id)
	status, _, token := knock()
	if status != "accepted" || token == "" {
		t.Fatalf("after admission: %s (token %t)", status, token != "")
	}
	gail := livekittest.Join(t, room.LiveKit.URL, token)
	if gail.Identity() != id {
		t.Fatalf("guest identity %q, want the lobby participant id %q", gail.Identity(), id)
	}

	// Removing the guest ends their admission.
	var reply map[string]string
	if code := host.do("POST", "/api/v1.0/rooms/"+room.ID+"/remove-participant/", map[string]string{"participant_identity": id}, &reply); code != http.StatusOK || reply["status"] != "success" {
		t.Fatalf("remove-participant: %d %v", code, reply)
	}
	if status, _, _ := knock(); status != "waiting" {
		t.Fatalf("knock after removal: %s, want waiting", status)
	}
	if code := host.do("POST", "/api/v1.0/rooms/"+room.ID+"/remove-participant/", map[string]string{"participant_identity": "nobody"}, &reply); code != http.StatusNotFound || reply["error"] != "Participant not found" {
		t.Fatalf("removing an absent participant: %d %v", code, reply)
	}

	// Admitted again, then the meeting ends: room_finished forgets the admission.
	admit(id)
	if status, _, _ := knock(); status != "accepted" {
		t.Fatalf("re-admitted guest: %s", status)
	}
	owner.Leave()
	deadline := time.Now().Add(livekittest.DepartureWait)
	for {
		status, _, _ := knock()
		if status == "waiting" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("admission still %q %v after the owner left: room_finished did not clear the lobby", status, livekittest.DepartureWait)
		}
		time.Sleep(200 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}
