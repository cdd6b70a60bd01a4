package lobby

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meet/internal/rooms"
)

// TestHubLookupSharesReads checks that the streams of one room share their
// periodic room reads: concurrent callers wait for one read, a fresh read is
// reused, a stale one is redone, and the caller that started a read leaving
// does not fail the others.
func TestHubLookupSharesReads(t *testing.T) {
	h := newHub(nil, slog.New(slog.DiscardHandler))
	_, cancel, err := h.watch(context.Background(), "r1", "guest")
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()

	var reads atomic.Int32
	release, started := make(chan struct{}), make(chan struct{}, 1)
	read := func(ctx context.Context) (*rooms.Room, error) {
		reads.Add(1)
		select {
		case started <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &rooms.Room{ID: "r1", AccessLevel: rooms.Restricted}, nil
	}

	firstCtx, leave := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	results := make([]error, 20)
	for i := range results {
		ctx := context.Background()
		if i == 0 {
			ctx = firstCtx
		}
		wg.Go(func() {
			room, err := h.lookup(ctx, "r1", time.Hour, read)
			if err == nil && room.ID != "r1" {
				t.Errorf("caller %d got room %q", i, room.ID)
			}
			results[i] = err
		})
	}
	<-started
	leave() // the first caller goes away while the shared read runs
	close(release)
	wg.Wait()
	for i, err := range results[1:] {
		if err != nil {
			t.Errorf("caller %d: %v", i+1, err)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Fatalf("20 concurrent lookups made %d reads, want 1", n)
	}

	if _, err := h.lookup(context.Background(), "r1", time.Hour, read); err != nil || reads.Load() != 1 {
		t.Fatalf("fresh read not reused: err %v, %d reads", err, reads.Load())
	}
	if _, err := h.lookup(context.Background(), "r1", 0, read); err != nil || reads.Load() != 2 {
		t.Fatalf("stale read not redone: err %v, %d reads", err, reads.Load())
	}
	// A room without local streams is read directly, nothing kept.
	if _, err := h.lookup(context.Background(), "other", time.Hour, read); err != nil || reads.Load() != 3 {
		t.Fatalf("room without streams: err %v, %d reads", err, reads.Load())
	}
}
