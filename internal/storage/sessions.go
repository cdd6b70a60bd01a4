package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"

	"meet/internal/apperr"
	"meet/internal/auth"
)

const noSessionMessage = "Session not found."

// sessionKey is what the database keeps of a session id: its SHA-256, so
// that reading the table does not give away live session cookies.
func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Save creates or replaces the session s.ID. An unknown s.UserID is
// apperr.NotFound; an empty one stores a session without a user.
func (db *DB) Save(ctx context.Context, s auth.Session) error {
	if s.ID == "" {
		return apperr.New(apperr.Invalid, "A session needs an id.")
	}
	data, err := encodeJSON(s.Values)
	if err != nil {
		return err
	}
	return db.write(ctx, "save session", func(t *txn) error {
		if s.UserID != "" {
			if err := userExists(ctx, t, s.UserID); err != nil {
				return err
			}
		}
		_, err := t.exec(ctx, `INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
			sessionKey(s.ID), nullString(s.UserID), data, s.ExpiresAt)
		return err
	})
}

// Get returns the session with that id, or apperr.NotFound when it is
// unknown or has expired (by the DB's clock).
func (db *DB) Get(ctx context.Context, id string) (auth.Session, error) {
	s := auth.Session{ID: id}
	err := db.read(ctx, "get session", func(t *txn) error {
		var (
			user sql.NullString
			data []byte
		)
		err := t.queryRow(ctx, "SELECT user_id, data, expires_at FROM sessions WHERE id = ? AND expires_at > ?",
			sessionKey(id), db.timestamp()).Scan(&user, &data, timeValue{&s.ExpiresAt})
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, noSessionMessage)
		}
		if err != nil {
			return err
		}
		s.UserID = user.String
		return decodeJSON(data, &s.Values)
	})
	if err != nil {
		return auth.Session{}, err
	}
	if s.Values == nil {
		s.Values = map[string]string{}
	}
	return s, nil
}

// Delete removes a session; deleting an unknown session is not an error, so
// logging out twice is harmless.
func (db *DB) Delete(ctx context.Context, id string) error {
	return db.write(ctx, "delete session", func(t *txn) error {
		_, err := t.exec(ctx, "DELETE FROM sessions WHERE id = ?", sessionKey(id))
		return err
	})
}

// DeleteByUser ends every session of a user (back-channel logout, disabled
// accounts).
func (db *DB) DeleteByUser(ctx context.Context, userID string) error {
	return db.write(ctx, "delete user sessions", func(t *txn) error {
		_, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
		return err
	})
}

// DeleteExpiredSessions removes the sessions that expired before now (by
// the DB's clock) and returns how many it removed. A periodic worker calls it.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := db.write(ctx, "delete expired sessions", func(t *txn) error {
		res, err := t.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", db.timestamp())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
