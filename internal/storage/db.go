package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"meet/internal/apperr"
	"meet/internal/applications"
	"meet/internal/auth"
	"meet/internal/rooms"
	"meet/internal/users"
)

// Compile-time checks that DB implements every store the domain declares.
var (
	_ rooms.Store       = (*DB)(nil)
	_ rooms.Preferences = (*DB)(nil)
	_ users.Store       = (*DB)(nil)
	_ auth.SessionStore = (*DB)(nil)

	_ applications.Store     = (*DB)(nil)
	_ applications.Users     = (*DB)(nil)
	_ applications.RoomStore = (*DB)(nil)
)

// DB is meet's database: a connection pool on SQLite or PostgreSQL and the
// dialect that smooths over their differences. It is safe for concurrent use.
type DB struct {
	sql *sql.DB
	d   dialect
	log *slog.Logger
	now func() time.Time
	// timeout bounds each transaction (see deadline.go); 0: no bound.
	timeout time.Duration
	// migrationFS holds migrations/<dialect>/*.sql; tests swap it.
	migrationFS fs.FS
}

// Open connects to the database named by dsn. A DSN starting with
// postgres:// or postgresql:// selects PostgreSQL; anything else is the path
// of a SQLite file (created when missing), optionally followed by ?query
// parameters of the modernc.org/sqlite driver. Open checks the connection
// but does not migrate; call Migrate for that.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if dsn == "" {
		return nil, errors.New("storage: open: empty database DSN")
	}
	var d dialect
	timeout := sqliteQueryTimeout
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d, timeout = postgresDialect{}, postgresQueryTimeout
	} else {
		d = sqliteDialect{}
	}
	pool, err := d.open(dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", d.name(), err)
	}
	db := &DB{sql: pool, d: d, log: log, now: time.Now, timeout: timeout, migrationFS: migrationFiles}
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		if name, ok := missingPostgresDatabase(err, dsn); ok {
			return nil, &MissingDatabaseError{Name: name, Err: err}
		}
		return nil, err
	}
	return db, nil
}

// MissingDatabaseError reports that the PostgreSQL server answered but has
// no database of that name: something an operator creates, not a failure
// to retry.
type MissingDatabaseError struct {
	Name string // the database the DSN names
	Err  error  // the server's answer
}

func (e *MissingDatabaseError) Error() string {
	return fmt.Sprintf("storage: database %q does not exist: %v", e.Name, e.Err)
}

func (e *MissingDatabaseError) Unwrap() error { return e.Err }

// Close closes every connection of the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database answers within the statement deadline (for
// /readyz and at start-up).
func (db *DB) Ping(ctx context.Context) error {
	bounded, cancel := db.deadline(ctx)
	defer cancel()
	if err := db.sql.PingContext(bounded); err != nil {
		return apperr.Wrap(apperr.Unavailable, UnansweredMessage, fmt.Errorf("storage: ping %s: %w", db.d.name(), err))
	}
	return nil
}

// Engine returns the engine the DB runs on: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name() }

// SetClock replaces the clock that stamps created_at, updated_at and judges
// session expiry. Tests call it before using the DB; it is not safe to call
// concurrently with other methods.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// timestamp returns the current time as stored: UTC, at the microsecond
// precision both engines keep, so values round-trip exactly.
func (db *DB) timestamp() time.Time { return storedTime(db.now()) }

func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// newID returns a new random UUID string.
func newID() string { return uuid.NewString() }

// txn is a transaction that rewrites placeholders for its dialect.
type txn struct {
	tx *sql.Tx
	d  dialect
	// bounded is the context the transaction runs under: the caller's plus
	// the statement deadline. Statements run under it whatever context the
	// helper passes (always the caller's, from which bounded derives), so
	// that no statement escapes the deadline. It lives as long as the
	// transaction, like the one sql.Tx itself keeps.
	bounded context.Context
}

func (t *txn) exec(_ context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.bounded, t.d.rebind(q), t.args(args)...)
}

func (t *txn) query(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.bounded, t.d.rebind(q), t.args(args)...)
}

func (t *txn) queryRow(_ context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.bounded, t.d.rebind(q), t.args(args)...)
}

// args converts time values to the dialect's stored form.
func (t *txn) args(args []any) []any {
	for i, a := range args {
		if tm, ok := a.(time.Time); ok {
			args[i] = t.d.timeArg(storedTime(tm))
		}
	}
	return args
}

// write runs fn in a read-write transaction. On SQLite the transaction takes
// the write lock when it begins (BEGIN IMMEDIATE), so read-check-write
// sequences are serialized across connections.
func (db *DB) write(ctx context.Context, op string, fn func(*txn) error) error {
	return db.inTx(ctx, op, nil, fn)
}

// read runs fn in a read-only transaction: one consistent snapshot.
func (db *DB) read(ctx context.Context, op string, fn func(*txn) error) error {
	return db.inTx(ctx, op, db.d.readOnly(), fn)
}

// inTx runs fn in a transaction bounded by the statement deadline. A
// database that does not answer in time, or cannot be reached, gives
// apperr.Unavailable with UnansweredMessage.
func (db *DB) inTx(caller context.Context, op string, opts *sql.TxOptions, fn func(*txn) error) (err error) {
	ctx, cancel := db.deadline(caller)
	defer cancel()
	defer func() {
		if err == nil {
			return
		}
		if u := db.unanswered(caller, ctx, op, err); u != nil {
			err = u
			return
		}
		err = db.wrap(op, err)
	}()
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := fn(&txn{tx: tx, d: db.d, bounded: ctx}); err != nil {
		return err
	}
	return tx.Commit()
}

// wrap leaves domain errors as they are and prefixes driver errors with the
// operation, keeping the cause for errors.Is/As.
func (db *DB) wrap(op string, err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if db.d.isBusy(err) {
		return apperr.Wrap(apperr.Unavailable, "The database is busy, please retry.", fmt.Errorf("storage: %s: %w", op, err))
	}
	return fmt.Errorf("storage: %s: %w", op, err)
}

// timeValue scans a timestamp stored by either engine into a UTC time.Time.
type timeValue struct{ t *time.Time }

// Scan implements sql.Scanner.
func (v timeValue) Scan(src any) error {
	switch s := src.(type) {
	case time.Time:
		*v.t = s.UTC()
	case string:
		return v.parse(s)
	case []byte:
		return v.parse(string(s))
	default:
		return fmt.Errorf("storage: cannot scan %T as a time", src)
	}
	return nil
}

func (v timeValue) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("storage: bad stored time %q: %w", s, err)
	}
	*v.t = t.UTC()
	return nil
}

// nullString stores "" as NULL, for optional unique columns.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
