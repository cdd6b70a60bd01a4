// Package storage is meet's database adapter: the database/sql
// implementation of rooms.Store, rooms.Preferences, users.Store,
// auth.SessionStore and applications.Store, on SQLite (modernc.org/sqlite, no cgo) or PostgreSQL
// (pgx through its database/sql adapter).
//
// Open picks the engine from the DSN: postgres:// or postgresql:// selects
// PostgreSQL, anything else is a SQLite file path. Queries are hand-written,
// portable SQL with ? placeholders; what differs between the engines
// (placeholders, row locks, time storage, driver errors) lives in
// dialect_sqlite.go and dialect_postgres.go.
//
// # Schema
//
// Migrations are embedded SQL files, numbered and forward-only, one folder
// per engine: migrations/sqlite/NNNN_description.sql and
// migrations/postgres/NNNN_description.sql, with the same numbers in both.
// Numbers may have gaps. Migrate applies the missing ones in order and
// records them in schema_migrations; it refuses a database whose schema is
// newer than the binary (ErrSchemaNewer).
//
// # Conventions
//
// Every public method takes the context first and runs in one transaction.
// Driver errors are wrapped with a "storage: op:" prefix; domain outcomes
// (not found, slug taken, last owner…) are apperr errors with the reference
// API's messages. Times are stored in UTC at microsecond precision, so they
// round-trip exactly on both engines: RFC 3339 text of fixed width on SQLite,
// timestamptz on PostgreSQL. Session ids are stored as their SHA-256.
//
// On SQLite every read-write transaction begins IMMEDIATE (it takes the
// write lock first), so read-check-write sequences such as the last-owner
// rule are serialized; on PostgreSQL they lock the room row FOR UPDATE.
//
// Tests use the storagetest package to get a migrated database on each engine.
//
// storage imports the domain packages (apperr, auth, rooms, users,
// applications); no domain package may import it.
package storage
