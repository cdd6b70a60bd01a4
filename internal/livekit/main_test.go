package livekit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	lkproto "github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/utils/protojson"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	lksfu "meet/internal/livekit/sfu"
	"meet/internal/rooms"
)

// One SFU serves the whole package: starting it costs little, but every
// test that joins it pays for ICE and DTLS, so tests share it and use their
// own room names. Its webhooks go to hooks, a recorder in front of a real
// WebhookReceiver.
var (
	sfu   *lksfu.Server
	hooks *hookTap
	key   string
	sec   string
)

// waitFor bounds every wait on the SFU: generous, because -race on 2 cores
// is slow, and longer than the ~20 s after which LiveKit gives up on a
// client that vanished without saying goodbye.
const waitFor = 30 * time.Second

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "meet-livekit-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if key, sec, err = LoadOrCreateSecret(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	log := testLogger()
	// The SDK's participants log every ICE step through the standard
	// library's default logger; route them to the test logger instead.
	lksdk.SetLogger(lksfu.NewLogger(log.With("component", "lksdk")))
	hooks = newHookTap(NewWebhookReceiver(WebhookOptions{APIKey: key, APISecret: sec}, log))
	hookServer := httptest.NewServer(hooks) // listens on 127.0.0.1
	defer hookServer.Close()

	start := time.Now()
	sfu, err = lksfu.Start(context.Background(), lksfu.Options{
		APIKey:           key,
		APISecret:        sec,
		WebhookURLs:      []string{hookServer.URL + "/api/v1.0/rooms/webhooks-livekit/"},
		EmptyTimeout:     5 * time.Second,
		DepartureTimeout: time.Second,
	}, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "embedded SFU ready in %s at %s\n", time.Since(start).Round(time.Millisecond), sfu.WSURL())
	defer func() {
		start := time.Now()
		sfu.Stop()
		fmt.Fprintf(os.Stderr, "embedded SFU stopped in %s\n", time.Since(start).Round(time.Millisecond))
	}()
	return m.Run()
}

// testLogger logs errors only, unless MEET_TEST_LOG=debug: pion warns about
// every closed connection.
func testLogger() *slog.Logger {
	level := slog.LevelError
	if os.Getenv("MEET_TEST_LOG") == "debug" {
		level = slog.LevelDebug - 4
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// roomName returns a LiveKit room name unique to the test.
func roomName(t *testing.T) string {
	return strings.NewReplacer("/", "-", "_", "-", "#", "-").Replace(strings.ToLower(t.Name())) + "-" + randomHex(4)
}

// newIssuer returns a TokenIssuer for the shared SFU.
func newIssuer() *TokenIssuer {
	return NewTokenIssuer(TokenOptions{APIKey: key, APISecret: sec, PublicURL: sfu.WSURL()})
}

// grantFor computes, with the domain's rules, the grant of a participant.
func grantFor(room string, role rooms.Role, authenticated bool, cfg rooms.Configuration) rooms.JoinGrant {
	identity := string(role) + "-" + randomHex(4)
	if role == rooms.NoRole {
		identity = "guest-" + randomHex(4)
	}
	return rooms.GrantFor(room, cfg, rooms.Joiner{Identity: identity, Name: identity, Role: role, Authenticated: authenticated})
}

// join connects a Go SDK participant with a token from TokenIssuer and
// disconnects it at the end of the test.
func join(t *testing.T, g rooms.JoinGrant, cb *lksdk.RoomCallback) *lksdk.Room {
	t.Helper()
	info, err := newIssuer().Issue(g)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if cb == nil {
		cb = lksdk.NewRoomCallback()
	}
	start := time.Now()
	room, err := lksdk.ConnectToRoomWithToken(info.URL, info.Token, cb, lksdk.WithDisableRegionDiscovery())
	if err != nil {
		t.Fatalf("join %s as %s: %v", g.Room, g.Identity, err)
	}
	t.Logf("%s joined %s in %s", g.Identity, g.Room, time.Since(start).Round(time.Millisecond))
	t.Cleanup(room.Disconnect)
	return room
}

// publishSilence publishes an Opus track from source and writes a silence
// frame (f8 ff fe) every 20 ms until the test ends.
func publishSilence(t *testing.T, room *lksdk.Room, source lkproto.TrackSource) (*lksdk.LocalTrackPublication, error) {
	t.Helper()
	track, err := lksdk.NewLocalSampleTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2})
	if err != nil {
		t.Fatalf("NewLocalSampleTrack: %v", err)
	}
	pub, err := room.LocalParticipant.PublishTrack(track, &lksdk.TrackPublicationOptions{Name: "mic", Source: source})
	if err != nil {
		return nil, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				_ = track.WriteSample(media.Sample{Data: []byte{0xf8, 0xff, 0xfe}, Duration: 20 * time.Millisecond}, nil)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
	return pub, nil
}

// vp8KeyFrame is the smallest VP8 key frame header the SFU forwards: a
// frame tag (key frame, shown), the start code and a 16x16 size.
var vp8KeyFrame = []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0}

// publishVideo publishes a VP8 track from source. The SFU accepts or
// refuses the publication before media flows; once accepted, a key frame
// is written every 100 ms until stop is closed.
func publishVideo(room *lksdk.Room, source lkproto.TrackSource, stop <-chan struct{}) (*lksdk.LocalTrackPublication, error) {
	track, err := lksdk.NewLocalSampleTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000})
	if err != nil {
		return nil, err
	}
	pub, err := room.LocalParticipant.PublishTrack(track, &lksdk.TrackPublicationOptions{Name: "cam", Source: source, VideoWidth: 16, VideoHeight: 16})
	if err != nil {
		return nil, err
	}
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				_ = track.WriteSample(media.Sample{Data: vp8KeyFrame, Duration: 100 * time.Millisecond}, nil)
			}
		}
	}()
	return pub, nil
}

// hookTap records every webhook delivery, passes it to the receiver, and
// routes handled events to the channels tests listen on, by room.
type hookTap struct {
	recv *WebhookReceiver

	mu         sync.Mutex
	deliveries []delivery
	listeners  map[string]chan Event
	handled    map[string]int // event id → times handled
}

type delivery struct {
	auth string
	body []byte
	id   string
	room string
	typ  string
}

func newHookTap(recv *WebhookReceiver) *hookTap {
	h := &hookTap{recv: recv, listeners: map[string]chan Event{}, handled: map[string]int{}}
	for ev := range knownEvents {
		recv.Subscribe(ev, h.route)
	}
	return h
}

func (h *hookTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var ev lkproto.WebhookEvent
	_ = protojson.Unmarshal(body, &ev) // unverified: only to index the delivery
	d := delivery{auth: r.Header.Get("Authorization"), body: body, id: ev.Id, typ: ev.Event}
	if ev.Room != nil {
		d.room = ev.Room.Name
	}
	h.mu.Lock()
	h.deliveries = append(h.deliveries, d)
	h.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	h.recv.ServeHTTP(w, r)
}

func (h *hookTap) route(_ context.Context, e Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handled[e.ID]++
	if ch, ok := h.listeners[e.Room]; ok {
		select {
		case ch <- e:
		default: // a test that stopped reading must not block the receiver
		}
	}
	return nil
}

// listen returns the channel of the events handled for room.
func (h *hookTap) listen(t *testing.T, room string) <-chan Event {
	ch := make(chan Event, 64)
	h.mu.Lock()
	h.listeners[room] = ch
	h.mu.Unlock()
	t.Cleanup(func() {
		h.mu.Lock()
		delete(h.listeners, room)
		h.mu.Unlock()
	})
	return ch
}

func (h *hookTap) delivery(room, typ string) (delivery, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.deliveries {
		if d.room == room && d.typ == typ {
			return d, true
		}
	}
	return delivery{}, false
}

func (h *hookTap) timesHandled(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.handled[id]
}

// waitEvent waits for an event of type typ (skipping others) on ch.
func waitEvent(t *testing.T, ch <-chan Event, typ string) Event {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case e := <-ch:
			if e.Type == typ {
				return e
			}
		case <-deadline:
			t.Fatalf("no %s webhook within %s", typ, waitFor)
		}
	}
}
