package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"meet/internal/auth"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// throwawayRedis is a redis-server of the test's own on a free port, with
// every write synced to its append-only file so that a kill loses nothing
// acknowledged.
type throwawayRedis struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
}

func startThrowawayRedis(t *testing.T) *throwawayRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("fault test skipped: no redis-server in PATH")
	}
	r := &throwawayRedis{t: t, bin: bin, dir: t.TempDir(), port: freePort(t)}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *throwawayRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *throwawayRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command(r.bin, "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always")
	r.cmd.Stdout, r.cmd.Stderr = io.Discard, io.Discard
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		rdb, err := cache.NewRedisClient(r.url())
		if err != nil {
			r.t.Fatal(err)
		}
		err = rdb.Ping(context.Background()).Err()
		rdb.Close()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("throwaway Redis not up within 10 s: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}

func (r *throwawayRedis) signal(sig syscall.Signal) {
	r.t.Helper()
	signalFamily(r.t, r.cmd.Process.Pid, sig)

}

func (r *throwawayRedis) kill() {
	r.signal(syscall.SIGKILL)
	_ = r.cmd.Wait()
	r.cmd = nil
}

func (r *throwawayRedis) stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGCONT)
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// TestRedisFaults keeps sessions in a Redis of the test's own, freezes it
// (SIGSTOP) and then kills it while signed-in requests run: they are
// answered 503 within 2 s, and once Redis is back the same session works
// again without restarting meet.
func TestRedisFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test skipped in -short mode")
	}
	rs := startThrowawayRedis(t)
	rdb, err := cache.NewRedisClient(rs.url())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	sessions := cache.NewSessionsRedis(rdb, "meet:session:", nil)
	env := newAPIEnv(t, storagetest.SQLite, withRealClock(), withDeps(func(d *httpapi.Deps) { d.Sessions = sessions }))
	u := env.newUser(t, "olive")
	s := auth.NewSession(u.ID, nil, time.Now(), time.Hour)
	if err := sessions.Save(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	owner := &apiClient{env: env, user: u, session: s.ID}
	for _, ck := range owner.do(t, "GET", "/users/me/", nil).cookies() {
		if ck.Name == httpapi.CSRFCookie {
			owner.csrf = ck.Value
		}
	}
	load := startRoomLoad(t, owner, 4)

	probe := func(phase string) {
		t.Helper()
		start := time.Now()
		r := owner.do(t, "GET", "/users/me/", nil)
		took := time.Since(start)
		expect(t, r, 503, map[string]any{"detail": "The session store is unavailable."})
		if took > 2*time.Second {
			t.Errorf("%s: answered after %v, want within 2 s", phase, took)
		}
		t.Logf("%s: 503 %s after %v", phase, r.body, took)
	}
	recovered := func(phase string) {
		t.Helper()
		start := time.Now()
		deadline := start.Add(15 * time.Second)
		for {
			r := owner.do(t, "GET", "/users/me/", nil)
			if r.status == 200 {
				t.Logf("%s: recovered %v after Redis came back", phase, time.Since(start))
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still %d %s 15 s after Redis came back", phase, r.status, r.body)
			}
			time.Sleep(50 * time.Millisecond) // polling interval, bounded by the deadline above
		}
	}

	rs.signal(syscall.SIGSTOP)
	probe("frozen")
	rs.signal(syscall.SIGCONT)
	recovered("thawed")
	rs.kill()
	probe("killed")
	rs.start()
	recovered("restarted")

	acked, statuses := load.finish()
	t.Logf("load answers by status: %v", statuses)
	for status, n := range statuses {
		if status != 201 && status != 503 {
			t.Errorf("the load got %d answers %d, want only 201 and 503", n, status)
		}
	}
	for _, id := range acked {
		if _, err := env.db.RoomByID(context.Background(), id); err != nil {
			t.Errorf("room %s was acknowledged with 201 but is lost: %v", id, err)
		}
	}
}
