package storage_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"meet/internal/auth"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// rawDB opens the database at dsn without the storage layer, to look at or
// tamper with what it stored.
func rawDB(t *testing.T, e storagetest.Engine, dsn string) *sql.DB {
	t.Helper()
	driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[e.Name]
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func openDSN(t *testing.T, dsn string) *storage.DB {
	t.Helper()
	db, err := storage.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrate(t *testing.T) {
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			dsn := e.DSN(t)
			db := openDSN(t, dsn)
			if db.Engine() != e.Name {
				t.Fatalf("Engine() = %q, want %q", db.Engine(), e.Name)
			}
			must(t, db.Ping(ctx))
			if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
				t.Fatalf("empty database version = %d, %v; want 0", v, err)
			}
			latest := db.LatestVersion()
			if latest < 1 {
				t.Fatalf("LatestVersion = %d", latest)
			}

			must(t, db.Migrate(ctx))
			if v, err := db.SchemaVersion(ctx); err != nil || v != latest {
				t.Fatalf("version after Migrate = %d, %v; want %d", v, err, latest)
			}
			u := newUser(t, db)

			// Running it again, even from a second pool, changes nothing.
			must(t, db.Migrate(ctx))
			must(t, openDSN(t, dsn).Migrate(ctx))
			if _, err := db.UserByID(ctx, u.ID); err != nil {
				t.Fatalf("data after re-running Migrate: %v", err)
			}
			raw := rawDB(t, e, dsn)
			var n int
			must(t, raw.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n))
			if n < 1 || n > latest {
				t.Fatalf("schema_migrations has %d rows", n)
			}

			// A newer schema than the binary knows is refused.
			newer := latest + 1
			_, err := raw.ExecContext(ctx, fmt.Sprintf("INSERT INTO schema_migrations (version, applied_at) VALUES (%d, 'now')", newer))
			must(t, err)
			err = openDSN(t, dsn).Migrate(ctx)
			if !errors.Is(err, storage.ErrSchemaNewer) ||
				!strings.Contains(err.Error(), fmt.Sprint(newer)) || !strings.Contains(err.Error(), fmt.Sprint(latest)) {
				t.Fatalf("Migrate on a newer schema: err = %v, want ErrSchemaNewer naming %d and %d", err, newer, latest)
			}
			if v, _ := db.SchemaVersion(ctx); v != newer {
				t.Fatalf("SchemaVersion = %d, want %d", v, newer)
			}
		})
	}
}

// TestSessionIDsAreHashed checks that the raw session id, which is the
// browser's cookie, is not what the database keeps.
func TestSessionIDsAreHashed(t *testing.T) {
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			dsn := e.DSN(t)
			db := openDSN(t, dsn)
			must(t, db.Migrate(ctx))
			const cookie = "the-cookie-value"
			must(t, db.Save(ctx, auth.Session{ID: cookie, ExpiresAt: time.Now().Add(time.Hour)}))
			var id string
			must(t, rawDB(t, e, dsn).QueryRowContext(ctx, "SELECT id FROM sessions").Scan(&id))
			sum := sha256.Sum256([]byte(cookie))
			if want := hex.EncodeToString(sum[:]); id != want {
				t.Fatalf("stored session id = %q, want its SHA-256 %q", id, want)
			}
		})
	}
}
