package storage

import (
	"context"
	"database/sql"
	"strings"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/users"
)

// The messages of the users store's conflicts.
const (
	subTakenMessage   = "A user with this identity already exists."
	emailTakenMessage = "A user with this email address already exists."
	emailSharedDetail = "Several users share this email address."
)

const userColumns = `id, sub, issuer, email, full_name, short_name, language, timezone, is_active,
	default_room_access_level, default_room_configuration, password_hash, created_at, updated_at`

// CreateUser stores a new user. An empty u.ID is filled with a new UUID, an
// empty language becomes "en-us" and an empty timezone "UTC"; the timestamps
// are set. An empty Sub, Email or PasswordHash is stored as NULL. It returns
// apperr.Conflict when the sub is taken, or when the user has no sub and
// another sub-less user has the same e-mail address (case-insensitively).
func (db *DB) CreateUser(ctx context.Context, u *users.User) error {
	if u.ID == "" {
		u.ID = newID()
	}
	if u.Language == "" {
		u.Language = "en-us"
	}
	if u.Timezone == "" {
		u.Timezone = "UTC"
	}
	cfg, err := encodeJSON(u.DefaultRoomConfiguration)
	if err != nil {
		return err
	}
	now := db.timestamp()
	return db.write(ctx, "create user", func(t *txn) error {
		_, err := t.exec(ctx, "INSERT INTO users ("+userColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, nullString(u.Sub), u.Issuer, nullString(u.Email), u.FullName, u.ShortName, u.Language, u.Timezone,
			u.IsActive, nullString(string(u.DefaultRoomAccessLevel)), cfg, nullString(u.PasswordHash), now, now)
		if err != nil {
			return db.userError(err)
		}
		u.CreatedAt, u.UpdatedAt = now, now
		return nil
	})
}

// UpdateUser saves every field of a user but its id and created_at, and
// stamps updated_at. It returns apperr.NotFound for an unknown user and
// apperr.Conflict as CreateUser does.
func (db *DB) UpdateUser(ctx context.Context, u *users.User) error {
	cfg, err := encodeJSON(u.DefaultRoomConfiguration)
	if err != nil {
		return err
	}
	now := db.timestamp()
	return db.write(ctx, "update user", func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE users SET sub = ?, issuer = ?, email = ?, full_name = ?, short_name = ?,
				language = ?, timezone = ?, is_active = ?, default_room_access_level = ?,
				default_room_configuration = ?, password_hash = ?, updated_at = ?
			WHERE id = ?`,
			nullString(u.Sub), u.Issuer, nullString(u.Email), u.FullName, u.ShortName, u.Language, u.Timezone,
			u.IsActive, nullString(string(u.DefaultRoomAccessLevel)), cfg, nullString(u.PasswordHash), now, u.ID)
		if err != nil {
			return db.userError(err)
		}
		if err := mustAffect(res, noUserMessage); err != nil {
			return err
		}
		u.UpdatedAt = now
		return nil
	})
}

// userError turns unique violations on users into conflicts.
func (db *DB) userError(err error) error {
	switch c, _ := db.d.uniqueViolation(err); c {
	case ucUserSub:
		return apperr.Wrap(apperr.Conflict, subTakenMessage, err)
	case ucUserEmail:
		return apperr.Wrap(apperr.Conflict, emailTakenMessage, err)
	}
	return err
}

// UserByID returns the user with that id, or apperr.NotFound.
func (db *DB) UserByID(ctx context.Context, id string) (*users.User, error) {
	return db.oneUser(ctx, "user by id", "id = ?", id)
}

// UserBySub returns the user an identity provider knows as (issuer, sub),
// or apperr.NotFound.
func (db *DB) UserBySub(ctx context.Context, issuer, sub string) (*users.User, error) {
	if sub == "" {
		return nil, apperr.New(apperr.NotFound, noUserMessage)
	}
	return db.oneUser(ctx, "user by sub", "sub = ? AND issuer = ?", sub, issuer)
}

// UserByEmail returns the user with that e-mail address, compared
// case-insensitively. It returns apperr.NotFound when none has it and
// apperr.Conflict when several do.
func (db *DB) UserByEmail(ctx context.Context, email string) (*users.User, error) {
	if email == "" {
		return nil, apperr.New(apperr.NotFound, noUserMessage)
	}
	var found []users.User
	err := db.read(ctx, "user by email", func(t *txn) error {
		var err error
		found, err = queryUsers(ctx, t, "WHERE lower(email) = ? ORDER BY created_at, id LIMIT 2", strings.ToLower(email))
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case len(found) == 0:
		return nil, apperr.New(apperr.NotFound, noUserMessage)
	case len(found) > 1:
		return nil, apperr.New(apperr.Conflict, emailSharedDetail)
	}
	return &found[0], nil
}

// ListUsers returns every user, newest first (then by id).
func (db *DB) ListUsers(ctx context.Context) ([]users.User, error) {
	var list []users.User
	err := db.read(ctx, "list users", func(t *txn) error {
		var err error
		list, err = queryUsers(ctx, t, "ORDER BY created_at DESC, id")
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// RoomDefaults returns the access level and configuration a user applies to
// the rooms they create, or apperr.NotFound for an unknown user. It
// implements rooms.Preferences.
func (db *DB) RoomDefaults(ctx context.Context, userID string) (rooms.AccessLevel, rooms.Configuration, error) {
	u, err := db.UserByID(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	return u.DefaultRoomAccessLevel, u.DefaultRoomConfiguration, nil
}

func (db *DB) oneUser(ctx context.Context, op, where string, args ...any) (*users.User, error) {
	var found []users.User
	err := db.read(ctx, op, func(t *txn) error {
		var err error
		found, err = queryUsers(ctx, t, "WHERE "+where, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, apperr.New(apperr.NotFound, noUserMessage)
	}
	return &found[0], nil
}

// queryUsers selects users; tail is the WHERE/ORDER BY part of the query.
func queryUsers(ctx context.Context, t *txn, tail string, args ...any) ([]users.User, error) {
	rows, err := t.query(ctx, "SELECT "+userColumns+" FROM users "+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []users.User{}
	for rows.Next() {
		var (
			u                    users.User
			sub, email, level, h sql.NullString
			cfg                  []byte
		)
		if err := rows.Scan(&u.ID, &sub, &u.Issuer, &email, &u.FullName, &u.ShortName, &u.Language, &u.Timezone,
			&u.IsActive, &level, &cfg, &h, timeValue{&u.CreatedAt}, timeValue{&u.UpdatedAt}); err != nil {
			return nil, err
		}
		u.Sub, u.Email, u.PasswordHash = sub.String, email.String, h.String
		u.DefaultRoomAccessLevel = rooms.AccessLevel(level.String)
		if err := decodeJSON(cfg, &u.DefaultRoomConfiguration); err != nil {
			return nil, err
		}
		if u.DefaultRoomConfiguration == nil {
			u.DefaultRoomConfiguration = rooms.Configuration{}
		}
		list = append(list, u)
	}
	return list, rows.Err()
}
