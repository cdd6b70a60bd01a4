package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// TestOneBinaryRaisesHands checks the wiring of the in-call actions in the
// one binary: a guest raises its hand with the LiveKit token its retrieve
// gave it, and the host, connected to the embedded SFU, sees the attribute.
func TestOneBinaryRaisesHands(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir()}
	base := startMeet(t, env)
	if err := run(context.Background(), []string{"user", "add", "--email", "hana@example.com", "--name", "Hana Host"},
		func(k string) string { return env[k] }, strings.NewReader("a long enough password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}
	host := newClient(t, base)
	if code := host.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "hana@example.com", "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login: %d", code)
	}
	var room struct {
		ID      string
		LiveKit struct{ URL, Token string } `json:"livekit"`
	}
	if code := host.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Hands up", "access_level": "public"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	var guestView struct {
		LiveKit struct{ URL, Token string } `json:"livekit"`
	}
	if code := newClient(t, base).do("GET", "/api/v1.0/rooms/"+room.ID+"/?username=Gus", nil, &guestView); code != http.StatusOK {
		t.Fatalf("guest retrieve: %d", code)
	}
	hostP := livekittest.Join(t, room.LiveKit.URL, room.LiveKit.Token)
	guest := livekittest.Join(t, guestView.LiveKit.URL, guestView.LiveKit.Token)
	livekittest.WaitUntil(t, 10*time.Second, "the host to see the guest", func() bool { return hostP.Sees(guest.Identity()) })

	req, _ := http.NewRequest("POST", base+"/api/v1.0/rooms/"+room.ID+"/toggle-hand/", bytes.NewReader([]byte(`{"raised":true}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+guestView.LiveKit.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var reply map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&reply)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || reply["status"] != "success" {
		t.Fatalf("toggle-hand: %d %v", resp.StatusCode, reply)
	}
	livekittest.WaitUntil(t, 10*time.Second, "the host to see the raised hand", func() bool {
		return hostP.RemoteAttributes(guest.Identity())["handRaisedAt"] != ""
	})
}
