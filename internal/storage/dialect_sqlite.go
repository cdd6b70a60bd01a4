package storage

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect is modernc.org/sqlite, a pure-Go SQLite.
type sqliteDialect struct{}

// sqliteTimeLayout is fixed-width so stored times sort and compare as text.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// sqliteParams are added to every SQLite DSN unless it sets them itself:
// WAL lets readers work while a writer commits; busy_timeout makes a writer
// wait for the lock instead of failing; foreign keys enforce the cascades;
// _txlock=immediate takes the write lock at BEGIN, so a read-then-write
// transaction cannot fail half-way with SQLITE_BUSY and checks such as the
// last-owner rule run serialized.
var sqliteParams = []struct{ key, value string }{
	{"_pragma", "journal_mode(WAL)"},
	{"_pragma", "busy_timeout(5000)"},
	{"_pragma", "foreign_keys(1)"},
	{"_pragma", "synchronous(NORMAL)"},
	{"_txlock", "immediate"},
}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) open(dsn string) (*sql.DB, error) {
	path, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	for _, p := range sqliteParams {
		if p.key == "_pragma" {
			name, _, _ := strings.Cut(p.value, "(")
			if hasPragma(q["_pragma"], name) {
				continue
			}
		} else if q.Has(p.key) {
			continue
		}
		q.Add(p.key, p.value)
	}
	if err := privateFile(strings.TrimPrefix(path, "file:"), q); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(strings.TrimPrefix(path, "file:"))+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// Bound the pool: every SQLite connection carries its own page cache and
	// file handles, and writes serialise anyway. Without a bound, thousands of
	// concurrent requests (a lobby of 10,000 polling guests) opened thousands
	// of connections and ran the process out of files; with it they queue.
	db.SetMaxOpenConns(sqliteMaxConns)
	db.SetMaxIdleConns(sqliteMaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// privateFile creates the database file with mode 0600, or narrows an
// existing one to it, whatever the umask: SQLite would create it 0644 and
// give its -wal and -shm files the same mode as the database file. An
// in-memory database has no file.
func privateFile(path string, q url.Values) error {
	if path == "" || path == ":memory:" || q.Get("mode") == "memory" || q.Get("vfs") != "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Chmod(0o600)
}

// sqliteMaxConns is the size of the SQLite connection pool: enough readers
// for two cores in WAL mode, where one writer and many readers proceed together.
const sqliteMaxConns = 8

// uriPath escapes the characters that end or alter the path of an SQLite URI
// filename ("#" starts a fragment, "%" an escape), so any file name works.
var uriPath = strings.NewReplacer("%", "%25", "#", "%23")

func hasPragma(list []string, name string) bool {
	for _, p := range list {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), name) {
			return true
		}
	}
	return false
}

// readOnly begins a deferred transaction, which in WAL mode reads one snapshot.
func (sqliteDialect) readOnly() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

func (sqliteDialect) rebind(q string) string { return q }

func (sqliteDialect) timeArg(t time.Time) any { return t.UTC().Format(sqliteTimeLayout) }

func (sqliteDialect) forUpdate() string { return "" }

// binaryCollation is empty: SQLite compares text bytewise (BINARY) by default.
func (sqliteDialect) binaryCollation() string { return "" }

func (sqliteDialect) tableExists(ctx context.Context, t *txn, table string) (bool, error) {
	var n int
	err := t.queryRow(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
	return n > 0, err
}

// lockMigrations has nothing to do: the immediate transaction holds the write lock.
func (sqliteDialect) lockMigrations(context.Context, *txn) error { return nil }

// sqliteUniqueTargets maps what SQLite names in "UNIQUE constraint failed: …"
// to the constraint names of the PostgreSQL migrations.
var sqliteUniqueTargets = map[string]string{
	"rooms.slug":                      ucRoomSlug,
	"rooms.pin_code":                  ucRoomPin,
	"users.sub":                       ucUserSub,
	"index 'users_email_subless_key'": ucUserEmail,
	"resource_accesses.user_id, resource_accesses.room_id": ucAccessPair,
	"applications.client_id":                               ucApplicationClientID,
	"files.id":                                             ucFileID,
}

func (sqliteDialect) uniqueViolation(err error) (string, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return "", false
	}
	if e.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && e.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
		return "", false
	}
	_, target, _ := strings.Cut(e.Error(), "UNIQUE constraint failed: ")
	target, _, _ = strings.Cut(target, " (")
	if c, ok := sqliteUniqueTargets[target]; ok {
		return c, true
	}
	return target, true
}

func (sqliteDialect) foreignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (sqliteDialect) isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// isUnreachable is false: an SQLite file is opened in-process, and a full disk
// or a broken file is not something that passes by itself.
func (sqliteDialect) isUnreachable(error) bool { return false }
