package httpapi_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/lobby"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// withLobby adds an in-memory lobby with fast heartbeats and the given body
// timeout to an apiEnv.
func withLobby(bodyTimeout time.Duration) envOption {
	return withDeps(func(d *httpapi.Deps) {
		d.Lobby = lobby.NewService(lobby.Deps{
			Rooms: d.Rooms, Store: cache.NewLobbyMemory(nil), Broker: cache.NewLobbyBrokerMemory(),
			Limiter: cache.NewLimiterMemory(nil), Log: d.Log,
		}, lobby.Options{})
		d.LobbyHeartbeat = 20 * time.Millisecond
		d.BodyTimeout = bodyTimeout
	})
}

// TestSlowBodyIsCut: a client that announces a 1 MB body and sends one byte
// is answered and disconnected once the body timeout passes, instead of
// holding the connection for as long as it likes.
func TestSlowBodyIsCut(t *testing.T) {
	const timeout = 200 * time.Millisecond
	env := newAPIEnv(t, storagetest.SQLite, withLobby(timeout))
	ts := httptest.NewServer(env.srv)
	t.Cleanup(ts.Close)
	owner := env.userClient(t, "olive")

	req := owner.request(t, http.MethodPost, "/rooms/", nil)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var head strings.Builder
	head.WriteString("POST " + apiV1 + "/rooms/ HTTP/1.1\r\nHost: meet.test\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n")
	if err := req.Header.Write(&head); err != nil {
		t.Fatal(err)
	}
	head.WriteString("\r\n{")
	start := time.Now()
	if _, err := io.WriteString(conn, head.String()); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within 5 s: %v", err)
	}
	body, _ := io.ReadAll(res.Body) // ends when the server closes the connection
	took := time.Since(start)
	if res.StatusCode != http.StatusBadRequest || strings.TrimSpace(string(body)) != `{"detail":"Could not read the request body."}` {
		t.Errorf("answer %d %s, want 400 and the body read error", res.StatusCode, body)
	}
	if !res.Close {
		t.Error("the connection is kept open after an unread body")
	}
	if took < timeout || took > timeout+time.Second {
		t.Errorf("cut after %v, want about %v", took, timeout)
	}
	if r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Quick"}); r.status != http.StatusCreated {
		t.Errorf("a prompt body: %d %s", r.status, r.body)
	}
}

// openGuestStream opens the request-entry stream of a restricted room as an
// anonymous guest and returns its lines.
func openGuestStream(t *testing.T, env *apiEnv, base string) <-chan string {
	t.Helper()
	c := env.newCast(t, rooms.Restricted, nil)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, base+apiV1+"/rooms/"+c.room.ID+"/request-entry/stream/?username=Ada", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", res.StatusCode)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// TestStreamsOutliveTheBodyTimeout: the body timeout must not cut the lobby's
// event streams, which have no body and stay open for minutes: heartbeats
// keep arriving well past it.
func TestStreamsOutliveTheBodyTimeout(t *testing.T) {
	const timeout = 50 * time.Millisecond
	env := newAPIEnv(t, storagetest.SQLite, withLobby(timeout))
	ts := httptest.NewServer(env.srv)
	t.Cleanup(ts.Close)
	lines := openGuestStream(t, env, ts.URL)
	start := time.Now()
	deadline := time.After(5 * time.Second)
	for time.Since(start) < 6*timeout {
		select {
		case _, ok := <-lines:
			if !ok {
				t.Fatalf("stream closed after %v (body timeout %v)", time.Since(start), timeout)
			}
		case <-deadline:
			t.Fatal("no heartbeat within 5 s")
		}
	}
}

// TestShutdownEndsStreams: Server.Shutdown (run by http.Server.Shutdown)
// ends the open event streams at once, so a graceful shutdown does not wait
// for its deadline.
func TestShutdownEndsStreams(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite, withLobby(0))
	ts := httptest.NewUnstartedServer(env.srv)
	ts.Config.RegisterOnShutdown(env.srv.Shutdown)
	ts.Start()
	t.Cleanup(ts.Close)
	lines := openGuestStream(t, env, ts.URL)
	if l := <-lines; l != "event: status" {
		t.Fatalf("first line %q", l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.Config.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v after %v", err, time.Since(start))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("shutdown took %v with a stream open", took)
	}
	for range lines { // drained: the stream ended
	}
}
