package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// eventually waits until cond holds, failing the test after a deadline.
func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}

// signedIn creates a local account and returns a client signed in with it.
func signedIn(t *testing.T, base string, env map[string]string, email, name string) *client {
	t.Helper()
	if err := run(context.Background(), []string{"user", "add", "--email", email, "--name", name},
		func(k string) string { return env[k] }, strings.NewReader("a long enough password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}
	c := newClient(t, base)
	if code := c.do("POST", "/api/v1.0/local-login/", map[string]string{"email": email, "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login %s: %d", email, code)
	}
	return c
}

// joinBlock is the "livekit" block of a room.
type joinBlock struct{ URL, Room, Token string }

// TestRemovalAndRolesReachTheSFU checks against the real in-process SFU that
// a role change, an access deletion and a room setting change reach
// connected Go participants without reconnecting, and that a removed guest
// cannot come back with the token it still holds (meet's /rtc refuses it).
func TestRemovalAndRolesReachTheSFU(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir()}
	base := startMeet(t, env)
	host := signedIn(t, base, env, "olive@example.com", "Olive Owner")
	adam := signedIn(t, base, env, "adam@example.com", "Adam Attendee")

	var room struct {
		ID      string
		LiveKit joinBlock `json:"livekit"`
	}
	if code := host.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Weekly sync", "access_level": "public"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	livekittest.Join(t, room.LiveKit.URL, room.LiveKit.Token) // the host is in the call
	join := func(c *client) (*livekittest.Participant, joinBlock) {
		t.Helper()
		var r struct {
			LiveKit joinBlock `json:"livekit"`
		}
		if code := c.do("GET", "/api/v1.0/rooms/"+room.ID+"/", nil, &r); code != http.StatusOK {
			t.Fatalf("retrieve room: %d", code)
		}
		return livekittest.Join(t, r.LiveKit.URL, r.LiveKit.Token), r.LiveKit
	}
	adamP, _ := join(adam)
	guestP, guestBlock := join(newClient(t, base))

	// update-participant-role: room_role and every source, without reconnecting.
	var got map[string]any
	path := "/api/v1.0/rooms/" + room.ID + "/update-participant-role/"
	if code := host.do("POST", path, map[string]string{"participant_identity": adamP.Identity(), "role": "administrator"}, &got); code != http.StatusOK ||
		got["role"] != "administrator" || got["livekit_synced"] != true {
		t.Fatalf("update-participant-role: %d %v", code, got)
	}
	eventually(t, "room_role administrator reaches the participant", 2*time.Second, func() bool {
		return adamP.Attributes()["room_role"] == "administrator"
	})

	// A configuration change reaches connected participants: no camera any more.
	if code := host.do("PATCH", "/api/v1.0/rooms/"+room.ID+"/", map[string]any{
		"configuration": map[string]any{"can_publish_sources": []string{"microphone"}},
	}, nil); code != http.StatusOK {
		t.Fatalf("PATCH room: %d", code)
	}
	eventually(t, "the guest's camera permission is withdrawn", time.Second, func() bool {
		return slices.Equal(guestP.PublishSources(), []string{"microphone"})
	})
	if s := adamP.PublishSources(); len(s) != 4 {
		t.Fatalf("administrator's sources after the configuration change: %v, want all four", s)
	}

	// Deleting the administrator's access demotes it in the call.
	var accesses struct {
		Results []struct{ ID, User, Role string }
	}
	if code := host.do("GET", "/api/v1.0/resource-accesses/", nil, &accesses); code != http.StatusOK {
		t.Fatalf("list accesses: %d", code)
	}
	deleted := false
	for _, a := range accesses.Results {
		if a.Role == "administrator" {
			if code := host.do("DELETE", "/api/v1.0/resource-accesses/"+a.ID+"/", nil, nil); code != http.StatusNoContent {
				t.Fatalf("delete access: %d", code)
			}
			deleted = true
		}
	}
	if !deleted {
		t.Fatalf("no administrator access in %+v", accesses.Results)
	}
	eventually(t, "the demoted administrator loses room_role and its extra sources", 2*time.Second, func() bool {
		_, hasRole := adamP.Attributes()["room_role"]
		return !hasRole && slices.Equal(adamP.PublishSources(), []string{"microphone"})
	})
	// Its token's roomAdmin claim is worthless: meet forwards no SFU server API.
	resp, err := http.Post(base+"/twirp/livekit.RoomService/RemoveParticipant", "application/json",
		strings.NewReader(`{"room":"`+room.ID+`","identity":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("SFU server API through meet: %d, want 404", resp.StatusCode)
	}

	// A removed guest cannot come back with the token it holds.
	if code := host.do("POST", "/api/v1.0/rooms/"+room.ID+"/remove-participant/", map[string]string{"participant_identity": guestP.Identity()}, nil); code != http.StatusOK {
		t.Fatalf("remove-participant: %d", code)
	}
	if _, err := livekittest.Connect(t, guestBlock.URL, guestBlock.Token); err == nil {
		t.Fatal("the removed guest rejoined with its old token")
	}
	// The refusal is meet's: the same token's signalling gets 403 at /rtc.
	wsPath := strings.Replace(guestBlock.URL, "ws://", "http://", 1) + "/rtc/validate?access_token=" + guestBlock.Token
	resp, err = http.Get(wsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("/rtc/validate with the removed guest's token: %d, want 403", resp.StatusCode)
	}
	// Another participant's token still works.
	var r struct {
		LiveKit joinBlock `json:"livekit"`
	}
	if code := newClient(t, base).do("GET", "/api/v1.0/rooms/"+room.ID+"/", nil, &r); code != http.StatusOK {
		t.Fatalf("retrieve room: %d", code)
	}
	resp, err = http.Get(strings.Replace(r.LiveKit.URL, "ws://", "http://", 1) + "/rtc/validate?access_token=" + r.LiveKit.Token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/rtc/validate with a fresh guest's token: %d, want 200", resp.StatusCode)
	}
}
