package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds one folder of numbered SQL files per dialect:
// migrations/<dialect>/NNNN_description.sql.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one embedded SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the dialect's migrations in version order. Numbers
// may have gaps; a number used twice is an error.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("storage: read migrations: %w", err)
	}
	var list []migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("storage: migration %s/%s: name must be NNNN_description.sql", dir, e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("storage: migrations %s and %s share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("storage: read migration %s: %w", e.Name(), err)
		}
		list = append(list, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}

func (db *DB) migrations() ([]migration, error) {
	return loadMigrations(db.migrationFS, "migrations/"+db.d.name())
}

// LatestVersion returns the newest schema version embedded in this binary
// for the DB's engine.
func (db *DB) LatestVersion() int {
	list, err := db.migrations()
	if err != nil || len(list) == 0 {
		return 0
	}
	return list[len(list)-1].version
}

// SchemaVersion returns the newest migration version applied to the
// database, 0 for an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read(ctx, "schema version", func(t *txn) error {
		applied, err := appliedVersions(ctx, t)
		if err != nil {
			return err
		}
		for ver := range applied {
			v = max(v, ver)
		}
		return nil
	})
	return v, err
}

// Migrate applies, in version order, every embedded migration the database
// has not recorded in schema_migrations, each in its own transaction. It
// refuses to touch a database whose schema is newer than this binary knows.
// Running it again is a no-op, and concurrent runs are serialized.
// Migrations have no statement deadline (a data migration may take minutes);
// ctx still bounds them.
func (db *DB) Migrate(ctx context.Context) error {
	ctx = withoutDeadline(ctx)
	list, err := db.migrations()
	if err != nil {
		return err
	}
	latest := 0
	if len(list) > 0 {
		latest = list[len(list)-1].version
	}
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return db.wrap("migrate", err)
	}
	var current int
	if err := db.read(ctx, "migrate", func(t *txn) error {
		done, err := appliedVersions(ctx, t)
		for v := range done {
			current = max(current, v)
		}
		return err
	}); err != nil {
		return err
	}
	if current > latest {
		return fmt.Errorf("storage: migrate: %w: the database is at version %d, this binary knows up to %d", ErrSchemaNewer, current, latest)
	}
	for _, m := range list {
		applied := false
		err := db.write(ctx, "migrate "+m.name, func(t *txn) error {
			if err := t.d.lockMigrations(ctx, t); err != nil {
				return err
			}
			done, err := appliedVersions(ctx, t)
			if err != nil {
				return err
			}
			if done[m.version] {
				return nil
			}
			if _, err := t.exec(ctx, m.sql); err != nil {
				return err
			}
			if _, err := t.exec(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
				m.version, db.timestamp().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			applied = true
			return nil
		})
		if err != nil {
			return err
		}
		if applied {
			db.log.InfoContext(ctx, "migration applied", "engine", db.d.name(), "version", m.version, "name", m.name)
		}
	}
	return nil
}

// appliedVersions returns the recorded versions; none when the table does
// not exist yet.
func appliedVersions(ctx context.Context, t *txn) (map[int]bool, error) {
	exists, err := t.d.tableExists(ctx, t, "schema_migrations")
	if err != nil || !exists {
		return map[int]bool{}, err
	}
	rows, err := t.query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// ErrSchemaNewer is returned by Migrate when the database was migrated by a
// newer release than this binary: running would risk corrupting data.
var ErrSchemaNewer = errors.New("database schema is newer than this binary")

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
