package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// SnapshotTo writes a consistent copy of a SQLite database to a new file at
// path while other connections (a running server) keep reading and
// writing: VACUUM INTO reads one snapshot, so the copy holds every
// transaction committed before it started and none after. The copy is a
// plain database file with no -wal beside it, mode 0600. It is not bound by
// the statement deadline, since a large database takes as long as it takes;
// ctx still cancels it. PostgreSQL is refused: pg_dump is its tool.
func (db *DB) SnapshotTo(ctx context.Context, path string) error {
	if db.d.name() != "sqlite" {
		return errors.New("storage: snapshot: only SQLite databases are copied; back PostgreSQL up with pg_dump")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("storage: snapshot: %s already exists", path)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // a half-written copy is worthless
		return fmt.Errorf("storage: snapshot: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("storage: snapshot: %w", err)
	}
	return nil
}
