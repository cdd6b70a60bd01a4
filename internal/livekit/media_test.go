package livekit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	lkproto "github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"meet/internal/rooms"
)

// micOnly is a room configuration that lets non-managers publish only
// their microphone.
var micOnly = rooms.Configuration{"can_publish_sources": []any{"microphone"}}

// TestMicOnlyRoom: a member of a room whose configuration allows only the
// microphone publishes audio that another participant receives as RTP; the
// SFU refuses the member's camera but accepts the owner's.
func TestMicOnlyRoom(t *testing.T) {
	t.Parallel()
	room := roomName(t)
	memberGrant := grantFor(room, rooms.Member, true, micOnly)
	ownerGrant := grantFor(room, rooms.Owner, true, micOnly)

	rtpCh := make(chan *rtp.Packet, 1)
	subscribed := time.Time{}
	ownerCB := lksdk.NewRoomCallback()
	ownerCB.OnTrackSubscribed = func(track *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
		if rp.Identity() != memberGrant.Identity || track.Kind() != webrtc.RTPCodecTypeAudio {
			return
		}
		go func() {
			pkt, _, err := track.ReadRTP()
			if err == nil {
				select {
				case rtpCh <- pkt:
				default:
				}
			}
		}()
	}
	camCh := make(chan struct{}, 1)
	memberCB := lksdk.NewRoomCallback()
	memberCB.OnTrackSubscribed = func(track *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
		if rp.Identity() == ownerGrant.Identity && track.Kind() == webrtc.RTPCodecTypeVideo {
			select {
			case camCh <- struct{}{}:
			default:
			}
		}
	}
	owner := join(t, ownerGrant, ownerCB)
	member := join(t, memberGrant, memberCB)
	stopVideo := make(chan struct{})
	t.Cleanup(func() { close(stopVideo) })

	start := time.Now()
	if _, err := publishSilence(t, member, lkproto.TrackSource_MICROPHONE); err != nil {
		t.Fatalf("member publishing the microphone: %v", err)
	}
	select {
	case pkt := <-rtpCh:
		subscribed = time.Now()
		if pkt.PayloadType == 0 || len(pkt.Payload) == 0 {
			t.Errorf("odd RTP packet: %+v", pkt.Header)
		}
		t.Logf("first RTP of the member's audio reached the owner %s after publishing", subscribed.Sub(start).Round(time.Millisecond))
	case <-time.After(waitFor):
		t.Fatal("owner received no RTP from the member's microphone")
	}

	// The refusal has no reply the SDK surfaces: the publication times out
	// (10 s), so the owner's camera is tried meanwhile.
	refused := make(chan error, 1)
	go func() {
		_, err := publishVideo(member, lkproto.TrackSource_CAMERA, stopVideo)
		refused <- err
	}()
	if raceEnabled {
		// livekit-server v1.13.5 races with itself when a video track is
		// accepted (rtc/participant.go:1120 updateRidsFromSDP rewrites the
		// layers of the TrackInfo its signal goroutine is still marshalling),
		// which fails ~1 run in 4 under -race. The SFU checks the declared
		// source, not the media kind, so under -race the owner's camera is
		// an Opus track announced as the camera.
		if _, err := publishSilence(t, owner, lkproto.TrackSource_CAMERA); err != nil {
			t.Errorf("owner publishing the camera: %v", err)
		}
	} else {
		if _, err := publishVideo(owner, lkproto.TrackSource_CAMERA, stopVideo); err != nil {
			t.Errorf("owner publishing the camera: %v", err)
		}
		select {
		case <-camCh:
		case <-time.After(waitFor):
			t.Error("member never received the owner's camera")
		}
	}
	select {
	case err := <-refused:
		if !errors.Is(err, lksdk.ErrTrackPublishTimeout) {
			t.Errorf("member publishing the camera: err = %v, want the SFU to refuse it", err)
		}
	case <-time.After(waitFor):
		t.Fatal("member's camera publication neither refused nor accepted")
	}

	c := NewClient(ClientOptions{URL: sfu.HTTPURL(), APIKey: key, APISecret: sec})
	p, err := c.GetParticipant(context.Background(), room, memberGrant.Identity)
	if err != nil {
		t.Fatalf("GetParticipant: %v", err)
	}
	var sources []string
	for _, tr := range p.Tracks {
		sources = append(sources, tr.Source)
	}
	if len(sources) != 1 || sources[0] != rooms.SourceMicrophone {
		t.Errorf("member's tracks on the SFU = %v, want [microphone]", sources)
	}
}

// TestOnlyAdminsAdministerTheSFU: the JWTs of a guest and of a member,
// used directly against LiveKit's RoomService, cannot mute or remove
// anyone; an owner's (roomAdmin for this room only) can.
func TestOnlyAdminsAdministerTheSFU(t *testing.T) {
	t.Parallel()
	room := roomName(t)
	guestGrant := grantFor(room, rooms.NoRole, false, rooms.Configuration{})
	disconnected := make(chan struct{})
	guestCB := lksdk.NewRoomCallback()
	guestCB.OnDisconnected = func() { close(disconnected) }
	events := hooks.listen(t, room)
	guest := join(t, guestGrant, guestCB)
	pub, err := publishSilence(t, guest, lkproto.TrackSource_MICROPHONE)
	if err != nil {
		t.Fatalf("guest publishing: %v", err)
	}
	// Mute a track the SFU has fully set up: muting one still pending in
	// its SDP negotiation trips a data race inside livekit-server v1.13.5.
	waitEvent(t, events, EventTrackPublished)

	issuer := newIssuer()
	token := func(g rooms.JoinGrant) string {
		info, err := issuer.Issue(g)
		if err != nil {
			t.Fatal(err)
		}
		return info.Token
	}
	mute := map[string]any{"room": room, "identity": guestGrant.Identity, "track_sid": pub.SID(), "muted": true}
	remove := map[string]any{"room": room, "identity": guestGrant.Identity}

	for name, g := range map[string]rooms.JoinGrant{
		"guest":                  grantFor(room, rooms.NoRole, false, rooms.Configuration{}),
		"signed-in without role": grantFor(room, rooms.NoRole, true, rooms.Configuration{}),
		"member":                 grantFor(room, rooms.Member, true, rooms.Configuration{}),
		"owner of another room":  grantFor("other-"+room, rooms.Owner, true, rooms.Configuration{}),
	} {
		tok := token(g)
		for method, body := range map[string]map[string]any{"MutePublishedTrack": mute, "RemoveParticipant": remove} {
			// LiveKit answers a missing admin grant with Twirp
			// "unauthenticated" and the message "permissions denied".
			if got := twirpCall(t, tok, method, body); got != "unauthenticated: permissions denied" {
				t.Errorf("%s's token: %s = %q, want permission denied", name, method, got)
			}
		}
	}

	ownerTok := token(grantFor(room, rooms.Owner, true, rooms.Configuration{}))
	if code := twirpCall(t, ownerTok, "MutePublishedTrack", mute); code != "ok" {
		t.Fatalf("owner's token: MutePublishedTrack = %q, want success", code)
	}
	if code := twirpCall(t, ownerTok, "RemoveParticipant", remove); code != "ok" {
		t.Fatalf("owner's token: RemoveParticipant = %q, want success", code)
	}
	select {
	case <-disconnected:
	case <-time.After(waitFor):
		t.Fatal("removed guest was not disconnected")
	}
}

// twirpCall calls LiveKit's RoomService with a bearer token, as a client
// holding that token could, and returns "ok" or the Twirp error as
// "code: message".
func twirpCall(t *testing.T, token, method string, body map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, sfu.HTTPURL()+"/twirp/livekit.RoomService/"+method, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK {
		return "ok"
	}
	var e struct {
		Code string `json:"code"`
		Msg  string `json:"msg"`
	}
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil {
		return res.Status
	}
	return e.Code + ": " + e.Msg
}
