package recorder

import (
	"log/slog"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
	"meet/internal/livekit/sfu"
)

const (
	testAPIKey    = "recorder-test-key"
	testAPISecret = "recorder-test-secret-0123456789abcdef"
)

// startSFU runs a loopback-only LiveKit server for one test, in a child
// process (see livekittest.StartSFU), stopped in cleanup.
func startSFU(t testing.TB) *livekittest.SFU {
	t.Helper()
	return livekittest.StartSFU(t, sfu.Options{
		APIKey:           testAPIKey,
		APISecret:        testAPISecret,
		DepartureTimeout: time.Second,
	})
}

// TestLiveKitSFUChild is the child process of startSFU.
func TestLiveKitSFUChild(t *testing.T) { livekittest.ServeSFUChild(t) }

// testLogger writes the recorder's logs into the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}
