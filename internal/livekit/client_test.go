package livekit

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	lkproto "github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// createRoom creates a LiveKit room that outlives the short empty timeout of
// the test SFU, and deletes it at the end of the test.
func createRoom(t *testing.T, name, metadata string) {
	t.Helper()
	rs := lksdk.NewRoomServiceClient(sfu.HTTPURL(), key, sec)
	if _, err := rs.CreateRoom(context.Background(), &lkproto.CreateRoomRequest{Name: name, EmptyTimeout: 120, Metadata: metadata}); err != nil {
		t.Fatalf("CreateRoom: %v", err)
	}
	t.Cleanup(func() { _, _ = rs.DeleteRoom(context.Background(), &lkproto.DeleteRoomRequest{Room: name}) })
}

func TestClientRooms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := NewClient(ClientOptions{URL: sfu.HTTPURL(), APIKey: key, APISecret: sec})
	room := roomName(t)
	createRoom(t, room, `{"recording_status":"started","access_level":"public"}`)

	if err := c.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	t.Run("list", func(t *testing.T) {
		got, err := c.ListRooms(ctx, []string{room, "absent-" + room})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Name != room || got[0].SID == "" || got[0].CreatedAt.IsZero() {
			t.Errorf("ListRooms = %+v, want just %s", got, room)
		}
	})

	t.Run("merge metadata", func(t *testing.T) {
		var ms rooms.MediaServer = c
		if err := ms.MergeRoomMetadata(ctx, room, map[string]any{
			"access_level":  "restricted",
			"configuration": map[string]any{"can_publish_sources": []any{"microphone"}},
		}); err != nil {
			t.Fatalf("MergeRoomMetadata: %v", err)
		}
		if err := c.UpdateRoomMetadata(ctx, room, map[string]any{"recording_mode": "screen_recording"}, []string{"recording_status"}); err != nil {
			t.Fatalf("UpdateRoomMetadata: %v", err)
		}
		got, err := c.ListRooms(ctx, []string{room})
		if err != nil || len(got) != 1 {
			t.Fatalf("ListRooms = %v, %v", got, err)
		}
		var meta map[string]any
		if err := json.Unmarshal([]byte(got[0].Metadata), &meta); err != nil {
			t.Fatalf("metadata %q: %v", got[0].Metadata, err)
		}
		want := map[string]any{
			"access_level":   "restricted",
			"configuration":  map[string]any{"can_publish_sources": []any{"microphone"}},
			"recording_mode": "screen_recording",
		}
		if diff := cmp.Diff(want, meta); diff != "" {
			t.Errorf("metadata (-want +got):\n%s", diff)
		}
	})

	t.Run("send data", func(t *testing.T) {
		if err := c.SendData(ctx, room, []byte(`{"type":"ping"}`), true); err != nil {
			t.Errorf("SendData: %v", err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		absent := "absent-" + room
		checks := map[string]error{
			"MergeRoomMetadata":  c.MergeRoomMetadata(ctx, absent, map[string]any{"k": "v"}),
			"SendData":           c.SendData(ctx, absent, []byte(`{"type":"participantWaiting"}`), true),
			"RemoveParticipant":  c.RemoveParticipant(ctx, room, "nobody"),
			"MutePublishedTrack": c.MutePublishedTrack(ctx, room, "nobody", "TR_x", true),
		}
		_, checks["GetParticipant"] = c.GetParticipant(ctx, room, "nobody")
		_, checks["UpdateParticipant"] = c.UpdateParticipant(ctx, room, "nobody", ParticipantUpdate{Name: "x"})
		for op, err := range checks {
			if !apperr.Is(err, apperr.NotFound) {
				t.Errorf("%s: err = %v, want not_found", op, err)
			}
		}
	})

	t.Run("delete", func(t *testing.T) {
		if err := c.DeleteRoom(ctx, room); err != nil {
			t.Fatalf("DeleteRoom: %v", err)
		}
		if got, err := c.ListRooms(ctx, []string{room}); err != nil || len(got) != 0 {
			t.Errorf("after DeleteRoom, ListRooms = %v, %v", got, err)
		}
	})
}

func TestClientParticipants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := NewClient(ClientOptions{URL: sfu.HTTPURL(), APIKey: key, APISecret: sec})
	room := roomName(t)
	g := grantFor(room, rooms.Member, true, rooms.Configuration{})
	meta := make(chan string, 4)
	cb := lksdk.NewRoomCallback()
	cb.OnMetadataChanged = func(_ string, p lksdk.Participant) { meta <- p.Metadata() }
	events := hooks.listen(t, room)
	lk := join(t, g, cb)
	pub, err := publishSilence(t, lk, lkproto.TrackSource_MICROPHONE)
	if err != nil {
		t.Fatal(err)
	}
	// The SFU lists a track once its media arrives; it says so by webhook.
	waitEvent(t, events, EventTrackPublished)

	ps, err := c.ListParticipants(ctx, room)
	if err != nil || len(ps) != 1 {
		t.Fatalf("ListParticipants = %+v, %v", ps, err)
	}
	p := ps[0]
	if p.Identity != g.Identity || !p.Present() || p.Attributes["room_role"] != "member" {
		t.Errorf("participant = %+v", p)
	}
	wantPerm := Permission{CanSubscribe: true, CanPublish: true, CanPublishData: true, CanPublishSources: rooms.DefaultSources}
	if diff := cmp.Diff(wantPerm, p.Permission); diff != "" {
		t.Errorf("permission from the token (-want +got):\n%s", diff)
	}

	up, err := c.UpdateParticipant(ctx, room, g.Identity, ParticipantUpdate{
		Metadata:   map[string]any{"raised": true},
		Attributes: map[string]string{"room_role": "administrator"},
		Permission: &Permission{CanSubscribe: true, CanPublish: true, CanPublishData: true, CanPublishSources: []string{"microphone"}},
		Name:       "Renamed",
	})
	if err != nil {
		t.Fatalf("UpdateParticipant: %v", err)
	}
	if up.Name != "Renamed" || up.Attributes["room_role"] != "administrator" || up.Metadata != `{"raised":true}` {
		t.Errorf("updated participant = %+v", up)
	}
	if diff := cmp.Diff([]string{"microphone"}, up.Permission.CanPublishSources); diff != "" {
		t.Errorf("updated sources (-want +got):\n%s", diff)
	}
	select {
	case m := <-meta:
		if m != `{"raised":true}` {
			t.Errorf("participant saw metadata %q", m)
		}
	case <-time.After(waitFor):
		t.Error("participant never saw its new metadata")
	}
	if _, err := c.UpdateParticipant(ctx, room, g.Identity, ParticipantUpdate{Permission: &Permission{CanPublishSources: []string{"bogus"}}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown source: err = %v, want invalid (an empty list would allow every source)", err)
	}

	if err := c.MutePublishedTrack(ctx, room, g.Identity, pub.SID(), true); err != nil {
		t.Errorf("MutePublishedTrack: %v", err)
	}
	got, err := c.GetParticipant(ctx, room, g.Identity)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tracks) != 1 || !got.Tracks[0].Muted || got.Tracks[0].Kind != "audio" {
		t.Errorf("tracks after mute = %+v", got.Tracks)
	}
	if err := c.RemoveParticipant(ctx, room, g.Identity); err != nil {
		t.Errorf("RemoveParticipant: %v", err)
	}
}

func TestClientUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // a port nothing listens on
	c := NewClient(ClientOptions{URL: "http://127.0.0.1:" + strconv.Itoa(port), APIKey: key, APISecret: sec, Timeout: 2 * time.Second})
	if err := c.Ping(context.Background()); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Ping to a closed port: err = %v, want unavailable", err)
	}
	bad := NewClient(ClientOptions{URL: sfu.HTTPURL(), APIKey: key, APISecret: "wrong-secret-wrong-secret-wrong-secret"})
	if err := bad.Ping(context.Background()); !apperr.Is(err, apperr.BadGateway) {
		t.Errorf("Ping with a wrong secret: err = %v, want bad_gateway", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	good := NewClient(ClientOptions{URL: sfu.HTTPURL(), APIKey: key, APISecret: sec})
	if err := good.Ping(ctx); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Ping with a cancelled context: err = %v, want unavailable", err)
	}
}
