package livekit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	lkauth "github.com/livekit/protocol/auth"
)

// FuzzWebhook: whatever the body and Authorization header, the receiver
// answers 200, 400, 401 or 422 (never 500 while its handlers succeed, never
// a panic), and no handler sees an event that LiveKit's key did not sign.
// With sign set the body gets a valid signature, so the parser behind the
// verifier is fuzzed too; an accepted event reaches its handler with the
// type it was sent with.
func FuzzWebhook(f *testing.F) {
	const key, secret = "fuzzkey", "fuzz-secret-of-at-least-thirty-two-bytes"
	for _, s := range []struct {
		body, auth string
		sign       bool
	}{
		{`{"event":"room_started","id":"EV_1","room":{"name":"r","sid":"RM_1"},"createdAt":"1700000000"}`, "", true},
		{`{"event":"participant_joined","participant":{"identity":"u","name":"\u0000"}}`, "", true},
		{`{"event":"egress_ended","egressInfo":{"egressId":"EG_1","status":"EGRESS_FAILED","startedAt":"-9223372036854775808"}}`, "", true},
		{`{"event":"track_published","track":{"source":99999}}`, "", true},
		{`{"event":"participant_connection_aborted"}`, "", true},
		{"{\"event\":\"room_started\",\"room\":{\"name\":\"\xff\"}}", "", true},
		{strings.Repeat(`{"room":`, 3000), "", true},
		{`{"event":"room_started"}`, "Bearer not-a-jwt", false},
		{`{"event":"room_started"}`, "eyJhbGciOiJub25lIn0.eyJpc3MiOiJmdXp6a2V5In0.", false},
		{"", "", false},
	} {
		f.Add([]byte(s.body), s.auth, s.sign)
	}
	log := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, body []byte, authz string, sign bool) {
		w := NewWebhookReceiver(WebhookOptions{APIKey: key, APISecret: secret}, log)
		var handled []Event
		for ev := range knownEvents {
			w.Subscribe(ev, func(_ context.Context, e Event) error { handled = append(handled, e); return nil })
		}
		if sign {
			sum := sha256.Sum256(body)
			tok, err := lkauth.NewAccessToken(key, secret).SetValidFor(5 * time.Minute).
				SetSha256(base64.StdEncoding.EncodeToString(sum[:])).ToJWT()
			if err != nil {
				t.Fatal(err)
			}
			authz = tok
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v1.0/rooms/webhooks-livekit/", bytes.NewReader(body))
		if strings.ContainsAny(authz, "\r\n\x00") {
			return // not a header value an HTTP server would pass on
		}
		req.Header.Set("Authorization", authz)
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d for body %.200q: %s", rec.Code, body, rec.Body)
		}
		if !sign && len(handled) > 0 {
			t.Fatalf("an unsigned or forged webhook reached a handler: %+v", handled[0])
		}
		if rec.Code != http.StatusOK && len(handled) > 0 {
			t.Fatalf("refused (%d) yet handled", rec.Code)
		}
		for _, e := range handled {
			if !knownEvents[e.Type] {
				t.Fatalf("handler saw unknown event type %q", e.Type)
			}
		}
	})
}
