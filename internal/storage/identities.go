package storage

import (
	"context"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

var _ rooms.Accounts = (*DB)(nil)

// IdentityOfUser returns the LiveKit identity of a user (its sub, which
// every signed-in participant joins as), or apperr.NotFound when the user
// does not exist or has no sub yet.
func (db *DB) IdentityOfUser(ctx context.Context, userID string) (string, error) {
	u, err := db.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.Sub == "" {
		return "", apperr.New(apperr.NotFound, noUserMessage)
	}
	return u.Sub, nil
}

// UserOfIdentity returns the id of the user whose LiveKit identity (sub) is
// identity, or apperr.NotFound for guests. Subs are unique across issuers.
func (db *DB) UserOfIdentity(ctx context.Context, identity string) (string, error) {
	if identity == "" {
		return "", apperr.New(apperr.NotFound, noUserMessage)
	}
	u, err := db.oneUser(ctx, "user of identity", "sub = ?", identity)
	if err != nil {
		return "", err
	}
	return u.ID, nil
}
