package livekittest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"meet/internal/livekit/sfu"
)

// childEnv carries the SFU's options from StartSFU to its child process.
const childEnv = "MEET_TEST_SFU_CHILD"

// readyLine is what the child prints once the SFU accepts connections.
const readyLine = "MEET TEST SFU READY"

// SFU is a LiveKit server running in a child process for one test.
type SFU struct {
	opts  sfu.Options
	cmd   *exec.Cmd
	stdin io.WriteCloser
	stop  sync.Once
}

// WSURL is the URL participants connect to.
func (s *SFU) WSURL() string {
	return "ws://" + net.JoinHostPort(s.opts.BindAddress, strconv.Itoa(s.opts.Port))
}

// HTTPURL is the URL of the server API.
func (s *SFU) HTTPURL() string {
	return "http://" + net.JoinHostPort(s.opts.BindAddress, strconv.Itoa(s.opts.Port))
}

// Stop ends the child process; it is also done when the test ends.
func (s *SFU) Stop() {
	s.stop.Do(func() {
		s.stdin.Close() // the child stops its SFU when its stdin closes
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	})
}

// StartSFU runs a loopback-only LiveKit server with opts in a child process —
// the test binary itself, re-run with -test.run=^TestLiveKitSFUChild$ — and
// stops it when the test ends. Every package that calls it declares
//
//	func TestLiveKitSFUChild(t *testing.T) { livekittest.ServeSFUChild(t) }
//
// Why a child process: livekit-server v1.13.5 has data races of its own
// (rtc.(*ParticipantImpl).updateRidsFromSDP against the signal encoder when
// video is published). In the test's process the race detector would fail
// our tests for them; in the child, with GORACE exitcode=0 and its reports
// sent to a temporary file, they stay LiveKit's, and the race detector keeps
// watching all of meet's code in the test process.
func StartSFU(t testing.TB, opts sfu.Options) *SFU {
	t.Helper()
	if opts.BindAddress == "" {
		opts.BindAddress = "127.0.0.1"
	}
	if opts.Port == 0 {
		opts.Port = freePort(t, "tcp")
	}
	if opts.RTCUDPPort == 0 {
		opts.RTCUDPPort = freePort(t, "udp")
	}
	raw, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveKitSFUChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw),
		"GORACE=exitcode=0 log_path="+filepath.Join(t.TempDir(), "livekit-race"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("livekittest: start SFU child: %v", err)
	}
	s := &SFU{opts: opts, cmd: cmd, stdin: stdin}
	t.Cleanup(s.Stop)
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), readyLine) {
				ready <- true
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("livekittest: SFU child exited before it was ready:\n%s", tail(stderr.String()))
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("livekittest: SFU child not ready within 60 s:\n%s", tail(stderr.String()))
	}
	return s
}

// ServeSFUChild runs the SFU when the test binary was started by StartSFU,
// until the parent closes its stdin; otherwise it skips.
func ServeSFUChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("runs only as the child process of livekittest.StartSFU")
	}
	var opts sfu.Options
	if err := json.Unmarshal([]byte(raw), &opts); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	server, err := sfu.Start(ctx, opts, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer server.Stop()
	fmt.Println(readyLine)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func freePort(t testing.TB, network string) int {
	t.Helper()
	if network == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}
