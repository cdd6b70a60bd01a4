package storage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// TestSnapshotTo copies a SQLite database: the copy has what was committed,
// is private to meet's user and opens as a database of its own; the target
// must not exist beforehand, and PostgreSQL is refused with pg_dump named.
func TestSnapshotTo(t *testing.T) {
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := e.Open(t)
			owner := newUser(t, db)
			must(t, db.CreateRoom(ctx, &rooms.Room{Name: "Kept", Slug: "kept-room", AccessLevel: rooms.Public}, owner.ID))
			path := filepath.Join(t.TempDir(), "copy.db")
			err := db.SnapshotTo(ctx, path)
			if e.Name == "postgres" {
				if err == nil || !strings.Contains(err.Error(), "pg_dump") {
					t.Fatalf("SnapshotTo on PostgreSQL: %v, want a refusal naming pg_dump", err)
				}
				return
			}
			must(t, err)
			info, err := os.Stat(path)
			must(t, err)
			if info.Mode().Perm() != 0o600 {
				t.Errorf("snapshot mode %v, want 0600", info.Mode().Perm())
			}
			if err := db.SnapshotTo(ctx, path); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("second snapshot to the same path: %v, want already exists", err)
			}
			copyDB, err := storage.Open(ctx, path, nil)
			must(t, err)
			defer copyDB.Close()
			got, err := copyDB.RoomBySlug(ctx, "kept-room")
			must(t, err)
			if got.Name != "Kept" {
				t.Errorf("room in the copy: %+v", got)
			}
		})
	}
}
