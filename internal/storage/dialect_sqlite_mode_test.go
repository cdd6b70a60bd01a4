package storage

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// TestSQLiteFilesArePrivate: in a data directory that exists with mode 0755,
// the database and its -wal and -shm files are created 0600, and a database
// file left world-readable is narrowed to 0600.
func TestSQLiteFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "meet.db")
	open := func() {
		db, err := Open(context.Background(), path, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
			}
		}
	}
	open()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	open()
}
