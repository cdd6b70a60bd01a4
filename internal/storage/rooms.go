package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// The reference API's messages for rooms.
const (
	pinTakenMessage   = "Room with this Pin code already exists."
	noUserMessage     = "No User matches the given query."
	noAccessMessage   = "No ResourceAccess matches the given query."
	accessPairMessage = "Resource access with this User and Resource already exists."
)

const roomColumns = "r.id, r.name, r.slug, r.access_level, r.configuration, r.pin_code, r.created_at, r.updated_at"

// CreateRoom stores a new room and gives ownerID the owner role in it, in one
// transaction. An empty r.ID is filled with a new UUID; the timestamps are
// set. A taken slug is an apperr.Invalid error on field "slug"; an unknown
// owner is apperr.NotFound.
func (db *DB) CreateRoom(ctx context.Context, r *rooms.Room, ownerID string) error {
	if r.ID == "" {
		r.ID = newID()
	}
	cfg, err := encodeJSON(r.Configuration)
	if err != nil {
		return err
	}
	now := db.timestamp()
	return db.write(ctx, "create room", func(t *txn) error {
		if err := userExists(ctx, t, ownerID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO rooms (id, name, slug, access_level, configuration, pin_code, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Name, r.Slug, string(r.AccessLevel), cfg, nullString(r.PinCode), now, now)
		if err != nil {
			return db.roomError(err)
		}
		_, err = t.exec(ctx, `INSERT INTO resource_accesses (id, user_id, room_id, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, newID(), ownerID, r.ID, string(rooms.Owner), now, now)
		if err != nil {
			return err
		}
		r.CreatedAt, r.UpdatedAt = now, now
		return nil
	})
}

// UpdateRoom saves a room's name, slug, access level, configuration and PIN
// and stamps updated_at. It returns apperr.NotFound for an unknown room and
// an apperr.Invalid error on field "slug" when the slug is taken.
func (db *DB) UpdateRoom(ctx context.Context, r *rooms.Room) error {
	cfg, err := encodeJSON(r.Configuration)
	if err != nil {
		return err
	}
	now := db.timestamp()
	return db.write(ctx, "update room", func(t *txn) error {
		var created time.Time
		err := t.queryRow(ctx, `UPDATE rooms SET name = ?, slug = ?, access_level = ?, configuration = ?, pin_code = ?, updated_at = ?
			WHERE id = ? RETURNING created_at`,
			r.Name, r.Slug, string(r.AccessLevel), cfg, nullString(r.PinCode), now, r.ID).Scan(timeValue{&created})
		switch {
		case errNoRows(err):
			return apperr.New(apperr.NotFound, rooms.NoRoomMessage)
		case err != nil:
			return db.roomError(err)
		}
		r.CreatedAt, r.UpdatedAt = created, now
		return nil
	})
}

// roomError turns unique violations on rooms into field errors.
func (db *DB) roomError(err error) error {
	switch c, _ := db.d.uniqueViolation(err); c {
	case ucRoomSlug:
		return apperr.Field("slug", rooms.SlugTakenMessage)
	case ucRoomPin:
		return apperr.Field("pin_code", pinTakenMessage)
	}
	return err
}

// DeleteRoom removes a room and, by cascade, its accesses. It returns
// apperr.NotFound for an unknown room.
func (db *DB) DeleteRoom(ctx context.Context, id string) error {
	return db.write(ctx, "delete room", func(t *txn) error {
		res, err := t.exec(ctx, "DELETE FROM rooms WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, rooms.NoRoomMessage)
	})
}

// RoomByID returns the room with that id, or apperr.NotFound.
func (db *DB) RoomByID(ctx context.Context, id string) (*rooms.Room, error) {
	return db.roomWhere(ctx, "room by id", "r.id = ?", id)
}

// RoomBySlug returns the room with that exact slug, or apperr.NotFound.
func (db *DB) RoomBySlug(ctx context.Context, slug string) (*rooms.Room, error) {
	return db.roomWhere(ctx, "room by slug", "r.slug = ?", slug)
}

func (db *DB) roomWhere(ctx context.Context, op, where string, arg any) (*rooms.Room, error) {
	var r *rooms.Room
	err := db.read(ctx, op, func(t *txn) error {
		var err error
		r, err = scanRoom(t.queryRow(ctx, "SELECT "+roomColumns+" FROM rooms r WHERE "+where, arg))
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, rooms.NoRoomMessage)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ListRoomsForUser returns one page of the rooms where userID has any role,
// ordered by name then id, and the total number of such rooms. A page
// number below 1 is the first page; a size of 0 or less means no limit.
func (db *DB) ListRoomsForUser(ctx context.Context, userID string, p rooms.Page) ([]rooms.Room, int, error) {
	list := []rooms.Room{}
	var total int
	err := db.read(ctx, "list rooms", func(t *txn) error {
		if err := t.queryRow(ctx, "SELECT count(*) FROM resource_accesses WHERE user_id = ?", userID).Scan(&total); err != nil {
			return err
		}
		limit, offset := pageBounds(p)
		rows, err := t.query(ctx, "SELECT "+roomColumns+` FROM rooms r
			JOIN resource_accesses a ON a.room_id = r.id AND a.user_id = ?
			ORDER BY r.name`+t.d.binaryCollation()+`, r.id LIMIT ? OFFSET ?`, userID, limit, offset)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanRoom)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// RoleOf returns the user's role in the room, rooms.NoRole when it has none
// (including when the room or the user does not exist).
func (db *DB) RoleOf(ctx context.Context, roomID, userID string) (rooms.Role, error) {
	var role string
	err := db.read(ctx, "role of", func(t *txn) error {
		err := t.queryRow(ctx, "SELECT role FROM resource_accesses WHERE room_id = ? AND user_id = ?", roomID, userID).Scan(&role)
		if errNoRows(err) {
			return nil
		}
		return err
	})
	return rooms.Role(role), err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (*T, error)) ([]T, error) {
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *v)
	}
	return list, rows.Err()
}

func scanRoom(s scanner) (*rooms.Room, error) {
	var (
		r     rooms.Room
		level string
		cfg   []byte
		pin   sql.NullString
	)
	if err := s.Scan(&r.ID, &r.Name, &r.Slug, &level, &cfg, &pin, timeValue{&r.CreatedAt}, timeValue{&r.UpdatedAt}); err != nil {
		return nil, err
	}
	r.AccessLevel, r.PinCode = rooms.AccessLevel(level), pin.String
	if err := decodeJSON(cfg, &r.Configuration); err != nil {
		return nil, err
	}
	if r.Configuration == nil {
		r.Configuration = rooms.Configuration{}
	}
	return &r, nil
}

// pageBounds returns LIMIT and OFFSET for a page; a size of 0 or less means
// every row (LIMIT -1 is "no limit" on SQLite; on PostgreSQL a huge limit is).
func pageBounds(p rooms.Page) (limit, offset int64) {
	if p.Size <= 0 {
		return 1<<62 - 1, 0
	}
	n := max(p.Number, 1)
	return int64(p.Size), int64(n-1) * int64(p.Size)
}

// mustAffect returns apperr.NotFound with msg when res changed no row.
func mustAffect(res sql.Result, msg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, msg)
	}
	return nil
}

// userExists returns apperr.NotFound when no user has that id.
func userExists(ctx context.Context, t *txn, id string) error {
	var one int
	err := t.queryRow(ctx, "SELECT 1 FROM users WHERE id = ?", id).Scan(&one)
	if errNoRows(err) {
		return apperr.New(apperr.NotFound, noUserMessage)
	}
	return err
}

// encodeJSON returns v as JSON text, "{}" for a nil map.
func encodeJSON[M ~map[K]V, K comparable, V any](v M) (string, error) {
	if v == nil {
		return "{}", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", apperr.Wrap(apperr.Invalid, "The value cannot be stored.", fmt.Errorf("storage: encode json: %w", err))
	}
	return string(b), nil
}

// decodeJSON reads a stored JSON object.
func decodeJSON(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("storage: decode stored json: %w", err)
	}
	return nil
}
