package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// fakeCall stands in for the SFU's participant API: it keeps the
// participants of each call and applies updates and mutes to them the way
// LiveKit does (attributes merge, "" removes one; a permission replaces the
// whole permission).
type fakeCall struct {
	mu    sync.Mutex
	parts map[string]map[string]*rooms.CallParticipant // by room, then identity
	muted map[string][]string                          // track sids muted, by identity
	calls int                                          // UpdateParticipant and MuteTrack calls
	err   error                                        // returned by every call when set
}

func newFakeCall() *fakeCall {
	return &fakeCall{parts: map[string]map[string]*rooms.CallParticipant{}, muted: map[string][]string{}}
}

// join puts a connected participant with the grant's default permission in
// a room's call.
func (f *fakeCall) join(room, identity string, attrs map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.parts[room] == nil {
		f.parts[room] = map[string]*rooms.CallParticipant{}
	}
	if attrs == nil {
		attrs = map[string]string{}
	}
	f.parts[room][identity] = &rooms.CallParticipant{
		Identity: identity, Name: identity, Attributes: attrs, Present: true,
		Permission: rooms.CallPermission{CanSubscribe: true, CanPublish: true, CanPublishData: true,
			CanPublishSources: slices.Clone(rooms.DefaultSources)},
	}
}

// get returns a copy of a participant (zero when absent).
func (f *fakeCall) get(room, identity string) rooms.CallParticipant {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.parts[room][identity]; p != nil {
		c := *p
		c.Attributes = maps.Clone(p.Attributes)
		return c
	}
	return rooms.CallParticipant{}
}

func (f *fakeCall) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeCall) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeCall) GetParticipant(_ context.Context, room, identity string) (rooms.CallParticipant, error) {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return rooms.CallParticipant{}, err
	}
	p := f.get(room, identity)
	if p.Identity == "" {
		return p, apperr.New(apperr.NotFound, "Not found on the media server.")
	}
	return p, nil
}

func (f *fakeCall) ListParticipants(_ context.Context, room string) ([]rooms.CallParticipant, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	var out []rooms.CallParticipant
	for _, id := range slices.Sorted(maps.Keys(f.parts[room])) {
		p := *f.parts[room][id]
		p.Attributes = maps.Clone(p.Attributes)
		out = append(out, p)
	}
	return out, nil
}

func (f *fakeCall) UpdateParticipant(_ context.Context, room, identity string, u rooms.CallParticipantUpdate) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return f.err
	}
	p := f.parts[room][identity]
	if p == nil {
		return apperr.New(apperr.NotFound, "Not found on the media server.")
	}
	for k, v := range u.Attributes {
		if v == "" {
			delete(p.Attributes, k)
		} else {
			p.Attributes[k] = v
		}
	}
	if u.Name != "" {
		p.Name = u.Name
	}
	if u.Permission != nil {
		p.Permission = *u.Permission
	}
	return nil
}

func (f *fakeCall) MuteTrack(_ context.Context, room, identity, trackSID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return f.err
	}
	if f.parts[room][identity] == nil {
		return apperr.New(apperr.NotFound, "Not found on the media server.")
	}
	f.muted[identity] = append(f.muted[identity], trackSID)
	return nil
}

// callEnv is an API server whose in-call actions reach a fakeCall, with a
// room and its cast.
type callEnv struct {
	*apiEnv
	call *fakeCall
	c    *cast
}

func newCallEnv(t *testing.T, e storagetest.Engine, cfg rooms.Configuration, opts ...envOption) *callEnv {
	t.Helper()
	call := newFakeCall()
	opts = append(opts, withDeps(func(d *httpapi.Deps) {
		d.InCall = call
		d.LiveKitTokens = livekit.NewTokenVerifier(lkKey, lkSecret)
	}))
	env := newAPIEnv(t, e, opts...)
	return &callEnv{apiEnv: env, call: call, c: env.newCast(t, rooms.Public, cfg)}
}

// callToken mints a LiveKit join token for identity in lkRoom, valid for ttl
// (negative: expired that long ago), signed with key and secret. Tokens
// still valid come from meet's TokenIssuer; expired ones are signed here,
// since the issuer only makes tokens valid from now on.
func callToken(t testing.TB, key, secret, lkRoom, identity string, authenticated bool, ttl time.Duration) string {
	t.Helper()
	g := rooms.GrantFor(lkRoom, nil, rooms.Joiner{Identity: identity, Name: "Someone", Authenticated: authenticated})
	if ttl > 0 {
		iss := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: key, APISecret: secret, PublicURL: lkURL})
		info, err := iss.IssueFor(g, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return info.Token
	}
	now := time.Now()
	return signHS256(t, secret, map[string]any{
		"iss": key, "sub": identity, "name": g.Name, "attributes": g.Attributes,
		"nbf": now.Add(ttl - time.Hour).Unix(), "exp": now.Add(ttl).Unix(),
		"video": map[string]any{"room": lkRoom, "roomJoin": true},
	})
}

// signHS256 encodes claims as a JWT signed with secret.
func signHS256(t testing.TB, secret string, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	unsigned := enc(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + enc(claims)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// doAuth sends a request as c with an Authorization header (none when
// authz is "").
func (c *apiClient) doAuth(t testing.TB, method, path string, body any, authz string) reply {
	t.Helper()
	req := c.request(t, method, path, body)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	return c.env.serve(req)
}

// A caller of the in-call matrix: a persona's session and/or a LiveKit token.
type callCaller struct {
	name    string
	persona string // whose session (anonymous: none)
	authz   string // Authorization header
}

// callCallers lists the matrix of every in-call action: the five personas
// by session, then LiveKit tokens — of this room for a participant in the
// call, of another room, expired, badly signed, of another key, for a
// participant not in the call — and a malformed header.
func (ce *callEnv) callCallers(t *testing.T) []callCaller {
	t.Helper()
	room := ce.c.room.ID
	ce.call.join(room, "guest-in-call", nil)
	return []callCaller{
		{"anonymous", anonymous, ""},
		{"stranger", outsider, ""},
		{"member", asMember, ""},
		{"administrator", asAdmin, ""},
		{"owner", asOwner, ""},
		{"token of this room", anonymous, "Bearer " + callToken(t, lkKey, lkSecret, room, "guest-in-call", false, time.Hour)},
		{"token of another room", anonymous, "Bearer " + callToken(t, lkKey, lkSecret, rooms.NewID(), "guest-in-call", false, time.Hour)},
		{"expired token", anonymous, "Bearer " + callToken(t, lkKey, lkSecret, room, "guest-in-call", false, -2*time.Minute)},
		{"token signed with another secret", anonymous, "Bearer " + callToken(t, lkKey, lkSecret+"x", room, "guest-in-call", false, time.Hour)},
		{"token of another key", anonymous, "Bearer " + callToken(t, "other-key", lkSecret, room, "guest-in-call", false, time.Hour)},
		{"participant not present", anonymous, "Bearer " + callToken(t, lkKey, lkSecret, room, "guest-gone", false, time.Hour)},
		{"malformed header", anonymous, "Token abc"},
		{"not a JWT", anonymous, "Bearer not-a-jwt"},
	}
}

// The bodies the matrix expects.
var (
	errPermission   = detail(genericForbidden)
	errNoCredential = detail(noCredentials)
	errExpired      = detail("Invalid LiveKit token: Signature has expired")
	errBadSignature = detail("Invalid LiveKit token: Signature verification failed")
	errBadIssuer    = detail("Invalid LiveKit token: Invalid issuer")
	errBadHeader    = detail("Authorization header must be: Bearer <token>")
	errNotJWT       = detail("Invalid LiveKit token: Not enough segments")
	errNotInCall    = map[string]any{"error": "Participant not found"}
	okBody          = map[string]any{"status": "success"}
)
