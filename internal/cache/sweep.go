package cache

import (
	"context"
	"time"
)

// sweepEvery calls sweep every SweepInterval until ctx ends, and returns nil
// then: the one expiry loop of every in-memory store.
func sweepEvery(ctx context.Context, sweep func()) error {
	t := time.NewTicker(SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			sweep()
		}
	}
}
