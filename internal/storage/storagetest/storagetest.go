// Package storagetest gives tests a fresh, migrated storage.DB on every
// database engine meet supports: SQLite always, and PostgreSQL when the
// environment variable MEET_TEST_DATABASE_URL names a server, for example
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
//
// A test that only needs a database calls Open, which is SQLite:
//
//	db := storagetest.Open(t)
//
// A contract test that must hold on every engine ranges over Engines:
//
//	for _, e := range storagetest.Engines(t) {
//		t.Run(e.Name, func(t *testing.T) {
//			db := e.Open(t)
//			...
//		})
//	}
//
// Every call to Open gives an isolated, empty, migrated database that is
// closed and removed when the test ends, so tests may run in parallel. On
// SQLite it is a file in t.TempDir(). On PostgreSQL the first call of a test
// binary creates a database meet_test_<time>_<random> through the server
// named by MEET_TEST_DATABASE_URL, and each call then creates its own schema
// in it (selected through search_path) and drops it afterwards.
//
// A package whose tests use Engines must let storagetest drop that database
// when its tests are done, from TestMain:
//
//	func TestMain(m *testing.M) { storagetest.Main(m) }
//
// Engines fails the test when PostgreSQL is configured and Main is not in
// use, rather than leave databases behind.
//
// storagetest is for tests only; no production code may import it.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"meet/internal/storage"
)

// EnvDatabaseURL names the environment variable that enables PostgreSQL tests.
const EnvDatabaseURL = "MEET_TEST_DATABASE_URL"

// Engine is one database engine tests can run on.
type Engine struct {
	// Name is "sqlite" or "postgres", fit for t.Run.
	Name string
	dsn  func(t testing.TB) string
}

// DSN returns the DSN of a fresh, empty (unmigrated) database on the engine,
// removed when the test ends. Migration tests use it; others use Open.
func (e Engine) DSN(t testing.TB) string {
	t.Helper()
	return e.dsn(t)
}

// Open returns a fresh, migrated database on the engine, closed and removed
// when the test ends.
func (e Engine) Open(t testing.TB) *storage.DB {
	t.Helper()
	db := e.OpenEmpty(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("storagetest: migrate %s: %v", e.Name, err)
	}
	return db
}

// OpenEmpty returns a fresh database on the engine without migrating it,
// closed and removed when the test ends.
func (e Engine) OpenEmpty(t testing.TB) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), e.dsn(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("storagetest: open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLite is the SQLite engine: a database file in the test's temporary directory.
var SQLite = Engine{Name: "sqlite", dsn: func(t testing.TB) string {
	return filepath.Join(t.TempDir(), "meet.db")
}}

// Postgres is the PostgreSQL engine; it skips the test when
// MEET_TEST_DATABASE_URL is not set.
var Postgres = Engine{Name: "postgres", dsn: postgresDSN}

// Open returns a fresh, migrated SQLite database, closed when the test ends.
func Open(t testing.TB) *storage.DB {
	t.Helper()
	return SQLite.Open(t)
}

// Engines returns SQLite, plus PostgreSQL when MEET_TEST_DATABASE_URL is set.
func Engines(t testing.TB) []Engine {
	t.Helper()
	if os.Getenv(EnvDatabaseURL) == "" {
		return []Engine{SQLite}
	}
	if !mainActive.Load() {
		t.Fatalf("storagetest: %s is set but the package does not call storagetest.Main from TestMain; add\n\tfunc TestMain(m *testing.M) { storagetest.Main(m) }", EnvDatabaseURL)
	}
	return []Engine{SQLite, Postgres}
}

// Main runs the package's tests, then drops the PostgreSQL database they
// used, if any. Call it from TestMain.
func Main(m *testing.M) {
	mainActive.Store(true)
	code := m.Run()
	if err := dropPackageDatabase(); err != nil {
		fmt.Fprintln(os.Stderr, "storagetest:", err)
		if code == 0 {
			os.Exit(1)
		}
	}
	os.Exit(code)
}

var mainActive atomic.Bool

// pkgDB is the PostgreSQL database of this test binary, created on first use.
var pkgDB struct {
	once  sync.Once
	err   error
	admin *sql.DB // the server's database named by MEET_TEST_DATABASE_URL
	conn  *sql.DB // the package database, to create and drop schemas
	name  string
	url   *url.URL
}

// staleAfter is the age after which a meet_test_ database left behind by a
// killed test run is dropped.
const staleAfter = 6 * time.Hour

func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		t.Skipf("storagetest: %s not set", EnvDatabaseURL)
	}
	pkgDB.once.Do(func() { pkgDB.err = createPackageDatabase(base) })
	if pkgDB.err != nil {
		t.Fatalf("storagetest: %v", pkgDB.err)
	}
	schema := "t_" + randomHex(8)
	ctx := context.Background()
	if _, err := pkgDB.conn.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storagetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := pkgDB.conn.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storagetest: drop schema %s: %v", schema, err)
		}
	})
	u := *pkgDB.url
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func createPackageDatabase(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("parse %s: %w", EnvDatabaseURL, err)
	}
	admin, err := openPG(base)
	if err != nil {
		return err
	}
	ctx := context.Background()
	dropStaleDatabases(ctx, admin)
	name := fmt.Sprintf("meet_test_%d_%s", time.Now().Unix(), randomHex(4))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return fmt.Errorf("create database: %w", err)
	}
	u.Path = "/" + name
	conn, err := openPG(u.String())
	if err != nil {
		admin.Close()
		return err
	}
	pkgDB.admin, pkgDB.conn, pkgDB.name, pkgDB.url = admin, conn, name, u
	return nil
}

// dropStaleDatabases removes test databases of runs that died before Main
// could drop them. Errors are ignored: another run may be dropping them too.
func dropStaleDatabases(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'meet\_test\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		stamp, _, _ := strings.Cut(strings.TrimPrefix(name, "meet_test_"), "_")
		if sec, err := strconv.ParseInt(stamp, 10, 64); err == nil && time.Since(time.Unix(sec, 0)) > staleAfter {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

func dropPackageDatabase() error {
	if pkgDB.admin == nil {
		return nil
	}
	pkgDB.conn.Close()
	defer pkgDB.admin.Close()
	if _, err := pkgDB.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+pkgDB.name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", pkgDB.name, err)
	}
	return nil
}

// openPG opens a small pool for the helper's own statements.
func openPG(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", EnvDatabaseURL, err)
	}
	return stdlib.OpenDB(*cfg), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
