package storage

import (
	"context"
	"database/sql"
	"time"
)

// dialect is what differs between the engines. Queries are written once with
// ? placeholders and portable SQL; the dialect rewrites them and decodes the
// driver's errors.
type dialect interface {
	// name is "sqlite" or "postgres"; it is also the migrations folder.
	name() string
	// open returns a connection pool for dsn, configured for meet.
	open(dsn string) (*sql.DB, error)
	// readOnly returns the options of a read-only transaction that sees one
	// snapshot of the database, so a count and its page agree.
	readOnly() *sql.TxOptions
	// rebind rewrites ? placeholders to the engine's syntax.
	rebind(q string) string
	// timeArg converts a UTC time to the value stored in a timestamp column.
	timeArg(t time.Time) any
	// forUpdate is the clause that locks selected rows until the transaction
	// ends ("" where the transaction already holds the write lock).
	forUpdate() string
	// binaryCollation is the clause that makes text sort by bytes, so lists
	// come out in the same order on both engines whatever the server locale.
	binaryCollation() string
	// tableExists reports whether a table of that name exists in the schema in use.
	tableExists(ctx context.Context, t *txn, table string) (bool, error)
	// lockMigrations serializes concurrent Migrate calls across processes.
	lockMigrations(ctx context.Context, t *txn) error
	// uniqueViolation reports whether err is a unique-constraint violation,
	// and which constraint: the PostgreSQL constraint names of the migrations
	// (for example "rooms_slug_key") on both engines.
	uniqueViolation(err error) (constraint string, ok bool)
	// foreignKeyViolation reports whether err is a foreign-key violation.
	foreignKeyViolation(err error) bool
	// isBusy reports whether err means the database was too busy to answer
	// (lock timeout, serialization failure): retrying later may work.
	isBusy(err error) bool
	// isUnreachable reports whether err means the server could not be
	// reached or the connection broke (refused, reset, closed, shutting
	// down): the database is down rather than the request wrong.
	isUnreachable(err error) bool
}

// The unique constraints the adapter turns into domain errors.
const (
	ucRoomSlug   = "rooms_slug_key"
	ucRoomPin    = "rooms_pin_code_key"
	ucUserSub    = "users_sub_key"
	ucUserEmail  = "users_email_subless_key"
	ucAccessPair = "resource_accesses_user_room_key"
)
