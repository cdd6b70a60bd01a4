package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/auth"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

const lobbyAPI = "/api/v1.0/rooms/"

// lobbyTokens signs nothing: a token spells out identity, colour, name and role.
type lobbyTokens struct{}

func (lobbyTokens) Issue(g rooms.JoinGrant) (rooms.LiveKitInfo, error) {
	return rooms.LiveKitInfo{URL: "wss://lk.test", Room: g.Room,
		Token: g.Identity + "|" + g.Attributes["color"] + "|" + g.Name + "|" + g.Attributes["room_role"]}, nil
}

// lobbyCaller is one signed-in user (or the anonymous caller, with no session).
type lobbyCaller struct {
	name    string
	user    *users.User
	session string
}

// lobbyEnv is the real router over a fresh database with three rooms (one
// per access level) whose owner, administrator and member are known users.
type lobbyEnv struct {
	t       *testing.T
	srv     *httpapi.Server
	db      *storage.DB
	lobby   *lobby.Service
	rooms   map[rooms.AccessLevel]*rooms.Room
	callers []lobbyCaller // anonymous, signed-in without role, member, administrator, owner
	clock   *lobbyClock
}

type lobbyClock struct{ now time.Time }

func (c *lobbyClock) Now() time.Time { return c.now }

func newLobbyEnv(t *testing.T, publicURL string, opts lobby.Options, more ...lobbyEnvOption) *lobbyEnv {
	t.Helper()
	cfg := lobbyEnvConfig{engine: storagetest.SQLite}
	for _, o := range more {
		o(&cfg)
	}
	ctx := context.Background()
	db := cfg.engine.Open(t)
	e := &lobbyEnv{t: t, db: db, rooms: map[rooms.AccessLevel]*rooms.Room{}, clock: &lobbyClock{now: time.Now()}}
	e.callers = []lobbyCaller{{name: "anonymous"}}
	for _, name := range []string{"signed-in without role", "member", "administrator", "owner"} {
		u := &users.User{Sub: "sub-" + strings.ReplaceAll(name, " ", "-"), Issuer: "test", Email: strings.ReplaceAll(name, " ", ".") + "@example.org", FullName: name, IsActive: true}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		sid := rooms.NewID()
		if err := db.Save(ctx, auth.Session{ID: sid, UserID: u.ID, Values: map[string]string{"csrf": "csrf-" + sid}, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		e.callers = append(e.callers, lobbyCaller{name: name, user: u, session: sid})
	}
	ownerID := e.callers[4].user.ID
	for _, level := range []rooms.AccessLevel{rooms.Public, rooms.Trusted, rooms.Restricted} {
		r := &rooms.Room{Name: "Room " + string(level), Slug: "room-" + string(level), AccessLevel: level, Configuration: rooms.Configuration{}}
		if err := db.CreateRoom(ctx, r, ownerID); err != nil {
			t.Fatal(err)
		}
		for i, role := range map[int]rooms.Role{2: rooms.Member, 3: rooms.Administrator} {
			if err := db.CreateAccess(ctx, &rooms.Access{UserID: e.callers[i].user.ID, RoomID: r.ID, Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		e.rooms[level] = r
	}
	log := slog.New(slog.DiscardHandler)
	rs := rooms.NewService(db, db, lobbyTokens{}, nil, rooms.Options{AuthenticatedCanEditName: true}, log)
	ld := lobby.Deps{
		Rooms: rs, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
		Limiter: cache.NewLimiterMemory(e.clock.Now), Log: log, Key: []byte("lobby test instance key"),
	}
	if cfg.backend != nil {
		cfg.backend(t, &ld)
	}
	svc := lobby.NewService(ld, opts)
	pub, _ := url.Parse(publicURL)
	d := httpapi.Deps{Log: log, PublicURL: pub, Rooms: rs, Users: db, Sessions: db, Lobby: svc, LobbyHeartbeat: 50 * time.Millisecond}
	if cfg.deps != nil {
		cfg.deps(&d)
	}
	srv, err := httpapi.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.srv, e.lobby = srv, svc
	return e
}

// request builds a request as caller c, with the lobby cookie when not empty.
func (e *lobbyEnv) request(c lobbyCaller, method, path, body, cookie string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if c.session != "" {
		r.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: c.session})
		r.AddCookie(&http.Cookie{Name: httpapi.CSRFCookie, Value: "csrf-" + c.session})
		r.Header.Set(httpapi.CSRFHeader, "csrf-"+c.session)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: httpapi.LobbyCookie, Value: cookie})
	}
	return r
}

// do serves one request and returns the status, the decoded JSON body and the response.
func (e *lobbyEnv) do(c lobbyCaller, method, path, body, cookie string) (int, any, *http.Response) {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, e.request(c, method, path, body, cookie))
	res := w.Result()
	var v any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		e.t.Fatalf("%s %s: %d, body %q is not JSON", method, path, w.Code, w.Body.String())
	}
	return w.Code, v, res
}

// jsonOf round-trips v to the shape a decoded JSON body has.
func (e *lobbyEnv) knock(room *rooms.Room, name string) string {
	e.t.Helper()
	status, body, _ := e.do(e.callers[0], "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"`+name+`"}`, "")
	if status != http.StatusOK {
		e.t.Fatalf("knock: %d %v", status, body)
	}
	return body.(map[string]any)["id"].(string)
}

var (
	bodyUnauthenticated = map[string]any{"detail": "Authentication credentials were not provided."}
	bodyForbidden       = map[string]any{"detail": "You do not have permission to perform this action."}
)

func TestLobbyRequestEntryMatrix(t *testing.T) {
	e := newLobbyEnv(t, "http://meet.test", lobby.Options{})
	roles := map[string]rooms.Role{"member": rooms.Member, "administrator": rooms.Administrator, "owner": rooms.Owner}
	for level, room := range e.rooms {
		for _, c := range e.callers {
			t.Run(string(level)+"/"+c.name, func(t *testing.T) {
				pid := rooms.NewID()
				cookie := e.lobby.Cookie(pid)
				status, body, res := e.do(c, "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"Ada"}`, cookie)
				want := map[string]any{"id": pid, "username": "Ada", "status": "waiting", "color": rooms.ColorFor(pid), "livekit": nil}
				if rooms.CanJoinDirectly(level, c.user != nil, roles[c.name]) {
					identity := pid
					if c.user != nil {
						identity = c.user.Sub
					}
					want["status"] = "accepted"
					want["livekit"] = map[string]any{"url": "wss://lk.test", "room": room.ID,
						"token": identity + "|" + rooms.ColorFor(pid) + "|Ada|" + string(roles[c.name])}
				}
				if status != http.StatusOK {
					t.Fatalf("status %d %v", status, body)
				}
				if d := cmp.Diff(want, body); d != "" {
					t.Fatalf("body (-want +got):\n%s", d)
				}
				if got := lobbyCookieOf(res); got == nil || got.Value != cookie {
					t.Fatalf("lobby cookie = %+v", got)
				}
			})
		}
	}
}

func TestLobbyWaitingParticipantsMatrix(t *testing.T) {
	e := newLobbyEnv(t, "http://meet.test", lobby.Options{})
	waiting := map[rooms.AccessLevel]string{}
	for _, level := range []rooms.AccessLevel{rooms.Trusted, rooms.Restricted} {
		waiting[level] = e.knock(e.rooms[level], "Ada")
	}
	for level, room := range e.rooms {
		for _, c := range e.callers {
			t.Run(string(level)+"/"+c.name, func(t *testing.T) {
				status, body, _ := e.do(c, "GET", lobbyAPI+room.ID+"/waiting-participants/", "", "")
				var wantStatus int
				var want any
				switch c.name {
				case "anonymous":
					wantStatus, want = http.StatusUnauthorized, bodyUnauthenticated
				case "signed-in without role", "member":
					wantStatus, want = http.StatusForbidden, bodyForbidden
				default:
					wantStatus, want = http.StatusOK, map[string]any{"participants": []any{}}
					if id, ok := waiting[level]; ok {
						want = map[string]any{"participants": []any{map[string]any{
							"id": id, "username": "Ada", "status": "waiting", "color": rooms.ColorFor(id)}}}
					}
				}
				if status != wantStatus {
					t.Fatalf("status %d, want %d (%v)", status, wantStatus, body)
				}
				if d := cmp.Diff(want, body); d != "" {
					t.Fatalf("body (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestLobbyEnterMatrix(t *testing.T) {
	e := newLobbyEnv(t, "http://meet.test", lobby.Options{})
	for level, room := range e.rooms {
		for _, c := range e.callers {
			t.Run(string(level)+"/"+c.name, func(t *testing.T) {
				id := rooms.NewID()
				if level != rooms.Public {
					id = e.knock(room, "Ada")
				}
				status, body, _ := e.do(c, "POST", lobbyAPI+room.ID+"/enter/", `{"participant_id":"`+id+`","allow_entry":true}`, "")
				var wantStatus int
				var want any
				switch {
				case c.name == "anonymous":
					wantStatus, want = http.StatusUnauthorized, bodyUnauthenticated
				case c.name == "signed-in without role" || c.name == "member":
					wantStatus, want = http.StatusForbidden, bodyForbidden
				case level == rooms.Public:
					wantStatus, want = http.StatusNotFound, map[string]any{"message": "Room has no lobby system."}
				default:
					wantStatus, want = http.StatusOK, map[string]any{"message": "Participant was updated."}
				}
				if status != wantStatus {
					t.Fatalf("status %d, want %d (%v)", status, wantStatus, body)
				}
				if d := cmp.Diff(want, body); d != "" {
					t.Fatalf("body (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestLobbyErrors(t *testing.T) {
	e := newLobbyEnv(t, "https://meet.test", lobby.Options{ThrottleLimit: 2})
	owner, room := e.callers[4], e.rooms[rooms.Restricted]
	cases := []struct {
		name, method, path, body string
		caller                   lobbyCaller
		status                   int
		want                     any
	}{
		{"missing username", "POST", room.ID + "/request-entry/", `{}`, e.callers[0], 400, map[string]any{"username": []any{"This field is required."}}},
		{"unknown room", "POST", rooms.NewID() + "/request-entry/", `{"username":"A"}`, e.callers[0], 404, map[string]any{"detail": "No Room matches the given query."}},
		{"unknown participant", "POST", room.ID + "/enter/", `{"participant_id":"` + rooms.NewID() + `","allow_entry":false}`, owner, 404, map[string]any{"message": "Participant not found."}},
		{"enter without fields", "POST", room.ID + "/enter/", `{}`, owner, 400, map[string]any{"participant_id": []any{"This field is required."}, "allow_entry": []any{"This field is required."}}},
		{"enter with a bad id", "POST", room.ID + "/enter/", `{"participant_id":"nope","allow_entry":true}`, owner, 400, map[string]any{"participant_id": []any{"Must be a valid UUID."}}},
		{"enter with a bad flag", "POST", room.ID + "/enter/", `{"participant_id":"` + rooms.NewID() + `","allow_entry":"maybe"}`, owner, 400, map[string]any{"allow_entry": []any{"Must be a valid boolean."}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := e.do(c.caller, c.method, lobbyAPI+c.path, c.body, "")
			if status != c.status {
				t.Fatalf("status %d, want %d (%v)", status, c.status, body)
			}
			if d := cmp.Diff(c.want, body); d != "" {
				t.Fatalf("body (-want +got):\n%s", d)
			}
		})
	}

	t.Run("cookie attributes over https", func(t *testing.T) {
		_, _, res := e.do(e.callers[0], "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"A"}`, "")
		c := lobbyCookieOf(res)
		if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 0 {
			t.Fatalf("cookie = %+v", c)
		}
	})

	t.Run("throttle per cookie; cookieless knocks only per address", func(t *testing.T) {
		for range 4 {
			if status, body, _ := e.do(e.callers[0], "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"A"}`, ""); status != 200 {
				t.Fatalf("cookieless: %d %v", status, body)
			}
		}
		pid := e.lobby.Cookie(rooms.NewID())
		for range 2 {
			if status, body, _ := e.do(e.callers[0], "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"A"}`, pid); status != 200 {
				t.Fatalf("with cookie: %d %v", status, body)
			}
		}
		e.clock.now = e.clock.now.Add(time.Second)
		status, body, res := e.do(e.callers[0], "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"A"}`, pid)
		want := map[string]any{"detail": "Request was throttled. Expected available in 59 seconds."}
		if status != http.StatusTooManyRequests || cmp.Diff(want, body) != "" || res.Header.Get("Retry-After") != "59" {
			t.Fatalf("third call: %d %v Retry-After=%q", status, body, res.Header.Get("Retry-After"))
		}
	})
}

func lobbyCookieOf(res *http.Response) *http.Cookie {
	var last *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == httpapi.LobbyCookie {
			last = c
		}
	}
	return last
}

// sseEvent is one Server-Sent Event.
type sseEvent struct {
	name string
	data map[string]any
}

// readEvents streams the events of an SSE response to a channel, skipping comments.
func readEvents(t *testing.T, body io.Reader) <-chan sseEvent {
	out := make(chan sseEvent, 64)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data); err != nil {
					t.Errorf("bad data %q", line)
				}
			case line == "" && ev.name != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out
}

func nextEvent(t *testing.T, c <-chan sseEvent, what string) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c:
		if !ok {
			t.Fatalf("stream closed before %s", what)
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s within 5 s", what)
	}
	panic("unreachable")
}

func TestLobbyStreams(t *testing.T) {
	e := newLobbyEnv(t, "http://meet.test", lobby.Options{ListMinInterval: time.Millisecond})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	owner, room := e.callers[4], e.rooms[rooms.Restricted]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func(c lobbyCaller, path, cookie string) *http.Response {
		t.Helper()
		r := e.request(c, "GET", ts.URL+lobbyAPI+room.ID+path, "", cookie).WithContext(ctx)
		r.RequestURI = ""
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}

	hostRes := open(owner, "/waiting-participants/stream/", "")
	if ct := hostRes.Header.Get("Content-Type"); hostRes.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("host stream: %d %s", hostRes.StatusCode, ct)
	}
	host := readEvents(t, hostRes.Body)
	if ev := nextEvent(t, host, "initial list"); ev.name != "participants" || len(ev.data["participants"].([]any)) != 0 {
		t.Fatalf("initial list = %+v", ev)
	}

	pid := rooms.NewID()
	guestRes := open(e.callers[0], "/request-entry/stream/?username=Ada", e.lobby.Cookie(pid))
	if c := lobbyCookieOf(guestRes); c == nil || c.Value != e.lobby.Cookie(pid) {
		t.Fatalf("stream cookie = %+v", c)
	}
	guest := readEvents(t, guestRes.Body)
	ev := nextEvent(t, guest, "waiting status")
	want := map[string]any{"id": pid, "username": "Ada", "status": "waiting", "color": rooms.ColorFor(pid), "livekit": nil}
	if d := cmp.Diff(want, ev.data); ev.name != "status" || d != "" {
		t.Fatalf("first event %s (-want +got):\n%s", ev.name, d)
	}
	ev = nextEvent(t, host, "list with the guest")
	if got := fmt.Sprint(ev.data["participants"]); !strings.Contains(got, pid) {
		t.Fatalf("host list = %v", got)
	}

	start := time.Now()
	status, body, _ := e.do(owner, "POST", lobbyAPI+room.ID+"/enter/", `{"participant_id":"`+pid+`","allow_entry":true}`, "")
	if status != 200 {
		t.Fatalf("enter: %d %v", status, body)
	}
	ev = nextEvent(t, guest, "admission")
	want["status"] = "accepted"
	want["livekit"] = map[string]any{"url": "wss://lk.test", "room": room.ID, "token": pid + "|" + rooms.ColorFor(pid) + "|Ada|"}
	if d := cmp.Diff(want, ev.data); d != "" {
		t.Fatalf("admission (-want +got):\n%s", d)
	}
	t.Logf("admission reached the guest %v after the host's POST", time.Since(start))
	if ev := nextEvent(t, host, "list without the guest"); len(ev.data["participants"].([]any)) != 0 {
		t.Fatalf("host list = %+v", ev)
	}

	t.Run("errors before streaming are JSON", func(t *testing.T) {
		res := open(e.callers[1], "/waiting-participants/stream/", "")
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 403 || !strings.Contains(string(b), "You do not have permission") {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		res = open(e.callers[0], "/request-entry/stream/", "")
		b, _ = io.ReadAll(res.Body)
		if res.StatusCode != 400 || strings.TrimSpace(string(b)) != `{"username":["This field is required."]}` {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})
}

// TestLobbyStreamHeartbeat checks that a quiet stream sends heartbeat
// comments (every 50 ms in this environment) so proxies keep it open.
func TestLobbyStreamHeartbeat(t *testing.T) {
	e := newLobbyEnv(t, "http://meet.test", lobby.Options{})
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := e.request(e.callers[4], "GET", ts.URL+lobbyAPI+e.rooms[rooms.Restricted].ID+"/waiting-participants/stream/", "", "").WithContext(ctx)
	r.RequestURI = ""
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	beats := 0
	deadline := time.After(5 * time.Second)
	for beats < 2 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("stream closed")
			}
			if l == ": heartbeat" {
				beats++
			}
		case <-deadline:
			t.Fatalf("%d heartbeats within 5 s, want 2", beats)
		}
	}
}
