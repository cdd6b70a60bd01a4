package recorder

import (
	"context"
	"log/slog"
	"testing"
	"time"

	meetlivekit "meet/internal/livekit"
)

const (
	testAPIKey    = "recorder-test-key"
	testAPISecret = "recorder-test-secret-0123456789abcdef"
)

// startSFU runs a loopback-only LiveKit server in-process for one test and
// stops it (force, ports freed) in cleanup.
func startSFU(t testing.TB) *meetlivekit.Embedded {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sfu, err := meetlivekit.StartEmbedded(ctx, meetlivekit.EmbeddedOptions{
		APIKey:           testAPIKey,
		APISecret:        testAPISecret,
		DepartureTimeout: time.Second,
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start embedded SFU: %v", err)
	}
	t.Cleanup(sfu.Stop)
	return sfu
}

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
