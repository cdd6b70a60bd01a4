package httpapi_test

// Analytics events through the real router to a PostHog-compatible capture
// server on loopback: which requests record which events, with which
// properties, and that no e-mail address ever leaves the server.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/analytics"
	"meet/internal/applications"
	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// capturedEvent is one event of PostHog's batch API as the capture server got it.
type capturedEvent struct {
	Event      string         `json:"event"`
	DistinctID string         `json:"distinct_id"`
	Properties map[string]any `json:"properties"`
}

// captureServer is a PostHog stand-in on loopback. Its mode says how it
// answers /batch/: "ok" (200, events recorded), "fail" (500) or "hang"
// (never answers until the test ends).
type captureServer struct {
	*httptest.Server
	mode   atomic.Value // string
	events chan capturedEvent
	mu     sync.Mutex
	raw    []byte // every accepted body, for searching
	hung   chan struct{}
}

func newCaptureServer(t testing.TB, mode string) *captureServer {
	t.Helper()
	c := &captureServer{events: make(chan capturedEvent, 100_000), hung: make(chan struct{})}
	c.mode.Store(mode)
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch c.mode.Load().(string) {
		case "fail":
			w.WriteHeader(http.StatusInternalServerError)
			return
		case "hang":
			select {
			case <-c.hung:
			case <-r.Context().Done():
			}
			return
		}
		var batch struct {
			APIKey string          `json:"api_key"`
			Batch  []capturedEvent `json:"batch"`
		}
		if r.URL.Path != "/batch/" || json.Unmarshal(body, &batch) != nil || batch.APIKey != "phc_test" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.raw = append(c.raw, body...)
		c.mu.Unlock()
		for _, ev := range batch.Batch {
			c.events <- ev
		}
	}))
	t.Cleanup(func() { close(c.hung); c.Close() })
	return c
}

// next waits for the next event, failing the test after a deadline.
func (c *captureServer) next(t testing.TB) capturedEvent {
	t.Helper()
	select {
	case ev := <-c.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no analytics event within 10 s")
		return capturedEvent{}
	}
}

// body returns everything the capture server accepted.
func (c *captureServer) body() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.raw)
}

// startPostHog builds the analytics client sending to c and runs it until
// the test ends.
func startPostHog(t testing.TB, c *captureServer) *analytics.PostHog {
	t.Helper()
	ph, err := analytics.NewPostHog(analytics.Options{
		APIKey: "phc_test", Host: c.URL, FlushInterval: 5 * time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, FlushTimeout: time.Second,
		RequestTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = ph.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return ph
}

// The analytics client is what cmd/meet hands the server.
var _ httpapi.Analytics = (*analytics.PostHog)(nil)

const analyticsTestKey = "analytics key of the analytics test, 32+"

func TestAnalyticsEvents(t *testing.T) {
	capture := newCaptureServer(t, "ok")
	ph := startPostHog(t, capture)
	env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
		db := d.Users.(*storage.DB)
		hasher := local.Argon2id{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
		if _, err := local.NewAccounts(db, hasher, nil, nil).Add(context.Background(), "dora@example.com", "Dora Explorer", "map-and-backpack"); err != nil {
			t.Fatal(err)
		}
		a, err := local.NewAuthenticator(db, hasher, local.DefaultLimits(cache.NewLimiterMemory(nil), 1), nil)
		if err != nil {
			t.Fatal(err)
		}
		d.LocalLogin, d.Analytics, d.AnalyticsKey = a, ph, []byte(analyticsTestKey)
		d.Lobby = lobby.NewService(lobby.Deps{Rooms: d.Rooms, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
			Limiter: cache.NewLimiterMemory(nil), Log: d.Log}, lobby.Options{ThrottleLimit: -1, WaitingTTL: time.Hour})
	}))

	// Sign-in: identify with the anonymised e-mail.
	login := env.anonymous().do(t, http.MethodPost, "/local-login/", map[string]string{"email": "dora@example.com", "password": "map-and-backpack"})
	if login.status != http.StatusNoContent {
		t.Fatalf("local-login = %d %s", login.status, login.body)
	}
	dora, err := env.db.UserByEmail(context.Background(), "dora@example.com")
	if err != nil {
		t.Fatal(err)
	}
	want := capturedEvent{Event: "$identify", DistinctID: dora.ID, Properties: map[string]any{
		"$lib": "meet", "$set": map[string]any{"email_anonymized": users.AnonymizedEmail([]byte(analyticsTestKey), "dora@example.com")},
	}}
	expectEvent(t, capture, want)

	// Room creation, with and without a creation callback.
	owner := env.userClient(t, "olga")
	created := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Analytics room", "access_level": "restricted", "callback_id": "cb-1"})
	if created.status != http.StatusCreated {
		t.Fatalf("create = %d %s", created.status, created.body)
	}
	room := created.decoded(t).(map[string]any)
	roomID := room["id"].(string)
	expectEvent(t, capture, capturedEvent{Event: "room_created", DistinctID: owner.user.ID, Properties: map[string]any{
		"$lib": "meet", "room_id": roomID, "access_level": "restricted", "from_callback": true,
	}})
	if r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Second room"}); r.status != http.StatusCreated {
		t.Fatalf("create = %d %s", r.status, r.body)
	} else {
		id := r.decoded(t).(map[string]any)["id"]
		expectEvent(t, capture, capturedEvent{Event: "room_created", DistinctID: owner.user.ID, Properties: map[string]any{
			"$lib": "meet", "room_id": id, "access_level": "public", "from_callback": false,
		}})
	}

	// A LiveKit token handed out to a signed-in user; anonymous callers are not tracked.
	if r := env.anonymous().do(t, http.MethodGet, "/rooms/"+roomID+"/", nil); r.status != http.StatusOK {
		t.Fatalf("anonymous retrieve = %d", r.status)
	}
	if r := owner.do(t, http.MethodGet, "/rooms/"+roomID+"/", nil); r.status != http.StatusOK {
		t.Fatalf("retrieve = %d %s", r.status, r.body)
	}
	expectEvent(t, capture, capturedEvent{Event: "room_token_issued", DistinctID: owner.user.ID, Properties: map[string]any{
		"$lib": "meet", "room_id": roomID, "slug": room["slug"], "access_level": "restricted",
	}})

	// Lobby: a guest knocks, the owner lets them in.
	knock := env.anonymous().do(t, http.MethodPost, "/rooms/"+roomID+"/request-entry/", map[string]string{"username": "Guest"})
	if knock.status != http.StatusOK {
		t.Fatalf("request-entry = %d %s", knock.status, knock.body)
	}
	guest := knock.decoded(t).(map[string]any)["id"]
	if r := owner.do(t, http.MethodPost, "/rooms/"+roomID+"/enter/", map[string]any{"participant_id": guest, "allow_entry": true}); r.status != http.StatusOK {
		t.Fatalf("enter = %d %s", r.status, r.body)
	}
	expectEvent(t, capture, capturedEvent{Event: "lobby_participant_admitted", DistinctID: owner.user.ID, Properties: map[string]any{
		"$lib": "meet", "room_id": roomID,
	}})

	// Sign-out.
	if r := owner.do(t, http.MethodGet, "/logout/", nil); r.status != http.StatusFound {
		t.Fatalf("logout = %d %s", r.status, r.body)
	}
	expectEvent(t, capture, capturedEvent{Event: "signed_out", DistinctID: owner.user.ID, Properties: map[string]any{"$lib": "meet"}})

	for _, email := range []string{"dora@example.com", "olga@example.com", "@example.com"} {
		if strings.Contains(capture.body(), email) {
			t.Errorf("an e-mail address (%s) reached the analytics service:\n%s", email, capture.body())
		}
	}
	select {
	case ev := <-capture.events:
		t.Errorf("unexpected event %+v", ev)
	default:
	}
}

// expectEvent waits for the next event and compares it with want.
func expectEvent(t *testing.T, c *captureServer, want capturedEvent) {
	t.Helper()
	got := c.next(t)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("analytics event (-want +got):\n%s", diff)
	}
}

// TestAnalyticsServiceDownLosesNothing creates rooms while the analytics
// service fails (500) and then hangs: every request still succeeds, and once
// the service answers again every event arrives, once.
func TestAnalyticsServiceDownLosesNothing(t *testing.T) {
	capture := newCaptureServer(t, "fail")
	ph := startPostHog(t, capture)
	env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) { d.Analytics = ph }))
	owner := env.userClient(t, "olga")
	created := map[string]bool{}
	create := func(n int) {
		for range n {
			r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Room " + itoa(len(created))})
			if r.status != http.StatusCreated {
				t.Fatalf("create = %d %s", r.status, r.body)
			}
			created[r.decoded(t).(map[string]any)["id"].(string)] = true
		}
	}
	create(20)
	capture.mode.Store("hang")
	create(20)
	capture.mode.Store("ok")
	for len(created) > 0 {
		ev := capture.next(t)
		id, _ := ev.Properties["room_id"].(string)
		if ev.Event != "room_created" || !created[id] {
			t.Fatalf("unexpected or repeated event %+v", ev)
		}
		delete(created, id)
	}
}

// TestAnalyticsIdentifyAtOIDCSignIn checks the OIDC callback identifies the
// user, at sign-up (first sign-in, the user is created) and at each later
// sign-in, with the anonymised e-mail and never the address.
func TestAnalyticsIdentifyAtOIDCSignIn(t *testing.T) {
	capture := newCaptureServer(t, "ok")
	ph := startPostHog(t, capture)
	env := newSignInEnv(t, func(d *httpapi.Deps) { d.Analytics, d.AnalyticsKey = ph, []byte(analyticsTestKey) })
	for _, attempt := range []string{"sign-up", "sign-in"} {
		env.login(newBrowser(t), "/", "carol")
		u, err := env.db.UserByEmail(context.Background(), "carol@example.com")
		if err != nil {
			t.Fatalf("%s: %v", attempt, err)
		}
		expectEvent(t, capture, capturedEvent{Event: "$identify", DistinctID: u.ID, Properties: map[string]any{
			"$lib": "meet", "$set": map[string]any{"email_anonymized": users.AnonymizedEmail([]byte(analyticsTestKey), "carol@example.com")},
		}})
	}
	if strings.Contains(capture.body(), "carol@example.com") {
		t.Errorf("the e-mail address reached the analytics service:\n%s", capture.body())
	}
}

// TestAnalyticsExternalRoomCreated checks a room created through the
// external API is recorded as the reference records it, for the user the
// application acts for, without the user's e-mail address.
func TestAnalyticsExternalRoomCreated(t *testing.T) {
	capture := newCaptureServer(t, "ok")
	ph := startPostHog(t, capture)
	ee := newExtEnv(t, storagetest.SQLite, applications.Options{}, func(d *httpapi.Deps) { d.Analytics = ph })
	user := ee.newUser(t, "erin")
	clientID, secret := ee.addApp(t, allScopes)
	r := ee.ext(t, http.MethodPost, "/rooms/", ee.token(t, clientID, secret, user.Email), map[string]any{})
	if r.status != http.StatusCreated {
		t.Fatalf("external create = %d %s", r.status, r.body)
	}
	room := r.decoded(t).(map[string]any)
	expectEvent(t, capture, capturedEvent{Event: "room_created", DistinctID: user.ID, Properties: map[string]any{
		"$lib": "meet", "room_id": room["id"], "access_level": room["access_level"], "external_api": true,
		"client_id": clientID, "auth_method": "application",
	}})
	if strings.Contains(capture.body(), user.Email) {
		t.Errorf("the e-mail address reached the analytics service:\n%s", capture.body())
	}
}
