package withsfu_test

// A copy of the part of httpapi's test helpers (apitest_test.go,
// recordings_test.go, incall_support_test.go) the tests of this package
// use: a real httpapi.Server over a real database, signed-in clients with
// session and CSRF cookies, and replies compared as JSON. Kept short: the
// tests here compare no LiveKit token in a body (a token in a reply would
// fail the comparison), so the token checks of httpapi's expect are left out.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/auth"
	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/livekit/livekittest"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// TestMain lets storagetest drop this package's PostgreSQL test database when
// MEET_TEST_DATABASE_URL is set.
func TestMain(m *testing.M) { storagetest.Main(m) }

// TestLiveKitSFUChild is the child process of livekittest.StartSFU.
func TestLiveKitSFUChild(t *testing.T) { livekittest.ServeSFUChild(t) }

// The settings every test server runs with.
const (
	apiV1      = "/api/v1.0"
	testPublic = "http://meet.test"
	lkKey      = "meet-test-key"
	lkSecret   = "meet-test-secret-0123456789abcdef0123456789"
	lkURL      = "wss://sfu.meet.test"
	testIssuer = "https://idp.meet.test"
)

// The people a request can come from.
const (
	anonymous = "anonymous"
	outsider  = "authenticated without access"
	asMember  = "member"
	asAdmin   = "administrator"
	asOwner   = "owner"
)

// Tokens of the recording hooks in tests.
const (
	recSummaryHookToken = "summary-hook-token"
	recStorageToken     = "storage-hook-token"
	recBucket           = "meet-media"
)

// Bodies of the in-call actions.
var (
	errNotInCall = map[string]any{"error": "Participant not found"}
	okBody       = map[string]any{"status": "success"}
)

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

// noMediaServer stands in for the SFU for room metadata only.
type noMediaServer struct{}

func (noMediaServer) MergeRoomMetadata(context.Context, string, map[string]any) error { return nil }

// apiEnv is one meet HTTP server over one fresh database.
type apiEnv struct {
	db       *storage.DB
	srv      *httpapi.Server
	seq      atomic.Int64
	sessions auth.SessionStore
}

// envConfig is what an apiEnv is built from; options edit it.
type envConfig struct {
	rooms rooms.Options
	deps  func(d *httpapi.Deps)
	// realClock keeps the database on the wall clock (these tests run long
	// enough for the ticking test clock to expire sessions).
	realClock bool
}

type envOption func(*envConfig)

// withDeps changes the server's dependencies before it is built.
func withDeps(f func(d *httpapi.Deps)) envOption {
	return func(c *envConfig) { c.deps = f }
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
	cfg.rooms.Accounts = db
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tokens := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL})
	svc := rooms.NewService(db, db, tokens, noMediaServer{}, cfg.rooms, log)
	pub, _ := url.Parse(testPublic)
	d := httpapi.Deps{Log: log, PublicURL: pub, Rooms: svc, Users: db, Sessions: db}
	if cfg.deps != nil {
		cfg.deps(&d)
	}
	srv, err := httpapi.New(d)
	if err != nil {
		t.Fatalf("httpapi.New: %v", err)
	}
	return &apiEnv{db: db, srv: srv, sessions: d.Sessions}
}

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
	session string
	csrf    string
}

// signIn stores a session for u, as a sign-in does, and fetches users/me/
// once to receive the csrftoken cookie like a browser would.
func (e *apiEnv) signIn(t testing.TB, u *users.User) *apiClient {
	t.Helper()
	s := auth.NewSession(u.ID, nil, time.Now(), 365*24*time.Hour)
	if err := e.sessions.Save(context.Background(), s); err != nil {
		t.Fatalf("save session: %v", err)
	}
	c := &apiClient{env: e, session: s.ID}
	r := c.do(t, http.MethodGet, "/users/me/", nil)
	if r.status != http.StatusOK {
		t.Fatalf("users/me/ after sign-in: %d %s", r.status, r.body)
	}
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == httpapi.CSRFCookie {
			c.csrf = ck.Value
		}
	}
	if c.csrf == "" {
		t.Fatal("no csrftoken cookie handed out to a signed-in client")
	}
	return c
}

// request builds a request to apiV1+path. body is nil (none), a string
// (sent as is), or a value encoded as JSON. Signed-in clients send their
// cookies, and the CSRF header on unsafe methods.
func (c *apiClient) request(t testing.TB, method, path string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
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
		if method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions {
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

// doAuth sends a request with an Authorization header (a LiveKit token).
func (c *apiClient) doAuth(t testing.TB, method, path string, body any, authz string) reply {
	t.Helper()
	req := c.request(t, method, path, body)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	return c.env.serve(req)
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

// expect checks the status and the JSON body of r against want (a Go value
// compared through JSON). Every error reply must carry an X-Request-Id.
func expect(t testing.TB, r reply, status int, want any) {
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
	var got any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("reply %d is not JSON: %v\n%s", r.status, err, r.body)
	}
	raw, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON any
	if err := json.Unmarshal(raw, &wantJSON); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Fatalf("body mismatch (-want +got):\n%s\nraw: %s", diff, r.body)
	}
}

// message is the {"message": msg} body of the recording actions.
func message(msg string) map[string]any { return map[string]any{"message": msg} }

// cast is a room with one person of every kind around it.
type cast struct {
	room    *rooms.Room
	users   map[string]*users.User // by persona; none for anonymous
	clients map[string]*apiClient  // by persona
}

// newCast stores a room with the given access level and configuration, an
// owner, an administrator and a member, a signed-in user without access,
// and a client for each of them and for an anonymous caller.
func (e *apiEnv) newCast(t testing.TB, level rooms.AccessLevel, cfg rooms.Configuration) *cast {
	t.Helper()
	n := e.seq.Add(1)
	c := &cast{users: map[string]*users.User{}, clients: map[string]*apiClient{}}
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
		if err := e.db.CreateAccess(ctx, &rooms.Access{UserID: c.users[p].ID, RoomID: c.room.ID, Role: rooms.Role(p)}); err != nil {
			t.Fatalf("create access: %v", err)
		}
	}
	c.clients[anonymous] = &apiClient{env: e}
	for p, u := range c.users {
		c.clients[p] = e.signIn(t, u)
	}
	return c
}

// recEnv is an API server with recordings on, storing files in a temporary
// directory.
type recEnv struct {
	*apiEnv
	svc   *recordings.Service
	files *recordings.LocalStore
}

// newRecEnv builds a server whose recordings settings edit may change.
func newRecEnv(t testing.TB, e storagetest.Engine, edit func(c *recordings.Config), opts ...envOption) *recEnv {
	t.Helper()
	re := &recEnv{files: recordings.NewLocalStore(t.TempDir())}
	cfg := recordings.Config{
		Enabled: true, StorageEventEnabled: true, StorageEventToken: recStorageToken, StorageBucket: recBucket,
		SummaryWebhookToken: recSummaryHookToken,
		Notify:              recordings.NotifyConfig{DownloadBaseURL: "http://meet.test/recordings", APIBaseURL: "http://meet.test/api/v1.0", SigningKey: []byte("k")},
	}
	if edit != nil {
		edit(&cfg)
	}
	opts = append(opts, withDeps(func(d *httpapi.Deps) {
		db := d.Users.(*storage.DB)
		re.svc = recordings.NewService(db, d.Rooms, re.files, cfg, d.Log, nil)
		d.Recordings = re.svc
	}))
	re.apiEnv = newAPIEnv(t, e, opts...)
	return re
}

func (re *recEnv) recording(t testing.TB, id string) *recordings.Recording {
	t.Helper()
	r, err := re.db.RecordingByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runWorker runs w until the test ends.
func runWorker(t testing.TB, w *recordings.Worker) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Error("worker did not stop within 60s")
		}
	})
}

// waitUntil polls cond every 20 ms until it holds or fails the test after d.
func waitUntil(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
