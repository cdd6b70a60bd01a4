package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/rooms"
	"meet/internal/users"
)

// localOwner adds a user whose sub is a UUID, as local accounts' subs are
// (their user id, which everyone in a call sees as the LiveKit identity), and
// makes them an owner of room.
func (e *lobbyEnv) localOwner(room *rooms.Room) *users.User {
	e.t.Helper()
	ctx := context.Background()
	u := &users.User{Sub: rooms.NewID(), Issuer: "local", Email: "victim@example.org", FullName: "Victim", IsActive: true}
	if err := e.db.CreateUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateAccess(ctx, &rooms.Access{UserID: u.ID, RoomID: room.ID, Role: rooms.Owner}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// TestLobbyCookieIsUnforgeable checks that a guest cannot choose its LiveKit
// identity through the lobby cookie: a cookie the server did not mint, such
// as a signed-in owner's sub, gets a fresh identity; a minted one keeps its.
func TestLobbyCookieIsUnforgeable(t *testing.T) {
	forEachLobbyBackend(t, func(t *testing.T, opts ...lobbyEnvOption) {
		e := newLobbyEnv(t, "http://meet.test", lobby.Options{}, opts...)
		anon, public := e.callers[0], e.rooms[rooms.Public]
		victim := e.localOwner(public)
		minted := e.lobby.Cookie(rooms.NewID())
		flipped := []byte(minted)
		flipped[len(flipped)-3] ^= 1
		forged := map[string]string{
			"the owner's sub":                 victim.Sub,
			"the owner's sub with a fake MAC": victim.Sub + ".bm90IGEgTUFD",
			"a minted cookie, MAC tampered":   string(flipped),
			"a minted MAC on the owner's sub": victim.Sub + minted[strings.IndexByte(minted, '.'):],
		}
		for name, cookie := range forged {
			t.Run("request-entry/"+name, func(t *testing.T) {
				status, body, res := e.do(anon, "POST", lobbyAPI+public.ID+"/request-entry/", `{"username":"Eve"}`, cookie)
				if status != http.StatusOK {
					t.Fatalf("status %d %v", status, body)
				}
				id := body.(map[string]any)["id"].(string)
				identity := tokenParts(t, body)[0]
				if identity == victim.Sub || id == victim.Sub || cookie[:36] == id {
					t.Fatalf("forged cookie %q joined as %q (id %q)", cookie, identity, id)
				}
				if identity != id {
					t.Fatalf("token identity %q is not the participant id %q", identity, id)
				}
				if _, ok := rooms.CanonicalUUID(id); !ok {
					t.Fatalf("participant id %q is not a UUID", id)
				}
				if c := lobbyCookieOf(res); c == nil || c.Value != e.lobby.Cookie(id) {
					t.Fatalf("cookie %+v does not name the fresh id %s", c, id)
				}
			})
			t.Run("stream/"+name, func(t *testing.T) {
				ts := httptest.NewServer(e.srv)
				defer ts.Close()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				r := e.request(anon, "GET", ts.URL+lobbyAPI+public.ID+"/request-entry/stream/?username=Eve", "", cookie).WithContext(ctx)
				r.RequestURI = ""
				res, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				ev := nextEvent(t, readEvents(t, res.Body), "status")
				if identity := tokenParts(t, ev.data)[0]; identity == victim.Sub || identity != ev.data["id"] {
					t.Fatalf("forged cookie %q streamed identity %q (id %v)", cookie, identity, ev.data["id"])
				}
			})
		}
		t.Run("room retrieve ignores the cookie", func(t *testing.T) {
			status, body, _ := e.do(anon, "GET", lobbyAPI+public.Slug+"/", "", victim.Sub)
			if status != http.StatusOK {
				t.Fatalf("status %d %v", status, body)
			}
			if identity := tokenParts(t, body)[0]; identity == victim.Sub {
				t.Fatalf("retrieve joined as the owner %q", identity)
			}
		})
		t.Run("a minted cookie keeps its id", func(t *testing.T) {
			restricted := e.rooms[rooms.Restricted]
			status, body, res := e.do(anon, "POST", lobbyAPI+restricted.ID+"/request-entry/", `{"username":"Ada"}`, "")
			if status != http.StatusOK {
				t.Fatalf("first knock %d %v", status, body)
			}
			id, cookie := body.(map[string]any)["id"].(string), lobbyCookieOf(res).Value
			if !strings.HasPrefix(cookie, id+".") {
				t.Fatalf("cookie %q does not start with the id %s", cookie, id)
			}
			for range 3 {
				status, body, res := e.do(anon, "POST", lobbyAPI+restricted.ID+"/request-entry/", `{"username":"Ada"}`, cookie)
				if status != http.StatusOK || body.(map[string]any)["id"] != id || lobbyCookieOf(res).Value != cookie {
					t.Fatalf("later knock: %d %v, cookie %v; want id %s", status, body, lobbyCookieOf(res), id)
				}
			}
			_, list, _ := e.do(e.callers[4], "GET", lobbyAPI+restricted.ID+"/waiting-participants/", "", "")
			if n := len(list.(map[string]any)["participants"].([]any)); n != 1 {
				t.Fatalf("%d waiting entries, want the one guest", n)
			}
		})
	})
}

// TestLobbyAdmittedName checks that the token of an admitted guest carries
// the name the host admitted, whatever name the guest sends afterwards.
func TestLobbyAdmittedName(t *testing.T) {
	forEachLobbyBackend(t, func(t *testing.T, opts ...lobbyEnvOption) {
		e := newLobbyEnv(t, "http://meet.test", lobby.Options{}, opts...)
		anon, owner, room := e.callers[0], e.callers[4], e.rooms[rooms.Restricted]
		_, body, res := e.do(anon, "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"Ada"}`, "")
		id, cookie := body.(map[string]any)["id"].(string), lobbyCookieOf(res).Value
		_, list, _ := e.do(owner, "GET", lobbyAPI+room.ID+"/waiting-participants/", "", "")
		if d := cmp.Diff(map[string]any{"participants": []any{map[string]any{"id": id, "username": "Ada", "status": "waiting", "color": rooms.ColorFor(id)}}}, list); d != "" {
			t.Fatalf("host sees (-want +got):\n%s", d)
		}
		if status, body, _ := e.do(owner, "POST", lobbyAPI+room.ID+"/enter/", `{"participant_id":"`+id+`","allow_entry":true}`, ""); status != 200 {
			t.Fatalf("enter: %d %v", status, body)
		}
		status, body, _ := e.do(anon, "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"Room Owner"}`, cookie)
		want := map[string]any{"id": id, "username": "Ada", "status": "accepted", "color": rooms.ColorFor(id),
			"livekit": map[string]any{"url": "wss://lk.test", "room": room.ID, "token": id + "|" + rooms.ColorFor(id) + "|Ada|"}}
		if d := cmp.Diff(want, body); status != 200 || d != "" {
			t.Fatalf("after admission %d (-want +got):\n%s", status, d)
		}

		ts := httptest.NewServer(e.srv)
		defer ts.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		r := e.request(anon, "GET", ts.URL+lobbyAPI+room.ID+"/request-entry/stream/?username=Room%20Owner", "", cookie).WithContext(ctx)
		r.RequestURI = ""
		sres, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer sres.Body.Close()
		ev := nextEvent(t, readEvents(t, sres.Body), "status")
		if d := cmp.Diff(want, ev.data); d != "" {
			t.Fatalf("stream after admission (-want +got):\n%s", d)
		}
	})
}

// throttledBody checks a 429 of the lobby's throttle: DRF's detail and a
// Retry-After that says the same wait, within the window.
func throttledBody(t *testing.T, status int, body any, res *http.Response) {
	t.Helper()
	ra := res.Header.Get("Retry-After")
	n, err := strconv.Atoi(ra)
	if status != http.StatusTooManyRequests || err != nil || n < 1 || n > 60 {
		t.Fatalf("got %d %v, Retry-After %q; want 429 with Retry-After in 1..60", status, body, ra)
	}
	want := map[string]any{"detail": "Request was throttled. Expected available in " + ra + " seconds."}
	if d := cmp.Diff(want, body); d != "" {
		t.Fatalf("body (-want +got):\n%s", d)
	}
}

// TestLobbyThrottlePerAddress checks that knocks without a cookie, which
// have no guest bucket, are counted per client address (IPv6 per /64): one
// address is refused past the limit while another is not.
func TestLobbyThrottlePerAddress(t *testing.T) {
	forEachLobbyBackend(t, func(t *testing.T, opts ...lobbyEnvOption) {
		const limit = 5
		e := newLobbyEnv(t, "http://meet.test", lobby.Options{ClientThrottleLimit: limit}, opts...)
		anon, owner, room := e.callers[0], e.callers[4], e.rooms[rooms.Restricted]
		knock := func(addr, cookie string, c lobbyCaller) (int, any, *http.Response) {
			return e.doFrom(addr, c, "POST", lobbyAPI+room.ID+"/request-entry/", `{"username":"A"}`, cookie)
		}
		for i := range limit {
			if status, body, _ := knock("192.0.2.10:1000", "", anon); status != 200 {
				t.Fatalf("knock %d: %d %v", i+1, status, body)
			}
		}
		status, body, res := knock("192.0.2.10:1001", "", anon)
		throttledBody(t, status, body, res)
		// A made-up cookie or a session does not leave the address's bucket.
		status, body, res = knock("192.0.2.10:1002", rooms.NewID(), anon)
		throttledBody(t, status, body, res)
		status, body, res = knock("192.0.2.10:1003", "", owner)
		throttledBody(t, status, body, res)
		// The stream knocks too.
		w := httptest.NewRecorder()
		r := e.request(anon, "GET", lobbyAPI+room.ID+"/request-entry/stream/?username=A", "", "")
		r.RemoteAddr = "192.0.2.10:1004"
		e.srv.ServeHTTP(w, r)
		throttledBody(t, w.Code, decodeBody(t, "GET", "stream", w), w.Result())

		if status, body, _ := knock("198.51.100.20:1000", "", anon); status != 200 {
			t.Fatalf("another address: %d %v", status, body)
		}
		for i := range limit {
			if status, body, _ := knock("[2001:db8:1:2::"+strconv.Itoa(i+1)+"]:1000", "", anon); status != 200 {
				t.Fatalf("IPv6 knock %d: %d %v", i+1, status, body)
			}
		}
		status, body, res = knock("[2001:db8:1:2:ffff::9]:1000", "", anon)
		throttledBody(t, status, body, res)
		if status, body, _ := knock("[2001:db8:1:3::1]:1000", "", anon); status != 200 {
			t.Fatalf("another /64: %d %v", status, body)
		}
	})
}

// TestLobbyStreamsPerAddress checks the cap on open lobby streams per client
// address: past it a stream is refused with 429 and Retry-After, another
// address is not, refused and failed streams hold no slot, and a closed
// stream frees its slot.
func TestLobbyStreamsPerAddress(t *testing.T) {
	forEachLobbyBackend(t, func(t *testing.T, opts ...lobbyEnvOption) {
		const limit = 3
		opts = append(opts, withLobbyServerDeps(func(d *httpapi.Deps) {
			d.LobbyStreamsPerClient = limit
			// The test server sees every request from loopback; it forwards for the client addresses.
			d.ClientAddr = httpapi.ClientAddrBehind([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")})
		}))
		e := newLobbyEnv(t, "http://meet.test", lobby.Options{}, opts...)
		ts := httptest.NewServer(e.srv)
		defer ts.Close()
		anon, outsider, owner, room := e.callers[0], e.callers[1], e.callers[4], e.rooms[rooms.Restricted]
		open := func(ctx context.Context, from string, c lobbyCaller, path string) *http.Response {
			t.Helper()
			r := e.request(c, "GET", ts.URL+lobbyAPI+room.ID+path, "", "").WithContext(ctx)
			r.RequestURI = ""
			r.Header.Set("X-Forwarded-For", from)
			res, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { res.Body.Close() })
			return res
		}
		hostPath, guestPath := "/waiting-participants/stream/", "/request-entry/stream/?username=Ada"
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Refused streams (403) and failed ones (400) end at once and keep no slot.
		for range limit + 1 {
			if res := open(ctx, "203.0.113.1", outsider, hostPath); res.StatusCode != http.StatusForbidden {
				t.Fatalf("outsider: %d", res.StatusCode)
			}
			if res := open(ctx, "203.0.113.1", anon, "/request-entry/stream/"); res.StatusCode != http.StatusBadRequest {
				t.Fatalf("no username: %d", res.StatusCode)
			}
		}
		first, cancelFirst := context.WithCancel(ctx)
		if res := open(first, "203.0.113.1", owner, hostPath); res.StatusCode != 200 {
			t.Fatalf("stream 1: %d", res.StatusCode)
		}
		for i := 2; i <= limit; i++ {
			path := hostPath
			c := owner
			if i == limit {
				path, c = guestPath, anon
			}
			if res := open(ctx, "203.0.113.1", c, path); res.StatusCode != 200 {
				t.Fatalf("stream %d: %d", i, res.StatusCode)
			}
		}
		for _, path := range []string{hostPath, guestPath} {
			c := owner
			if path == guestPath {
				c = anon
			}
			res := open(ctx, "203.0.113.1", c, path)
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "10" ||
				strings.TrimSpace(string(b)) != `{"detail":"Too many open lobby streams from this address."}` {
				t.Fatalf("stream past the cap on %s: %d Retry-After=%q %s", path, res.StatusCode, res.Header.Get("Retry-After"), b)
			}
		}
		if res := open(ctx, "203.0.113.2", owner, hostPath); res.StatusCode != 200 {
			t.Fatalf("another address: %d", res.StatusCode)
		}
		// Closing a stream frees its slot once the server sees it gone.
		cancelFirst()
		waitUntil(t, 5*time.Second, "the closed stream's slot", func() bool {
			probe, stop := context.WithCancel(ctx)
			t.Cleanup(stop)
			return open(probe, "203.0.113.1", owner, hostPath).StatusCode == 200
		})
	})
}

// TestLobbyUsernameLength checks the 255-character cap on display names
// wherever one enters: request-entry, its stream, and room retrieve.
func TestLobbyUsernameLength(t *testing.T) {
	forEachLobbyBackend(t, func(t *testing.T, opts ...lobbyEnvOption) {
		e := newLobbyEnv(t, "http://meet.test", lobby.Options{}, opts...)
		anon, public, restricted := e.callers[0], e.rooms[rooms.Public], e.rooms[rooms.Restricted]
		const tooLong = `{"username":["Ensure this field has no more than 255 characters."]}`
		long, max := strings.Repeat("x", 256), strings.Repeat("é", 255)
		raw := func(c lobbyCaller, method, path, body string) (int, string) {
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, e.request(c, method, path, body, ""))
			return w.Code, strings.TrimSpace(w.Body.String())
		}
		for _, c := range []struct{ name, method, path, body string }{
			{"request-entry", "POST", lobbyAPI + restricted.ID + "/request-entry/", `{"username":"` + long + `"}`},
			{"request-entry, 900 KB", "POST", lobbyAPI + restricted.ID + "/request-entry/", `{"username":"` + strings.Repeat("x", 900<<10) + `"}`},
			{"request-entry stream", "GET", lobbyAPI + restricted.ID + "/request-entry/stream/?username=" + long, ""},
			{"room retrieve", "GET", lobbyAPI + public.Slug + "/?username=" + long, ""},
			{"restricted room retrieve", "GET", lobbyAPI + restricted.Slug + "/?username=" + long, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				if status, body := raw(anon, c.method, c.path, c.body); status != http.StatusBadRequest || body != tooLong {
					t.Fatalf("got %d %.200s, want 400 %s", status, body, tooLong)
				}
			})
		}
		_, list, _ := e.do(e.callers[4], "GET", lobbyAPI+restricted.ID+"/waiting-participants/", "", "")
		if n := len(list.(map[string]any)["participants"].([]any)); n != 0 {
			t.Fatalf("refused knocks left %d waiting entries", n)
		}
		t.Run("255 characters pass", func(t *testing.T) {
			status, body, _ := e.do(anon, "POST", lobbyAPI+restricted.ID+"/request-entry/", `{"username":"`+max+`"}`, "")
			if status != 200 || body.(map[string]any)["username"] != max {
				t.Fatalf("request-entry: %d %.200v", status, body)
			}
			status, body, _ = e.do(anon, "GET", lobbyAPI+public.Slug+"/?username="+url.QueryEscape(max), "", "")
			if status != 200 || tokenParts(t, body)[2] != max {
				t.Fatalf("retrieve: %d %.200v", status, body)
			}
		})
	})
}
