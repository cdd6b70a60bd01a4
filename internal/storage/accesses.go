package storage

import (
	"context"
	"fmt"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

const accessColumns = "a.id, a.user_id, a.room_id, a.role, a.created_at, a.updated_at"

// AccessesOfRoom lists a room's accesses with their users, newest first
// (then by id). An unknown room has none.
func (db *DB) AccessesOfRoom(ctx context.Context, roomID string) ([]rooms.AccessDetail, error) {
	list := []rooms.AccessDetail{}
	err := db.read(ctx, "accesses of room", func(t *txn) error {
		rows, err := t.query(ctx, "SELECT "+accessColumns+`,
				COALESCE(u.email, ''), u.full_name, u.short_name, u.timezone, u.language
			FROM resource_accesses a JOIN users u ON u.id = a.user_id
			WHERE a.room_id = ? ORDER BY a.created_at DESC, a.id`, roomID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d rooms.AccessDetail
			var role string
			if err := rows.Scan(&d.ID, &d.UserID, &d.RoomID, &role, timeValue{&d.CreatedAt}, timeValue{&d.UpdatedAt},
				&d.User.Email, &d.User.FullName, &d.User.ShortName, &d.User.Timezone, &d.User.Language); err != nil {
				return err
			}
			d.Role, d.User.ID = rooms.Role(role), d.UserID
			list = append(list, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// CreateAccess gives a user a role in a room. An empty a.ID is filled with a
// new UUID and an empty role means member; the timestamps are set. An unknown
// user or room is an apperr.Invalid error on field "user" or "resource" (the
// reference's "Invalid pk" message), and an existing access for the pair is
// an apperr.Invalid error under "non_field_errors".
func (db *DB) CreateAccess(ctx context.Context, a *rooms.Access) error {
	if a.ID == "" {
		a.ID = newID()
	}
	if a.Role == rooms.NoRole {
		a.Role = rooms.Member
	}
	if !a.Role.Valid() {
		return invalidRole(a.Role)
	}
	now := db.timestamp()
	return db.write(ctx, "create access", func(t *txn) error {
		bad := apperr.Fields{}
		for _, ref := range []struct{ field, table, id string }{
			{"user", "users", a.UserID},
			{"resource", "rooms", a.RoomID},
		} {
			var one int
			err := t.queryRow(ctx, "SELECT 1 FROM "+ref.table+" WHERE id = ?", ref.id).Scan(&one)
			switch {
			case errNoRows(err):
				bad.Add(ref.field, fmt.Sprintf("Invalid pk %q - object does not exist.", ref.id))
			case err != nil:
				return err
			}
		}
		if err := bad.Err(); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO resource_accesses (id, user_id, room_id, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, a.UserID, a.RoomID, string(a.Role), now, now)
		if c, ok := db.d.uniqueViolation(err); ok && c == ucAccessPair {
			return &apperr.Error{Kind: apperr.Invalid, Fields: map[string][]string{"non_field_errors": {accessPairMessage}}}
		}
		if db.d.foreignKeyViolation(err) {
			// The user or the room was deleted after the check above (PostgreSQL).
			return apperr.Wrap(apperr.Invalid, "The user or the room does not exist.", err)
		}
		if err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = now, now
		return nil
	})
}

// AccessByID returns the access with that id, or apperr.NotFound.
func (db *DB) AccessByID(ctx context.Context, id string) (*rooms.Access, error) {
	var a *rooms.Access
	err := db.read(ctx, "access by id", func(t *txn) error {
		var err error
		a, err = accessByID(ctx, t, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func accessByID(ctx context.Context, t *txn, id string) (*rooms.Access, error) {
	a, err := scanAccess(t.queryRow(ctx, "SELECT "+accessColumns+" FROM resource_accesses a WHERE a.id = ?", id))
	if errNoRows(err) {
		return nil, apperr.New(apperr.NotFound, noAccessMessage)
	}
	return a, err
}

// UpdateAccessRole changes an access's role and returns the updated access.
// It returns apperr.NotFound for an unknown access and apperr.Forbidden
// (rooms.LastOwnerMessage) when the access is the room's last owner and the
// new role is not owner; the check and the change are atomic.
func (db *DB) UpdateAccessRole(ctx context.Context, id string, role rooms.Role) (*rooms.Access, error) {
	if !role.Valid() {
		return nil, invalidRole(role)
	}
	now := db.timestamp()
	var a *rooms.Access
	err := db.write(ctx, "update access role", func(t *txn) error {
		var err error
		if a, err = lockAccess(ctx, t, id); err != nil {
			return err
		}
		if a.Role == rooms.Owner && role != rooms.Owner {
			if err := keepAnOwner(ctx, t, a.RoomID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, "UPDATE resource_accesses SET role = ?, updated_at = ? WHERE id = ?", string(role), now, id); err != nil {
			return err
		}
		a.Role, a.UpdatedAt = role, now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteAccess removes an access. It returns apperr.NotFound for an unknown
// access and apperr.Forbidden (rooms.LastOwnerMessage) when the access is
// its room's last owner; the check and the removal are atomic.
func (db *DB) DeleteAccess(ctx context.Context, id string) error {
	return db.write(ctx, "delete access", func(t *txn) error {
		a, err := lockAccess(ctx, t, id)
		if err != nil {
			return err
		}
		if a.Role == rooms.Owner {
			if err := keepAnOwner(ctx, t, a.RoomID); err != nil {
				return err
			}
		}
		res, err := t.exec(ctx, "DELETE FROM resource_accesses WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, noAccessMessage)
	})
}

// lockAccess loads an access for a change that must respect the last-owner
// rule. Every such change first locks the row of the access's room, so
// changes to one room's accesses run one after the other: on PostgreSQL with
// SELECT … FOR UPDATE (the access is read again once the lock is held, as
// READ COMMITTED then sees the other changes); on SQLite the immediate
// transaction already holds the database's write lock.
func lockAccess(ctx context.Context, t *txn, id string) (*rooms.Access, error) {
	var roomID string
	err := t.queryRow(ctx, "SELECT room_id FROM resource_accesses WHERE id = ?", id).Scan(&roomID)
	if errNoRows(err) {
		return nil, apperr.New(apperr.NotFound, noAccessMessage)
	}
	if err != nil {
		return nil, err
	}
	var locked string
	if err := t.queryRow(ctx, "SELECT id FROM rooms WHERE id = ?"+t.d.forUpdate(), roomID).Scan(&locked); err != nil {
		if errNoRows(err) {
			// The room, and so the access, was deleted meanwhile.
			return nil, apperr.New(apperr.NotFound, noAccessMessage)
		}
		return nil, err
	}
	return accessByID(ctx, t, id)
}

// keepAnOwner refuses when the room has at most one owner, before that
// owner is demoted or removed. The caller holds the room's lock.
func keepAnOwner(ctx context.Context, t *txn, roomID string) error {
	var owners int
	if err := t.queryRow(ctx, "SELECT count(*) FROM resource_accesses WHERE room_id = ? AND role = ?",
		roomID, string(rooms.Owner)).Scan(&owners); err != nil {
		return err
	}
	if owners <= 1 {
		return apperr.New(apperr.Forbidden, rooms.LastOwnerMessage)
	}
	return nil
}

// ListManagedAccesses returns one page of the accesses of every room where
// userID is administrator or owner, newest first (then by id), and their
// total. Page bounds work as in ListRoomsForUser.
func (db *DB) ListManagedAccesses(ctx context.Context, userID string, p rooms.Page) ([]rooms.Access, int, error) {
	const managed = `a.room_id IN (SELECT m.room_id FROM resource_accesses m WHERE m.user_id = ? AND m.role IN (?, ?))`
	list := []rooms.Access{}
	var total int
	err := db.read(ctx, "list managed accesses", func(t *txn) error {
		args := []any{userID, string(rooms.Administrator), string(rooms.Owner)}
		if err := t.queryRow(ctx, "SELECT count(*) FROM resource_accesses a WHERE "+managed, args...).Scan(&total); err != nil {
			return err
		}
		limit, offset := pageBounds(p)
		rows, err := t.query(ctx, "SELECT "+accessColumns+" FROM resource_accesses a WHERE "+managed+
			" ORDER BY a.created_at DESC, a.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanAccess)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

func scanAccess(s scanner) (*rooms.Access, error) {
	var a rooms.Access
	var role string
	if err := s.Scan(&a.ID, &a.UserID, &a.RoomID, &role, timeValue{&a.CreatedAt}, timeValue{&a.UpdatedAt}); err != nil {
		return nil, err
	}
	a.Role = rooms.Role(role)
	return &a, nil
}

func invalidRole(r rooms.Role) error {
	return apperr.Field("role", fmt.Sprintf("%q is not a valid choice.", string(r)))
}
