package storage_test

import (
	"context"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// TestStatementDeadline holds the lock a write needs from another connection:
// the write gives up at the statement deadline with apperr.Unavailable and
// the public message, and succeeds again, on the same DB, once the lock is
// released.
func TestStatementDeadline(t *testing.T) {
	for _, e := range storagetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			db := openDSN(t, dsn)
			must(t, db.Migrate(ctx))
			const timeout = 300 * time.Millisecond
			db.SetQueryTimeout(timeout)

			conn, err := rawDB(t, e, dsn).Conn(ctx)
			must(t, err)
			defer conn.Close()
			lock := map[string][]string{
				"sqlite":   {"BEGIN IMMEDIATE"},
				"postgres": {"BEGIN", "LOCK TABLE users IN ACCESS EXCLUSIVE MODE"},
			}[e.Name]
			for _, q := range lock {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			start := time.Now()
			err = db.CreateUser(ctx, &users.User{Sub: "s1", Issuer: "https://idp.test", Email: "a@example.test", IsActive: true})
			took := time.Since(start)
			wantErr(t, err, apperr.Unavailable, storage.UnansweredMessage)
			if took < timeout || took > timeout+time.Second {
				t.Errorf("the blocked write gave up after %v, want about %v", took, timeout)
			}
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			must(t, db.CreateUser(ctx, &users.User{Sub: "s2", Issuer: "https://idp.test", Email: "b@example.test", IsActive: true}))
		})
	}
}

// TestMigrationsHaveNoStatementDeadline: a deadline too short for any query
// fails ordinary calls but not Migrate, which may run for minutes.
func TestMigrationsHaveNoStatementDeadline(t *testing.T) {
	db := openDSN(t, storagetest.SQLite.DSN(t))
	db.SetQueryTimeout(time.Nanosecond)
	must(t, db.Migrate(ctx))
	_, err := db.UserByID(ctx, "00000000-0000-0000-0000-000000000000")
	wantErr(t, err, apperr.Unavailable, storage.UnansweredMessage)
}

// TestCallerCancellationIsNotUnavailable: a caller that gives up itself (a
// client gone) is not told the database is down.
func TestCallerCancellationIsNotUnavailable(t *testing.T) {
	db := storagetest.Open(t)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := db.UserByID(cctx, "00000000-0000-0000-0000-000000000000")
	if err == nil || apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("err = %v, want a plain error", err)
	}
}
