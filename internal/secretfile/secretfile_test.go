package secretfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"meet/internal/secretfile"
)

func atLeast32(s string) error {
	if len(s) < 32 {
		return errors.New("shorter than 32 characters")
	}
	return nil
}

// TestFirstWriterWins: writers racing on a fresh directory all get the same
// secret, the one the file holds, and the file is private.
func TestFirstWriterWins(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "data", "secret-key")
	const writers = 16
	got := make([]string, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			<-start
			s, err := secretfile.LoadOrCreate(path, func() string { return fmt.Sprintf("%032d", i) }, atLeast32)
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
			got[i] = s
		})
	}
	close(start)
	wg.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stored := strings.TrimSpace(string(b))
	for i, s := range got {
		if s != stored {
			t.Errorf("writer %d got %q, the file holds %q", i, s, stored)
		}
	}
	for _, p := range []string{path, filepath.Dir(path)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the secret (temporary files removed)", len(entries))
	}
	again, err := secretfile.LoadOrCreate(path, func() string { return strings.Repeat("x", 40) }, atLeast32)
	if err != nil || again != stored {
		t.Errorf("reload = %q, %v; want the stored secret", again, err)
	}
}

func TestInvalidStoredSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret-key")
	if err := os.WriteFile(path, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := secretfile.LoadOrCreate(path, func() string { return strings.Repeat("x", 40) }, atLeast32)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete the file") {
		t.Fatalf("err = %v, want one naming the file and the remedy", err)
	}
}
