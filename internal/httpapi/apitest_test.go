package httpapi_test

// Shared helpers of the foundation API tests (rooms, resource accesses,
// users, config, errors): a real httpapi.Server over a real database of each
// engine, a real LiveKit token issuer, signed-in clients with session and
// CSRF cookies, and JSON comparison that checks LiveKit tokens before
// replacing them with a placeholder.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// The settings every test server runs with.
const (
	apiV1            = "/api/v1.0"
	testPublic       = "http://meet.test"
	lkKey            = "meet-test-key"
	lkSecret         = "meet-test-secret-0123456789abcdef0123456789"
	lkURL            = "wss://sfu.meet.test"
	tokenMarker      = "<livekit token>"
	testIssuer       = "https://idp.meet.test"
	genericForbidden = "You do not have permission to perform this action."
	noCredentials    = "Authentication credentials were not provided."
)

// The people a request can come from, in the order of the reference's tests.
const (
	anonymous = "anonymous"
	outsider  = "authenticated without access"
	asMember  = "member"
	asAdmin   = "administrator"
	asOwner   = "owner"
)

// personas lists every caller kind, for tables that cover them all.
var personas = []string{anonymous, outsider, asMember, asAdmin, asOwner}

// forEachEngine runs fn once per database engine: SQLite always, PostgreSQL
// when MEET_TEST_DATABASE_URL is set.
func forEachEngine(t *testing.T, fn func(t *testing.T, e storagetest.Engine)) {
	t.Helper()
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

// testClock moves one second forward on every reading, so rows created one
// after the other get distinct, ordered timestamps.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// fakeMediaServer stands in for the SFU for room metadata only: it records
// the MergeRoomMetadata calls the rooms service makes and answers with err.
type fakeMediaServer struct {
	mu    sync.Mutex
	calls []metadataCall
	err   error
}

// metadataCall is one MergeRoomMetadata call.
type metadataCall struct {
	Room string
	Set  map[string]any // as JSON would carry it
}

func (f *fakeMediaServer) MergeRoomMetadata(_ context.Context, room string, set map[string]any) error {
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	var asJSON map[string]any
	if err := json.Unmarshal(b, &asJSON); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, metadataCall{Room: room, Set: asJSON})
	return f.err
}

func (f *fakeMediaServer) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// takeCalls returns the calls recorded so far and forgets them.
func (f *fakeMediaServer) takeCalls() []metadataCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

// apiEnv is one meet HTTP server over one fresh database.
type apiEnv struct {
	db    *storage.DB
	srv   *httpapi.Server
	media *fakeMediaServer
	logs  *lockedBuffer
	seq   atomic.Int64
	// sessions is the server's session store (the database unless withDeps
	// changed it); signIn saves there.
	sessions auth.SessionStore
}

// envConfig is what an apiEnv is built from; options edit it.
type envConfig struct {
	rooms rooms.Options
	deps  func(d *httpapi.Deps)
	// realClock keeps the database on the wall clock (benchmarks run long
	// enough for the ticking test clock to expire sessions).
	realClock bool
}

type envOption func(*envConfig)

// withRoomOptions changes the rooms service's settings.
func withRoomOptions(f func(o *rooms.Options)) envOption {
	return func(c *envConfig) { f(&c.rooms) }
}

// withDeps changes the server's dependencies before it is built.
func withDeps(f func(d *httpapi.Deps)) envOption {
	return func(c *envConfig) { c.deps = f }
}

// withRealClock keeps the database on the wall clock, for benchmarks.
func withRealClock() envOption {
	return func(c *envConfig) { c.realClock = true }
}

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newAPIEnv builds a server on a fresh database of engine e, with unregistered
// rooms allowed and display names editable, as the reference's defaults are.
func newAPIEnv(t testing.TB, e storagetest.Engine, opts ...envOption) *apiEnv {
	t.Helper()
	cfg := envConfig{rooms: rooms.Options{DefaultAccessLevel: rooms.Public, AllowUnregistered: true, AuthenticatedCanEditName: true}}
	for _, o := range opts {
		o(&cfg)
	}
	db := e.Open(t)
	if !cfg.realClock {
		db.SetClock((&testClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}).Now)
	}
	cfg.rooms.Accounts = db // the users of this database are the call's signed-in participants
	env := &apiEnv{db: db, media: &fakeMediaServer{}, logs: &lockedBuffer{}}
	log := slog.New(slog.NewJSONHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tokens := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL})
	svc := rooms.NewService(db, db, tokens, env.media, cfg.rooms, log)
	pub, _ := url.Parse(testPublic)
	d := httpapi.Deps{Log: log, PublicURL: pub, Rooms: svc, Users: db, Sessions: db}
	if cfg.deps != nil {
		cfg.deps(&d)
	}
	srv, err := httpapi.New(d)
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	env.srv, env.sessions = srv, d.Sessions
	return env
}

// next returns a number unique within the environment, for names.
func (e *apiEnv) next() int64 { return e.seq.Add(1) }

// newUser stores an active user whose sub, e-mail and names derive from name.
func (e *apiEnv) newUser(t testing.TB, name string) *users.User {
	t.Helper()
	u := &users.User{
		Sub: "sub-" + name, Issuer: testIssuer, Email: name + "@example.com",
		FullName: strings.ToUpper(name[:1]) + name[1:] + " Doe", ShortName: name, IsActive: true,
	}
	if err := e.db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// apiClient sends requests as one caller: anonymous, or signed in with a
// session cookie and the CSRF token the server handed out.
type apiClient struct {
	env     *apiEnv
	user    *users.User // nil for anonymous callers
	session string
	csrf    string
}

// anonymous returns a client without a session.
func (e *apiEnv) anonymous() *apiClient { return &apiClient{env: e} }

// signIn stores a session for u, as a sign-in does, and fetches users/me/
// once to receive the csrftoken cookie like a browser would.
func (e *apiEnv) signIn(t testing.TB, u *users.User) *apiClient {
	t.Helper()
	s := auth.NewSession(u.ID, nil, time.Now(), 365*24*time.Hour)
	if err := e.sessions.Save(context.Background(), s); err != nil {
		t.Fatalf("save session: %v", err)
	}
	c := &apiClient{env: e, user: u, session: s.ID}
	r := c.do(t, http.MethodGet, "/users/me/", nil)
	if r.status != http.StatusOK {
		t.Fatalf("users/me/ after sign-in: %d %s", r.status, r.body)
	}
	for _, ck := range r.cookies() {
		if ck.Name == httpapi.CSRFCookie {
			c.csrf = ck.Value
		}
	}
	if c.csrf == "" {
		t.Fatal("no csrftoken cookie handed out to a signed-in client")
	}
	return c
}

// userClient creates a user and signs it in.
func (e *apiEnv) userClient(t testing.TB, name string) *apiClient {
	t.Helper()
	return e.signIn(t, e.newUser(t, name))
}

// request builds a request to apiV1+path. body is nil (none), a string or
// []byte (sent as is), or a value encoded as JSON. Signed-in clients send
// their cookies, and the CSRF header on unsafe methods.
func (c *apiClient) request(t testing.TB, method, path string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, "http://meet.test"+apiV1+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.session != "" {
		req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: c.session})
	}
	if c.csrf != "" {
		req.AddCookie(&http.Cookie{Name: httpapi.CSRFCookie, Value: c.csrf})
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			req.Header.Set(httpapi.CSRFHeader, c.csrf)
		}
	}
	return req
}

// do sends a request and returns the reply.
func (c *apiClient) do(t testing.TB, method, path string, body any) reply {
	t.Helper()
	return c.env.serve(c.request(t, method, path, body))
}

// reply is a recorded response.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *apiEnv) serve(req *http.Request) reply {
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return reply{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (r reply) cookies() []*http.Cookie {
	return (&http.Response{Header: r.header}).Cookies()
}

// decoded returns the body as generic JSON values.
func (r reply) decoded(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("reply %d is not JSON: %v\n%s", r.status, err, r.body)
	}
	return v
}

// expect checks the status and the JSON body of r against want (generic JSON:
// map[string]any, []any, float64...; a Go value is converted through JSON).
// Every "livekit" token in the body is verified and decoded, then replaced by
// tokenMarker before comparing; the decoded tokens are returned in document
// order. Every error reply must carry an X-Request-Id.
func expect(t testing.TB, r reply, status int, want any) []lkToken {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if status >= 400 && r.header.Get("X-Request-Id") == "" {
		t.Errorf("error reply %d without X-Request-Id", status)
	}
	got := r.decoded(t)
	var tokens []lkToken
	got = replaceTokens(t, got, &tokens)
	if diff := cmp.Diff(asJSON(t, want), got); diff != "" {
		t.Fatalf("body mismatch (-want +got):\n%s\nraw: %s", diff, r.body)
	}
	return tokens
}

// expectEmpty checks a reply without a body (204).
func expectEmpty(t testing.TB, r reply, status int) {
	t.Helper()
	if r.status != status || len(r.body) != 0 {
		t.Fatalf("got %d %q, want %d with no body", r.status, r.body, status)
	}
}

// asJSON converts a Go value to generic JSON values.
func asJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode want: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func replaceTokens(t testing.TB, v any, tokens *[]lkToken) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "livekit" {
				if lk, ok := val.(map[string]any); ok {
					if tok, ok := lk["token"].(string); ok {
						*tokens = append(*tokens, parseToken(t, tok))
						lk["token"] = tokenMarker
					}
				}
				continue
			}
			x[k] = replaceTokens(t, val, tokens)
		}
	case []any:
		for i := range x {
			x[i] = replaceTokens(t, x[i], tokens)
		}
	}
	return v
}

// lkToken is what a LiveKit join token says.
type lkToken struct {
	Identity   string
	Name       string
	Video      map[string]any
	Attributes map[string]string
	TTL        time.Duration
}

// parseToken checks a LiveKit token's HS256 signature with the test secret
// and its issuer, and decodes its claims.
func parseToken(t testing.TB, tok string) lkToken {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", tok)
	}
	mac := hmac.New(sha256.New, []byte(lkSecret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if got := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); got != parts[2] {
		t.Fatalf("token signature does not verify with the LiveKit secret")
	}
	var header struct{ Alg string }
	decodeSegment(t, parts[0], &header)
	if header.Alg != "HS256" {
		t.Fatalf("token alg %q, want HS256", header.Alg)
	}
	var claims struct {
		Iss        string            `json:"iss"`
		Sub        string            `json:"sub"`
		Name       string            `json:"name"`
		Nbf        int64             `json:"nbf"`
		Exp        int64             `json:"exp"`
		Video      map[string]any    `json:"video"`
		Attributes map[string]string `json:"attributes"`
		Metadata   string            `json:"metadata"`
	}
	decodeSegment(t, parts[1], &claims)
	if claims.Iss != lkKey {
		t.Errorf("token issuer %q, want the API key %q", claims.Iss, lkKey)
	}
	if claims.Metadata != "" {
		t.Errorf("token carries metadata %q; attributes replaced it", claims.Metadata)
	}
	return lkToken{Identity: claims.Sub, Name: claims.Name, Video: claims.Video, Attributes: claims.Attributes,
		TTL: time.Duration(claims.Exp-claims.Nbf) * time.Second}
}

func decodeSegment(t testing.TB, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("token segment: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("token segment %s: %v", b, err)
	}
}

var (
	uuidPattern  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	colorPattern = regexp.MustCompile(`^hsl\(\d{1,3}, \d{1,3}%, \d{1,3}%\)$`)
)

// allSources are the publish sources owners and administrators always get.
var allSources = []any{"camera", "microphone", "screen_share", "screen_share_audio"}

// videoGrant is the LiveKit video grant a participant should hold: admin
// rights for owners and administrators, and the given publish sources.
func videoGrant(room string, admin bool, sources []any) map[string]any {
	g := map[string]any{
		"roomJoin": true, "room": room, "canSubscribe": true, "canPublishData": true,
		"canPublish": len(sources) > 0, "canUpdateOwnMetadata": false,
	}
	if admin {
		g["roomAdmin"] = true
	}
	if len(sources) > 0 {
		g["canPublishSources"] = sources
	}
	return g
}

// checkToken compares a decoded token with what the caller should hold.
// For guests (identity ""), the identity must be a fresh random UUID.
func checkToken(t testing.TB, got lkToken, identity, name, role string, video map[string]any) {
	t.Helper()
	if identity == "" {
		if !uuidPattern.MatchString(got.Identity) {
			t.Errorf("guest identity %q is not a random UUID", got.Identity)
		}
	} else if got.Identity != identity {
		t.Errorf("identity %q, want %q", got.Identity, identity)
	}
	if got.Name != name {
		t.Errorf("name %q, want %q", got.Name, name)
	}
	if diff := cmp.Diff(video, got.Video); diff != "" {
		t.Errorf("video grant (-want +got):\n%s", diff)
	}
	wantAttrs := map[string]string{"color": rooms.ColorFor(got.Identity), "is_authenticated": fmt.Sprint(identity != "")}
	if role != "" {
		wantAttrs["room_role"] = role
	}
	if diff := cmp.Diff(wantAttrs, got.Attributes); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	if !colorPattern.MatchString(got.Attributes["color"]) {
		t.Errorf("color %q is not an HSL colour", got.Attributes["color"])
	}
	if got.TTL != livekit.DefaultTokenTTL {
		t.Errorf("token lifetime %v, want %v", got.TTL, livekit.DefaultTokenTTL)
	}
}

// cast is a room with one person of every kind around it.
type cast struct {
	room     *rooms.Room
	users    map[string]*users.User // by persona; none for anonymous
	clients  map[string]*apiClient  // by persona
	accessID map[string]string      // by persona with a role
}

// newCast stores a room with the given access level and configuration, an
// owner, an administrator and a member (created in that order, so listed
// newest first: member, administrator, owner), a signed-in user without
// access, and a client for each of them and for an anonymous caller.
func (e *apiEnv) newCast(t testing.TB, level rooms.AccessLevel, cfg rooms.Configuration) *cast {
	t.Helper()
	n := e.next()
	c := &cast{users: map[string]*users.User{}, clients: map[string]*apiClient{}, accessID: map[string]string{}}
	for _, p := range []struct{ persona, name string }{
		{asOwner, "olive"}, {asAdmin, "adam"}, {asMember, "mia"}, {outsider, "oscar"},
	} {
		c.users[p.persona] = e.newUser(t, fmt.Sprintf("%s%d", p.name, n))
	}
	if cfg == nil {
		cfg = rooms.Configuration{}
	}
	c.room = &rooms.Room{Name: fmt.Sprintf("Team Room %d", n), Slug: fmt.Sprintf("team-room-%d", n), AccessLevel: level, Configuration: cfg}
	ctx := context.Background()
	if err := e.db.CreateRoom(ctx, c.room, c.users[asOwner].ID); err != nil {
		t.Fatalf("create room: %v", err)
	}
	for _, p := range []string{asAdmin, asMember} {
		a := &rooms.Access{UserID: c.users[p].ID, RoomID: c.room.ID, Role: rooms.Role(p)}
		if err := e.db.CreateAccess(ctx, a); err != nil {
			t.Fatalf("create access: %v", err)
		}
		c.accessID[p] = a.ID
	}
	list, err := e.db.AccessesOfRoom(ctx, c.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Role == rooms.Owner {
			c.accessID[asOwner] = a.ID
		}
	}
	c.clients[anonymous] = e.anonymous()
	for p, u := range c.users {
		c.clients[p] = e.signIn(t, u)
	}
	return c
}

// accessesJSON is the "accesses" list administrators see, newest first.
func (c *cast) accessesJSON() []any {
	var out []any
	for _, p := range []string{asMember, asAdmin, asOwner} {
		out = append(out, map[string]any{
			"id": c.accessID[p], "resource": c.room.ID, "role": p, "user": userJSON(c.users[p]),
		})
	}
	return out
}

// userJSON is a user as shown in a room's access list.
func userJSON(u *users.User) map[string]any {
	return map[string]any{
		"id": u.ID, "email": u.Email, "full_name": u.FullName, "short_name": u.ShortName,
		"timezone": "UTC", "language": "en-us",
	}
}

// detail is the reference's {"detail": msg} error body.
func detail(msg string) map[string]any { return map[string]any{"detail": msg} }

// fields is the reference's validation error body {"field": [msg]}.
func fields(kv ...string) map[string]any {
	out := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = []any{kv[i+1]}
	}
	return out
}

// roomByID loads a room from the store (nil when it is gone).
func (e *apiEnv) roomByID(t testing.TB, id string) *rooms.Room {
	t.Helper()
	r, err := e.db.RoomByID(context.Background(), id)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		t.Fatalf("room by id: %v", err)
	}
	return r
}

// roomCount returns how many rooms the user has a role in.
func (e *apiEnv) roomCount(t testing.TB, userID string) int {
	t.Helper()
	_, n, err := e.db.ListRoomsForUser(context.Background(), userID, rooms.Page{Number: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// roleOf returns the user's stored role in the room.
func (e *apiEnv) roleOf(t testing.TB, roomID, userID string) rooms.Role {
	t.Helper()
	r, err := e.db.RoleOf(context.Background(), roomID, userID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
