package recorder

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment of the recorder child process (this test binary re-executed
// with -test.run=^TestRecorderChild$). A separate process is what the
// crash test kills with SIGKILL, and what the measurements attribute CPU
// and memory to.
const (
	envChildDir   = "MEET_RECORDER_CHILD_DIR"
	envChildWS    = "MEET_RECORDER_CHILD_WS"
	envChildToken = "MEET_RECORDER_CHILD_TOKEN"
	envChildMode  = "MEET_RECORDER_CHILD_MODE"
	envChildSeg   = "MEET_RECORDER_CHILD_SEGMENT"
)

// childReport is what the child prints after a graceful (SIGTERM) stop.
type childReport struct {
	ConnectMS     float64 `json:"connect_ms"`
	FirstByteMS   float64 `json:"first_byte_ms"`
	Files         int     `json:"files"`
	StopMS        float64 `json:"stop_ms"`
	Finalized     bool    `json:"finalized"`
	DurationMS    int64   `json:"duration_ms"`
	StoppedReason string  `json:"stop_reason"`
}

// TestRecorderChild is not a test: it is the body of the child process.
func TestRecorderChild(t *testing.T) {
	dir := os.Getenv(envChildDir)
	if dir == "" {
		t.Skip("helper process for the crash test and the measurements; runs only when started by them")
	}
	seg, err := time.ParseDuration(os.Getenv(envChildSeg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	begin := time.Now()
	sess, err := Start(ctx, Options{
		WSURL:              os.Getenv(envChildWS),
		Token:              os.Getenv(envChildToken),
		Dir:                dir,
		Mode:               Mode(os.Getenv(envChildMode)),
		Segment:            seg,
		CheckpointInterval: 200 * time.Millisecond,
		KeepWhenEmpty:      true,
	})
	if err != nil {
		t.Fatal(err)
	}
	connect := time.Since(begin)
	select {
	case <-ctx.Done():
	case <-sess.Done():
	}
	stopAt := time.Now()
	res, err := sess.Stop(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep := childReport{
		ConnectMS:     float64(connect.Microseconds()) / 1000,
		FirstByteMS:   float64(sess.timeToFirstByte().Microseconds()) / 1000,
		Files:         len(res.Files),
		StopMS:        float64(time.Since(stopAt).Microseconds()) / 1000,
		Finalized:     res.Finalized,
		DurationMS:    res.Duration.Milliseconds(),
		StoppedReason: res.StopReason,
	}
	b, _ := json.Marshal(rep)
	fmt.Printf("\nRECORDER_REPORT %s\n", b)
}

// recorderChild is a running child recorder process.
type recorderChild struct {
	cmd    *exec.Cmd
	report chan childReport
}

// startRecorderChild runs a recorder in a child process. Cleanup kills it
// if the test did not end it.
func startRecorderChild(t *testing.T, wsURL, room, dir string, mode Mode, segment time.Duration) *recorderChild {
	t.Helper()
	token, err := NewToken(testAPIKey, testAPISecret, room, "child", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecorderChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envChildDir+"="+dir, envChildWS+"="+wsURL, envChildToken+"="+token,
		envChildMode+"="+string(mode), envChildSeg+"="+segment.String())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &recorderChild{cmd: cmd, report: make(chan childReport, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "RECORDER_REPORT "); ok {
				var r childReport
				if json.Unmarshal([]byte(rest), &r) == nil {
					c.report <- r
				}
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return c
}

// terminate asks the child to stop gracefully and returns its report and
// resource usage.
func (c *recorderChild) terminate(t *testing.T) (childReport, *syscall.Rusage) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rep childReport
	select {
	case rep = <-c.report:
	case <-time.After(30 * time.Second):
		t.Fatal("recorder child sent no report within 30s")
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("recorder child: %v", err)
	}
	return rep, c.cmd.ProcessState.SysUsage().(*syscall.Rusage)
}

// kill ends the child with SIGKILL, as a crash or an OOM kill would.
func (c *recorderChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}
