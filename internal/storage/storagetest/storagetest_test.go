package storagetest

import (
	"context"
	"os"
	"strings"
	"testing"

	"meet/internal/apperr"
	"meet/internal/users"
)

func TestMain(m *testing.M) { Main(m) }

func TestEngines(t *testing.T) {
	got := Engines(t)
	want := 1
	if os.Getenv(EnvDatabaseURL) != "" {
		want = 2
	}
	if len(got) != want || got[0].Name != "sqlite" {
		t.Fatalf("Engines = %v, want %d engines, sqlite first", got, want)
	}
}

// TestIsolation checks that every Open is a database of its own, and that
// PostgreSQL schemas are dropped when their test ends.
func TestIsolation(t *testing.T) {
	ctx := context.Background()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			var schema string
			t.Run("first", func(t *testing.T) {
				dsn := e.DSN(t)
				if e.Name == "postgres" {
					_, q, _ := strings.Cut(dsn, "search_path=")
					schema, _, _ = strings.Cut(q, "&")
				}
				db := e.Open(t)
				if err := db.CreateUser(ctx, &users.User{Sub: "same"}); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("second", func(t *testing.T) {
				db := e.Open(t)
				if _, err := db.UserBySub(ctx, "", "same"); !apperr.Is(err, apperr.NotFound) {
					t.Fatalf("a fresh database sees another test's user (err %v)", err)
				}
				if err := db.CreateUser(ctx, &users.User{Sub: "same"}); err != nil {
					t.Fatal(err)
				}
			})
			if schema != "" {
				var n int
				err := pkgDB.conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n)
				if err != nil || n != 0 {
					t.Fatalf("schema %s left behind (count %d, err %v)", schema, n, err)
				}
			}
		})
	}
}

func TestPostgresSkipsWithoutURL(t *testing.T) {
	if os.Getenv(EnvDatabaseURL) != "" {
		t.Skip("PostgreSQL is configured")
	}
	ran := false
	t.Run("postgres", func(t *testing.T) {
		defer func() { ran = true }()
		Postgres.Open(t)
		t.Fatal("Open did not skip")
	})
	if !ran {
		t.Fatal("subtest did not run")
	}
}
