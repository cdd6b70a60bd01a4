package storage

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationFoldersMatch keeps the engines in step: every migration
// number exists for both.
func TestMigrationFoldersMatch(t *testing.T) {
	versions := func(dir string) []int {
		list, err := loadMigrations(migrationFiles, "migrations/"+dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, m := range list {
			out = append(out, m.version)
		}
		return out
	}
	s, p := versions("sqlite"), versions("postgres")
	if !slices.Equal(s, p) || len(s) == 0 {
		t.Fatalf("sqlite migrations %v, postgres migrations %v: want the same non-empty set", s, p)
	}
}

func TestLoadMigrations(t *testing.T) {
	file := func(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(body)} }
	tests := []struct {
		name    string
		fs      fstest.MapFS
		want    []int
		wantErr string
	}{
		{"gaps are fine", fstest.MapFS{
			"m/0010_ten.sql": file("x"), "m/0001_one.sql": file("x"), "m/0003_three.sql": file("x"), "m/README.md": file("x"),
		}, []int{1, 3, 10}, ""},
		{"duplicate number", fstest.MapFS{"m/0002_a.sql": file("x"), "m/0002_b.sql": file("x")}, nil, "share version 2"},
		{"no number", fstest.MapFS{"m/core.sql": file("x")}, nil, "NNNN_description.sql"},
		{"version zero", fstest.MapFS{"m/0000_init.sql": file("x")}, nil, "NNNN_description.sql"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := loadMigrations(tc.fs, "m")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range list {
				got = append(got, m.version)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("versions = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMigrateGapsAndLateArrivals applies numbered files with gaps, then a
// file numbered inside an applied range (merged late), then refuses to run
// an older binary on the newer schema.
func TestMigrateGapsAndLateArrivals(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	table := func(name string) string { return "CREATE TABLE " + name + " (id INTEGER PRIMARY KEY);" }
	files := fstest.MapFS{
		"migrations/sqlite/0001_a.sql": {Data: []byte(table("a"))},
		"migrations/sqlite/0003_c.sql": {Data: []byte(table("c"))},
	}
	db.migrationFS = files
	migrateTo := func(want int) {
		t.Helper()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != want {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, want)
		}
	}
	migrateTo(3)
	files["migrations/sqlite/0002_b.sql"] = &fstest.MapFile{Data: []byte(table("b"))}
	files["migrations/sqlite/0010_j.sql"] = &fstest.MapFile{Data: []byte(table("j"))}
	migrateTo(10)
	for _, name := range []string{"a", "b", "c", "j"} {
		if _, err := db.sql.ExecContext(ctx, "INSERT INTO "+name+" (id) VALUES (1)"); err != nil {
			t.Fatalf("table %s: %v", name, err)
		}
	}

	// A failing migration is rolled back and not recorded.
	files["migrations/sqlite/0011_bad.sql"] = &fstest.MapFile{Data: []byte(table("k") + " THIS IS NOT SQL;")}
	if err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "0011_bad.sql") {
		t.Fatalf("bad migration err = %v, want one naming the file", err)
	}
	if v, _ := db.SchemaVersion(ctx); v != 10 {
		t.Fatalf("version after a failed migration = %d, want 10", v)
	}
	if ok, _ := tableExistsNow(ctx, db, "k"); ok {
		t.Fatal("the failed migration's table survived")
	}
	delete(files, "migrations/sqlite/0011_bad.sql")

	// An older binary knows only up to 3.
	delete(files, "migrations/sqlite/0010_j.sql")
	err = db.Migrate(ctx)
	if !errors.Is(err, ErrSchemaNewer) || !strings.Contains(err.Error(), "10") || !strings.Contains(err.Error(), "3") {
		t.Fatalf("err = %v, want ErrSchemaNewer naming versions 10 and 3", err)
	}
}

func tableExistsNow(ctx context.Context, db *DB, name string) (bool, error) {
	var ok bool
	err := db.read(ctx, "table exists", func(t *txn) error {
		var err error
		ok, err = t.d.tableExists(ctx, t, name)
		return err
	})
	return ok, err
}
