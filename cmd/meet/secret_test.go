package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestSecretKeyIsSharedByConcurrentStarts: serve and recorder started together
// on a fresh data directory must end with one key, the one stored.
func TestSecretKeyIsSharedByConcurrentStarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := loadOrCreateSecretKey("", dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	b, err := os.ReadFile(filepath.Join(dir, "secret-key"))
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if k != strings.TrimSpace(string(b)) || len(k) != 64 {
			t.Errorf("start %d got key %q, the file holds %q", i, k, b)
		}
	}
	if k, err := loadOrCreateSecretKey("configured-key", dir); err != nil || k != "configured-key" {
		t.Errorf("MEET_SECRET_KEY ignored: %q, %v", k, err)
	}
}
