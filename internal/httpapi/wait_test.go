package httpapi_test

import (
	"context"
	"testing"
	"time"

	"meet/internal/recordings"
)

// runWorker runs w until the test ends.
func runWorker(t testing.TB, w *recordings.Worker) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Error("worker did not stop within 60s")
		}
	})
}

// waitUntil polls cond every 20 ms until it holds or fails the test after d.
func waitUntil(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
