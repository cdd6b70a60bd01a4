package main

import (
	"net/http"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// TestRelayOnlyParticipantsMeetThroughTURN: with the built-in TURN server
// on, two participants that may use nothing but relayed ICE candidates (a
// browser behind a firewall that lets no UDP through to the SFU) join
// through meet, one publishes, the other receives its audio, and both
// connections' selected candidate pairs are relayed. The TURN address and
// credentials come only from the SFU's join response.
func TestRelayOnlyParticipantsMeetThroughTURN(t *testing.T) {
	base := startMeet(t, map[string]string{"MEET_TURN": "on", "MEET_TURN_UDP_PORT": "0"})
	type roomReply struct {
		LiveKit struct{ URL, Token string } `json:"livekit"`
	}
	var a, b roomReply
	if code := getJSON(t, base+"/api/v1.0/rooms/behind-firewalls/?username=Alice", &a); code != http.StatusOK {
		t.Fatalf("retrieve: status %d", code)
	}
	if code := getJSON(t, base+"/api/v1.0/rooms/behind-firewalls/?username=Bob", &b); code != http.StatusOK {
		t.Fatalf("retrieve: status %d", code)
	}
	alice := livekittest.JoinRelayOnly(t, a.LiveKit.URL, a.LiveKit.Token)
	bob := livekittest.JoinRelayOnly(t, b.LiveKit.URL, b.LiveKit.Token)
	start := time.Now()
	if err := alice.PublishSilence(t); err != nil {
		t.Fatalf("publish: %v", err)
	}
	bob.WaitForMediaFrom(t, alice.Identity(), 20*time.Second)
	t.Logf("relayed audio reached the other participant %s after publishing", time.Since(start).Round(time.Millisecond))
	pub, _ := alice.MediaPaths()
	_, sub := bob.MediaPaths()
	if pub != "relay" || sub != "relay" {
		t.Errorf("selected candidates: publisher %q, subscriber %q; want relay for both", pub, sub)
	}
}
