package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresDialect is PostgreSQL through pgx's database/sql adapter.
type postgresDialect struct{}

// migrationLockID is the advisory lock key Migrate holds on PostgreSQL
// ("meet" in ASCII).
const migrationLockID = 0x6d656574

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) open(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = postgresConnectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	// A new connection costs tens of milliseconds (TLS, SCRAM): keep some.
	// The bound keeps N replicas within the server's max_connections (100 by
	// default) and makes bursts queue here rather than fail there.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// readOnly asks for REPEATABLE READ: under the default READ COMMITTED each
// statement would see its own snapshot.
func (postgresDialect) readOnly() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// rebind rewrites ? to $1, $2…; the queries of this package never hold a
// literal question mark.
func (postgresDialect) rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (postgresDialect) timeArg(t time.Time) any { return t }

func (postgresDialect) forUpdate() string { return " FOR UPDATE" }

func (postgresDialect) binaryCollation() string { return ` COLLATE "C"` }

// tableExists looks the table up in the search path, so a test schema set with
// search_path sees only its own tables.
func (postgresDialect) tableExists(ctx context.Context, t *txn, table string) (bool, error) {
	var ok bool
	err := t.queryRow(ctx, "SELECT to_regclass(?) IS NOT NULL", table).Scan(&ok)
	return ok, err
}

func (postgresDialect) lockMigrations(ctx context.Context, t *txn) error {
	_, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(migrationLockID))
	return err
}

// PostgreSQL SQLSTATE codes the adapter recognises.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgLockNotAvailable     = "55P03"
)

func (postgresDialect) uniqueViolation(err error) (string, bool) {
	var e *pgconn.PgError
	if errors.As(err, &e) && e.Code == pgUniqueViolation {
		return e.ConstraintName, true
	}
	return "", false
}

func (postgresDialect) foreignKeyViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == pgForeignKeyViolation
}

func (postgresDialect) isBusy(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == pgSerializationFailure || e.Code == pgDeadlockDetected || e.Code == pgLockNotAvailable)
}

// isUnreachable recognises a server that refuses or drops connections: dial
// and connect failures, broken connections, and the SQLSTATEs of a server
// shutting down, starting up or out of connections.
func (postgresDialect) isUnreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // admin, crash shutdown; cannot connect now
			pgErr.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || pgconn.SafeToRetry(err)
}

// missingPostgresDatabase reports whether err is PostgreSQL's
// invalid_catalog_name (3D000: the DSN names no database on the server), and
// which database the DSN names.
func missingPostgresDatabase(err error, dsn string) (string, bool) {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		return "", false
	}
	cfg, perr := pgx.ParseConfig(dsn)
	if perr != nil {
		return "", false
	}
	return cfg.Database, true
}
