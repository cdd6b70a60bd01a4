package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/sfu"
	"meet/internal/storage/storagetest"
)

func TestMain(m *testing.M) { storagetest.Main(m) }

// client is a browser stand-in: a cookie jar and the CSRF header the front end sends.
type client struct {
	t    *testing.T
	http *http.Client
	base string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}, base: base}
}

// on returns a client with the same cookies talking to another replica.
func (c *client) on(base string) *client { return &client{t: c.t, http: c.http, base: base} }

func (c *client) do(method, path string, body any, into any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "csrftoken" {
			req.Header.Set("X-CSRFToken", ck.Value)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if into != nil && len(data) > 0 {
		if err := json.Unmarshal(data, into); err != nil {
			c.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

// TestReplicasShareTheLobby runs two meet servers on one PostgreSQL, one Redis
// and one LiveKit: a guest waits on A through the push stream, a host admits
// them on B, and the guest's stream on A delivers the LiveKit token.
func TestReplicasShareTheLobby(t *testing.T) {
	redisURL := os.Getenv("MEET_TEST_REDIS_URL")
	if os.Getenv(storagetest.EnvDatabaseURL) == "" || redisURL == "" {
		t.Skip("needs MEET_TEST_DATABASE_URL and MEET_TEST_REDIS_URL (CI sets both)")
	}
	dsn := storagetest.Postgres.DSN(t)
	key, secret := "replicas", strings.Repeat("s", 40)
	server, err := sfu.Start(context.Background(), sfu.Options{APIKey: key, APISecret: secret}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start SFU: %v", err)
	}
	t.Cleanup(server.Stop)
	env := map[string]string{
		"MEET_DATABASE_URL": dsn, "MEET_REDIS_URL": redisURL,
		"MEET_LIVEKIT_URL": server.WSURL(), "MEET_LIVEKIT_API_KEY": key, "MEET_LIVEKIT_API_SECRET": secret,
		"MEET_SECRET_KEY": strings.Repeat("k", 40), "MEET_LOCAL_ACCOUNTS": "on",
	}
	a := startMeet(t, env)
	b := startMeet(t, env)

	// With an external LiveKit its own ICE configuration applies.
	var cfg struct {
		LiveKit map[string]json.RawMessage `json:"livekit"`
	}
	if code := newClient(t, a).do("GET", "/api/v1.0/config/", nil, &cfg); code != http.StatusOK || string(cfg.LiveKit["ice_servers"]) != "null" {
		t.Fatalf("config/: %d, livekit.ice_servers = %s, want null", code, cfg.LiveKit["ice_servers"])
	}

	getenv := func(k string) string { return env[k] }
	if err := run(context.Background(), []string{"user", "add", "--email", "hana@example.com", "--name", "Hana Host"},
		getenv, strings.NewReader("correct horse battery staple\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}

	host := newClient(t, b)
	if code := host.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "hana@example.com", "password": "correct horse battery staple"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login: %d", code)
	}
	var room struct{ ID, Slug string }
	if code := host.on(a).do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Board meeting", "access_level": "restricted"}, &room); code != http.StatusCreated {
		t.Fatalf("create room on A with B's session: %d", code)
	}

	guest := newClient(t, a)
	var entry struct {
		ID      string          `json:"id"`
		Status  string          `json:"status"`
		LiveKit json.RawMessage `json:"livekit"`
	}
	if code := guest.do("POST", "/api/v1.0/rooms/"+room.Slug+"/request-entry/", map[string]string{"username": "Gus Guest"}, &entry); code != http.StatusOK || entry.Status != "waiting" || string(entry.LiveKit) != "null" {
		t.Fatalf("request-entry: %d %+v", code, entry)
	}
	events := streamEvents(t, guest, "/api/v1.0/rooms/"+room.ID+"/request-entry/stream/?username=Gus%20Guest")
	if ev := nextStatus(t, events); ev.Status != "waiting" {
		t.Fatalf("first stream event = %+v, want waiting", ev)
	}

	var waiting struct {
		Participants []struct{ ID, Username, Status string } `json:"participants"`
	}
	if code := host.do("GET", "/api/v1.0/rooms/"+room.ID+"/waiting-participants/", nil, &waiting); code != http.StatusOK ||
		len(waiting.Participants) != 1 || waiting.Participants[0].ID != entry.ID || waiting.Participants[0].Username != "Gus Guest" {
		t.Fatalf("waiting-participants on B: %d %+v", code, waiting)
	}
	admitted := time.Now()
	if code := host.do("POST", "/api/v1.0/rooms/"+room.ID+"/enter/", map[string]any{"participant_id": entry.ID, "allow_entry": true}, nil); code != http.StatusOK {
		t.Fatalf("enter on B: %d", code)
	}
	t.Logf("enter answered in %s", time.Since(admitted).Round(time.Millisecond))
	ev := nextStatus(t, events)
	if ev.Status != "accepted" || ev.LiveKit == nil || ev.LiveKit.Token == "" || ev.LiveKit.Room != room.ID {
		t.Fatalf("stream after admission = %+v, want accepted with a token for room %s", ev, room.ID)
	}
	t.Logf("admission reached the guest's stream on the other replica in %s", time.Since(admitted).Round(time.Millisecond))

	// The lobby cookie A minted verifies on B (both sign with the instance key).
	var onB struct{ ID, Status string }
	if code := guest.on(b).do("POST", "/api/v1.0/rooms/"+room.ID+"/request-entry/", map[string]string{"username": "Gus Guest"}, &onB); code != http.StatusOK ||
		onB.ID != entry.ID || onB.Status != "accepted" {
		t.Fatalf("request-entry on B with A's cookie: %d %+v, want participant %s accepted", code, onB, entry.ID)
	}
}

type streamStatus struct {
	Status  string `json:"status"`
	LiveKit *struct {
		URL, Room, Token string
	} `json:"livekit"`
}

// streamEvents opens a Server-Sent Events stream and delivers its "status" events.
func streamEvents(t *testing.T, c *client, path string) <-chan streamStatus {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	resp, err := (&http.Client{Jar: c.http.Jar}).Do(req)
	if err != nil {
		cancel()
		t.Fatalf("stream: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan streamStatus, 16)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "status":
				var s streamStatus
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &s) == nil {
					out <- s
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return out
}

func nextStatus(t *testing.T, events <-chan streamStatus) streamStatus {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("stream closed")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no stream event within 10 s")
	}
	return streamStatus{}
}
