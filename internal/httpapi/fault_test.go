package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/rooms"
	"meet/internal/storage"
)

// freePort returns a TCP port nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// throwawayPostgres is a PostgreSQL server of the test's own, in a temporary
// directory on a free port: the fault tests stop and kill it, never the
// machine's shared server.
type throwawayPostgres struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	cred *syscall.Credential
	cmd  *exec.Cmd
}

func startThrowawayPostgres(t *testing.T) *throwawayPostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(bins) == 0 {
		t.Skip("fault test skipped: no PostgreSQL binaries in /usr/lib/postgresql/*/bin")
	}
	p := &throwawayPostgres{t: t, bin: filepath.Dir(bins[len(bins)-1]), port: freePort(t)}
	base := t.TempDir()
	p.dir = filepath.Join(base, "pg")
	if err := os.Mkdir(p.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root: run it as postgres
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("fault test skipped: running as root and no postgres user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		for _, d := range []string{filepath.Dir(base), base} {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chown(p.dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	initdb := exec.Command(filepath.Join(p.bin, "initdb"), "-D", p.dir, "-U", "postgres", "-A", "trust", "-N", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *throwawayPostgres) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}

// start runs the server and waits until it accepts connections.
func (p *throwawayPostgres) start() {
	p.t.Helper()
	p.cmd = exec.Command(filepath.Join(p.bin, "postgres"), "-D", p.dir, "-p", strconv.Itoa(p.port), "-k", p.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off")
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred, Setpgid: true}
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, io.Discard
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		db, err := storage.Open(context.Background(), p.dsn(), nil)
		if err == nil {
			db.Close()
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("throwaway PostgreSQL not up within 20 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}

// signal sends sig to the server and every backend.
func (p *throwawayPostgres) signal(sig syscall.Signal) {
	p.t.Helper()
	signalFamily(p.t, p.cmd.Process.Pid, sig)
}

// kill kills the server and its backends at once and waits for them.
func (p *throwawayPostgres) kill() {
	p.signal(syscall.SIGSTOP) // no new backend while the family is killed
	p.signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
	p.cmd = nil
}

func (p *throwawayPostgres) stop() {
	if p.cmd == nil {
		return
	}
	for _, pid := range family(p.cmd.Process.Pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL) // a stopped process dies of SIGKILL too
	}
	_ = p.cmd.Wait()
	p.cmd = nil
}

// newFaultEnv is an apiEnv on the database at dsn.
func newFaultEnv(t *testing.T, dsn string) *apiEnv {
	t.Helper()
	db, err := storage.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	env := &apiEnv{db: db, sessions: db, media: &fakeMediaServer{}, logs: &lockedBuffer{}}
	log := slog.New(slog.NewJSONHandler(env.logs, nil))
	tokens := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL})
	svc := rooms.NewService(db, db, tokens, env.media, rooms.Options{DefaultAccessLevel: rooms.Public, AllowUnregistered: true}, log)
	pub, _ := url.Parse(testPublic)
	srv, err := httpapi.New(httpapi.Deps{Log: log, PublicURL: pub, Rooms: svc, Users: db, Sessions: db})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = srv
	return env
}

// roomLoad creates rooms without pause until stopped, keeping the id of
// every room acknowledged with 201 and counting answers by status.
type roomLoad struct {
	mu       sync.Mutex
	acked    []string
	statuses map[int]int
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startRoomLoad(t *testing.T, c *apiClient, workers int) *roomLoad {
	l := &roomLoad{statuses: map[int]int{}, stop: make(chan struct{})}
	for w := range workers {
		l.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				r := c.do(t, "POST", "/rooms/", map[string]any{"name": fmt.Sprintf("load %d %d", w, i)})
				var id string
				if r.status == 201 {
					id, _ = r.decoded(t).(map[string]any)["id"].(string)
				}
				l.mu.Lock()
				l.statuses[r.status]++
				if id != "" {
					l.acked = append(l.acked, id)
				}
				l.mu.Unlock()
			}
		})
	}
	return l
}

func (l *roomLoad) finish() ([]string, map[int]int) {
	close(l.stop)
	l.wg.Wait()
	return l.acked, l.statuses
}

// procStat returns the state and parent pid of every process, by pid.
func procStat() map[int][2]string {
	out := map[int][2]string{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		i := strings.LastIndexByte(string(b), ')')
		if fields := strings.Fields(string(b)[i+1:]); len(fields) > 1 { // state ppid …
			out[pid] = [2]string{fields[0], fields[1]}
		}
	}
	return out
}

// family returns pid and its children. PostgreSQL's backends each start a
// session of their own, so signalling the postmaster's process group would
// not reach them.
func family(pid int) []int {
	list := []int{pid}
	for p, st := range procStat() {
		if st[1] == strconv.Itoa(pid) {
			list = append(list, p)
		}
	}
	return list
}

// signalFamily sends sig to pid and its children; for SIGSTOP it waits until
// they are all stopped, since the signal is delivered asynchronously and a
// backend still running would answer the next probe. The family is listed
// before the server is signalled: once a killed server is gone its backends
// are no longer its children (PostgreSQL puts each backend in its own
// session, so the process group does not reach them either).
func signalFamily(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	pids := family(pid)
	for _, p := range pids {
		if err := syscall.Kill(p, sig); err != nil && p == pid {
			t.Fatalf("signal %v: %v", sig, err)
		}
	}
	if sig != syscall.SIGSTOP {
		return
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		// A backend forked between the listing and the server's stop
		// escaped the signal: list again, and stop what still runs.
		running := 0
		stats := procStat()
		for _, p := range family(pid) {
			if st, ok := stats[p]; ok && !strings.ContainsAny(st[0], "TtZX") { // stopped, or exited (a zombie)
				running++
				_ = syscall.Kill(p, sig)
			}
		}
		if running == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d processes still running 5 s after SIGSTOP", running)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}
