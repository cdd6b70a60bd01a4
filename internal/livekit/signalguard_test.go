package livekit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meet/internal/rooms"
)

// denySet is a Denials over a fixed set of "room/identity" pairs.
type denySet struct {
	denied map[string]bool
	err    error
}

func (d denySet) Denied(_ context.Context, room, identity string) (bool, error) {
	return d.denied[room+"/"+identity], d.err
}

// TestGuardSignal checks the /rtc guard on its own: the removed identity's
// token is refused in its room only, forged tokens are refused, requests
// without a token reach the SFU, and a failing deny list fails closed.
func TestGuardSignal(t *testing.T) {
	const apiKey, apiSecret = "guard-key", "guard-secret-0123456789abcdef0123456789"
	issuer := NewTokenIssuer(TokenOptions{APIKey: apiKey, APISecret: apiSecret})
	forger := NewTokenIssuer(TokenOptions{APIKey: apiKey, APISecret: strings.Repeat("x", 40)})
	token := func(iss *TokenIssuer, room, identity string) string {
		t.Helper()
		info, err := iss.Issue(rooms.GrantFor(room, nil, rooms.Joiner{Identity: identity, Name: identity}))
		if err != nil {
			t.Fatal(err)
		}
		return info.Token
	}
	deny := denySet{denied: map[string]bool{"room-a/gail": true}}
	sfuReached := 0
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { sfuReached++; w.WriteHeader(http.StatusOK) })
	log := slog.New(slog.DiscardHandler)

	for _, tc := range []struct {
		name   string
		deny   Denials
		query  string
		bearer string
		status int
	}{
		{"removed identity", deny, token(issuer, "room-a", "gail"), "", http.StatusForbidden},
		{"removed identity, bearer header", deny, "", token(issuer, "room-a", "gail"), http.StatusForbidden},
		{"same identity, other room", deny, token(issuer, "room-b", "gail"), "", http.StatusOK},
		{"other identity", deny, token(issuer, "room-a", "gus"), "", http.StatusOK},
		{"forged token", deny, token(forger, "room-a", "gus"), "", http.StatusUnauthorized},
		{"garbage token", deny, "not-a-jwt", "", http.StatusUnauthorized},
		{"no token", deny, "", "", http.StatusOK},
		{"deny list down", denySet{err: errors.New("redis down")}, token(issuer, "room-a", "gus"), "", http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := sfuReached
			req := httptest.NewRequest(http.MethodGet, "/rtc?access_token="+tc.query, nil)
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			rec := httptest.NewRecorder()
			GuardSignal(next, apiKey, apiSecret, tc.deny, log).ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.status, rec.Body)
			}
			if reached := sfuReached > before; reached != (tc.status == http.StatusOK) {
				t.Fatalf("request reached the SFU: %t, status %d", reached, rec.Code)
			}
		})
	}
}
