package livekit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	lkauth "github.com/livekit/protocol/auth"
	lkproto "github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/utils/protojson"
	"github.com/livekit/protocol/webhook"

	"meet/internal/rooms"
)

// TestWebhooksFromTheSFU: the real SFU's signed webhooks reach the
// receiver and arrive as Events; a redelivered event is handled once.
func TestWebhooksFromTheSFU(t *testing.T) {
	t.Parallel()
	room := roomName(t)
	events := hooks.listen(t, room)
	g := grantFor(room, rooms.Member, true, rooms.Configuration{})
	lk := join(t, g, nil)

	started := waitEvent(t, events, EventRoomStarted)
	if started.Room != room || started.RoomSID == "" || started.ID == "" {
		t.Errorf("room_started = %+v", started)
	}
	joined := waitEvent(t, events, EventParticipantJoined)
	if joined.ParticipantIdentity != g.Identity || joined.ParticipantSID == "" {
		t.Errorf("participant_joined = %+v", joined)
	}

	// LiveKit redelivers when it gets no answer: replaying the recorded
	// delivery (same signature, same id) must not run the handlers again.
	d, ok := hooks.delivery(room, EventParticipantJoined)
	if !ok {
		t.Fatal("participant_joined delivery not recorded")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(d.body))
	req.Header.Set("Authorization", d.auth)
	hooks.recv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"success"}` {
		t.Errorf("replayed delivery: %d %s", rec.Code, rec.Body)
	}
	if n := hooks.timesHandled(joined.ID); n != 1 {
		t.Errorf("event %s handled %d times, want 1", joined.ID, n)
	}

	lk.Disconnect()
	left := waitEvent(t, events, EventParticipantLeft)
	if left.ParticipantIdentity != g.Identity {
		t.Errorf("participant_left = %+v", left)
	}
	finished := waitEvent(t, events, EventRoomFinished) // after the 1 s departure timeout
	if finished.Room != room {
		t.Errorf("room_finished = %+v", finished)
	}
}

const (
	hookKey    = "hookkey"
	hookSecret = "hook-secret-of-at-least-thirty-two-bytes"
)

// signedRequest builds a webhook request the way LiveKit signs them: a JWT
// from the API key whose sha256 claim is the body's hash.
func signedRequest(t *testing.T, secret string, ev *lkproto.WebhookEvent) *http.Request {
	t.Helper()
	body, err := protojson.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	tok, err := lkauth.NewAccessToken(hookKey, secret).SetValidFor(5 * time.Minute).
		SetSha256(base64.StdEncoding.EncodeToString(sum[:])).ToJWT()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1.0/rooms/webhooks-livekit/", bytes.NewReader(body))
	req.Header.Set("Authorization", tok)
	return req
}

func roomEvent(id, typ, room string) *lkproto.WebhookEvent {
	return &lkproto.WebhookEvent{Id: id, Event: typ, CreatedAt: 1_700_000_000, Room: &lkproto.Room{Name: room, Sid: "RM_1"}}
}

func serve(h http.Handler, req *http.Request) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestWebhookVerification(t *testing.T) {
	recv := NewWebhookReceiver(WebhookOptions{APIKey: hookKey, APISecret: hookSecret}, slog.New(slog.DiscardHandler))
	calls := 0
	recv.Subscribe(EventRoomStarted, func(context.Context, Event) error { calls++; return nil })

	unsigned := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(`{"event":"room_started"}`)))
	forged := signedRequest(t, "another-secret-of-thirty-two-bytes-or-more", roomEvent("EV_1", EventRoomStarted, "r"))
	tampered := signedRequest(t, hookSecret, roomEvent("EV_2", EventRoomStarted, "r"))
	body, _ := io.ReadAll(tampered.Body)
	tampered.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte(`"r"`), []byte(`"x"`), 1)))
	garbage := signedRequest(t, hookSecret, roomEvent("EV_3", EventRoomStarted, "r"))
	garbage.Header.Set("Authorization", "not-a-jwt")

	tests := []struct {
		name   string
		req    *http.Request
		status int
		body   string
	}{
		{"unsigned", unsigned, http.StatusUnauthorized, `{"status":"error"}`},
		{"signed with another secret", forged, http.StatusBadRequest, `{"status":"error"}`},
		{"body changed after signing", tampered, http.StatusBadRequest, `{"status":"error"}`},
		{"malformed token", garbage, http.StatusBadRequest, `{"status":"error"}`},
		{"unknown event", signedRequest(t, hookSecret, roomEvent("EV_4", "room_exploded", "r")), http.StatusUnprocessableEntity, `{"status":"error"}`},
		{"valid", signedRequest(t, hookSecret, roomEvent("EV_5", EventRoomStarted, "r")), http.StatusOK, `{"status":"success"}`},
		{"known event nobody handles", signedRequest(t, hookSecret, roomEvent("EV_6", EventTrackPublished, "r")), http.StatusOK, `{"status":"success"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := serve(recv, tt.req)
			if status != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", status, body, tt.status, tt.body)
			}
		})
	}
	if calls != 1 {
		t.Errorf("handler ran %d times, want once (only for the valid event)", calls)
	}
}

func TestWebhookFiltering(t *testing.T) {
	tests := []struct {
		name    string
		opts    WebhookOptions
		ev      *lkproto.WebhookEvent
		handled bool
	}{
		{"connection test room", WebhookOptions{}, roomEvent("E1", EventRoomStarted, "connection-test-1b2c"), false},
		{"filter matches anywhere in the name", WebhookOptions{RoomFilter: "^[0-9a-f-]{36}$|meet"}, roomEvent("E2", EventRoomStarted, "my-meeting"), true},
		{"filter does not match", WebhookOptions{RoomFilter: "^meet-"}, roomEvent("E3", EventRoomStarted, "tchap-room"), false},
		{"invalid filter disables filtering", WebhookOptions{RoomFilter: "([unclosed"}, roomEvent("E4", EventRoomStarted, "tchap-room"), true},
		{"ignored identity", WebhookOptions{IgnoreIdentities: []string{"recorder"}},
			&lkproto.WebhookEvent{Id: "E5", Event: EventParticipantJoined, Room: &lkproto.Room{Name: "r"}, Participant: &lkproto.ParticipantInfo{Identity: "recorder"}}, false},
		{"other identity", WebhookOptions{IgnoreIdentities: []string{"recorder"}},
			&lkproto.WebhookEvent{Id: "E6", Event: EventParticipantJoined, Room: &lkproto.Room{Name: "r"}, Participant: &lkproto.ParticipantInfo{Identity: "sub-1"}}, true},
		{"egress event named by egress_info", WebhookOptions{RoomFilter: "^meet-"},
			&lkproto.WebhookEvent{Id: "E7", Event: EventEgressUpdated, EgressInfo: &lkproto.EgressInfo{EgressId: "EG_1", RoomName: "meet-r", Status: lkproto.EgressStatus_EGRESS_ACTIVE}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.APIKey, tt.opts.APISecret = hookKey, hookSecret
			recv := NewWebhookReceiver(tt.opts, slog.New(slog.DiscardHandler))
			var got []Event
			recv.Subscribe(tt.ev.Event, func(_ context.Context, e Event) error { got = append(got, e); return nil })
			if status, body := serve(recv, signedRequest(t, hookSecret, tt.ev)); status != http.StatusOK {
				t.Fatalf("got %d %s, want 200", status, body)
			}
			if handled := len(got) == 1; handled != tt.handled {
				t.Errorf("handled = %v, want %v", handled, tt.handled)
			}
			if tt.ev.EgressInfo != nil && len(got) == 1 {
				if e := got[0]; e.Room != "meet-r" || e.EgressID != "EG_1" || e.EgressStatus != "EGRESS_ACTIVE" {
					t.Errorf("egress event = %+v", e)
				}
			}
		})
	}
}

// TestWebhookRetryAfterHandlerError: a failing handler answers 500 and the
// event is not remembered, so LiveKit's redelivery is handled; once it
// succeeded, further redeliveries are dropped until the id is forgotten.
func TestWebhookRetryAfterHandlerError(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	recv := NewWebhookReceiver(WebhookOptions{APIKey: hookKey, APISecret: hookSecret, RememberFor: time.Minute, Now: func() time.Time { return now }},
		slog.New(slog.DiscardHandler))
	fail := errors.New("database down")
	attempts := 0
	recv.Subscribe(EventRoomFinished, func(context.Context, Event) error {
		attempts++
		if attempts == 1 {
			return fail
		}
		return nil
	})
	ev := roomEvent("EV_retry", EventRoomFinished, "r")

	req := signedRequest(t, hookSecret, ev)
	if err := recv.Handle(req); !errors.Is(err, fail) || WebhookStatus(err) != http.StatusInternalServerError {
		t.Fatalf("first delivery: err = %v (status %d), want the handler's error and 500", err, WebhookStatus(err))
	}
	for i, want := range []int{2, 2, 3} {
		if i == 2 {
			now = now.Add(2 * time.Minute) // the id is forgotten after RememberFor
		}
		if status, body := serve(recv, signedRequest(t, hookSecret, ev)); status != http.StatusOK {
			t.Fatalf("delivery %d: %d %s", i+2, status, body)
		}
		if attempts != want {
			t.Errorf("after delivery %d the handler ran %d times, want %d", i+2, attempts, want)
		}
	}
}

func TestRecentIDsBounded(t *testing.T) {
	now := time.Unix(0, 0)
	s := newRecentIDs(3, time.Hour, func() time.Time { return now })
	for _, id := range []string{"a", "b", "c", "d"} {
		s.add(id)
	}
	if s.contains("a") {
		t.Error("oldest id kept beyond capacity")
	}
	for _, id := range []string{"b", "c", "d"} {
		if !s.contains(id) {
			t.Errorf("%s forgotten", id)
		}
	}
	if len(s.at) > 3 {
		t.Errorf("%d ids remembered, want ≤ 3", len(s.at))
	}
}

// TestWebhookAcceptsEveryLiveKitEvent: every event LiveKit sends is answered
// 200, those nobody subscribed to included (participant_connection_aborted
// was once refused with 422, and LiveKit logged each refusal).
func TestWebhookAcceptsEveryLiveKitEvent(t *testing.T) {
	recv := NewWebhookReceiver(WebhookOptions{APIKey: hookKey, APISecret: hookSecret}, slog.New(slog.DiscardHandler))
	for i, name := range []string{
		webhook.EventRoomStarted, webhook.EventRoomFinished,
		webhook.EventParticipantJoined, webhook.EventParticipantLeft, webhook.EventParticipantConnectionAborted,
		webhook.EventTrackPublished, webhook.EventTrackUnpublished,
		webhook.EventEgressStarted, webhook.EventEgressUpdated, webhook.EventEgressEnded,
		webhook.EventIngressStarted, webhook.EventIngressEnded,
	} {
		ev := roomEvent(fmt.Sprintf("EV_ALL_%d", i), name, "r")
		ev.Participant = &lkproto.ParticipantInfo{Identity: "someone", Sid: "PA_1"}
		if status, body := serve(recv, signedRequest(t, hookSecret, ev)); status != http.StatusOK || body != `{"status":"success"}` {
			t.Errorf("%s: %d %s, want 200 success", name, status, body)
		}
	}
}
