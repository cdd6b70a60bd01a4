package storage

import (
	"context"
	"fmt"
	"time"

	"meet/internal/apperr"
)

// UnansweredMessage is the public message of apperr.Unavailable errors
// returned when the database does not answer in time or cannot be reached.
const UnansweredMessage = "The database is not answering; try again shortly."

// Statement deadlines. Every transaction of a request gets one so that a
// frozen or unreachable database costs a request about this long, not
// forever: the request is answered 503 and the next one tries again, which
// is how the server recovers without a restart.
const (
	// postgresQueryTimeout bounds a PostgreSQL transaction, including the wait
	// for a pooled connection and the connection itself; every transaction of
	// meet takes milliseconds, and a request that meets a silent database is
	// answered within 2 s.
	postgresQueryTimeout = 1500 * time.Millisecond
	// sqliteQueryTimeout bounds an SQLite transaction. It exceeds the
	// busy_timeout (5 s) a writer waits for the write lock, so an ordinary
	// queue of writers is not cut short; a local file cannot vanish the way a
	// network server does.
	sqliteQueryTimeout = 6 * time.Second
	// postgresConnectTimeout bounds the connection at start-up (Open), which
	// has no statement deadline, unless the URL sets connect_timeout.
	postgresConnectTimeout = 5 * time.Second
)

// SetQueryTimeout replaces the deadline of each transaction (0: none). Tests
// call it before using the DB; it is not safe to call concurrently with other
// methods.
func (db *DB) SetQueryTimeout(d time.Duration) { db.timeout = d }

type noDeadlineKey struct{}

// withoutDeadline marks ctx so that transactions run under it have no
// statement deadline: migrations may legitimately run for minutes, and stay
// bounded by the caller's context (SIGTERM) and the connect timeout.
func withoutDeadline(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDeadlineKey{}, true)
}

// deadline returns ctx bounded by the statement deadline.
func (db *DB) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if db.timeout <= 0 || ctx.Value(noDeadlineKey{}) != nil {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, db.timeout)
}

// unanswered turns err into apperr.Unavailable when it means the database did
// not answer within the statement deadline (bounded is the context the
// transaction ran under, whose deadline then passed) or could not be reached
// at all. When the caller gave up itself (its own context ended) the error is
// left alone.
func (db *DB) unanswered(caller, bounded context.Context, op string, err error) error {
	if caller.Err() != nil || (bounded.Err() == nil && !db.d.isUnreachable(err)) {
		return nil
	}
	return apperr.Wrap(apperr.Unavailable, UnansweredMessage, fmt.Errorf("storage: %s: %w", op, err))
}
