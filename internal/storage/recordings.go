package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/recordings"
	"meet/internal/rooms"
)

// Compile-time checks that DB implements the recordings stores.
var (
	_ recordings.Store    = (*DB)(nil)
	_ recordings.JobQueue = (*DB)(nil)
	_ recordings.Outbox   = (*DB)(nil)
)

// ucRecordingActive is the partial unique index allowing one initiated or
// active recording per room; SQLite names its column instead.
const (
	ucRecordingActive       = "recordings_active_room_key"
	ucRecordingActiveSQLite = "recordings.room_id"
)

const recordingColumns = `rc.id, rc.room_id, r.name, r.slug, r.access_level, rc.status, rc.mode, rc.options,
	rc.worker_id, rc.external_process_id, rc.created_at, rc.updated_at`

const recordingFrom = " FROM recordings rc JOIN rooms r ON r.id = rc.room_id"

// Statuses of the job queue and the outbox.
const (
	jobPending   = "pending"
	jobRunning   = "running"
	jobDone      = "done"
	jobFailed    = "failed"
	msgDelivered = "delivered"
	msgDead      = "dead"
)

// CreateRecording stores r (status initiated), an owner access for ownerID
// and a start job, in one transaction. An empty r.ID is filled. A room that
// already has an initiated or active recording gives apperr.Conflict: the
// partial unique index decides, so concurrent starts cannot both win.
func (db *DB) CreateRecording(ctx context.Context, r *recordings.Recording, ownerID string) error {
	if r.ID == "" {
		r.ID = newID()
	}
	if r.Status == "" {
		r.Status = recordings.Initiated
	}
	opts, err := json.Marshal(r.Options)
	if err != nil {
		return fmt.Errorf("storage: encode recording options: %w", err)
	}
	now := db.timestamp()
	return db.write(ctx, "create recording", func(t *txn) error {
		_, err := t.exec(ctx, `INSERT INTO recordings (id, room_id, status, mode, options, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.RoomID, string(r.Status), string(r.Mode), string(opts), now, now)
		if c, ok := db.d.uniqueViolation(err); ok && (c == ucRecordingActive || c == ucRecordingActiveSQLite) {
			return apperr.Wrap(apperr.Conflict, "A recording is already in progress for this room.", err)
		}
		if db.d.foreignKeyViolation(err) {
			return apperr.Wrap(apperr.NotFound, rooms.NoRoomMessage, err)
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO recording_accesses (id, recording_id, user_id, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, newID(), r.ID, ownerID, string(rooms.Owner), now, now); err != nil {
			return err
		}
		if err := enqueueJob(ctx, t, r.ID, recordings.JobStart, now); err != nil {
			return err
		}
		r.CreatedAt, r.UpdatedAt = now, now
		return nil
	})
}

func enqueueJob(ctx context.Context, t *txn, recordingID string, kind recordings.JobKind, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO recording_jobs (id, recording_id, kind, status, run_after, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, newID(), recordingID, string(kind), jobPending, now, now, now)
	return err
}

// RecordingByID returns a recording with its room, or apperr.NotFound.
func (db *DB) RecordingByID(ctx context.Context, id string) (*recordings.Recording, error) {
	return db.recordingWhere(ctx, "recording by id", "rc.id = ?", id)
}

// RecordingByExternalID returns the recording whose summary job id is jobID,
// or apperr.NotFound.
func (db *DB) RecordingByExternalID(ctx context.Context, jobID string) (*recordings.Recording, error) {
	return db.recordingWhere(ctx, "recording by external id", "rc.external_process_id = ?", jobID)
}

// InProgressRecording returns the room's initiated or active recording, or
// apperr.NotFound.
func (db *DB) InProgressRecording(ctx context.Context, roomID string) (*recordings.Recording, error) {
	return db.recordingWhere(ctx, "recording in progress", "rc.room_id = ? AND rc.status IN ('initiated', 'active')", roomID)
}

func (db *DB) recordingWhere(ctx context.Context, op, where string, arg any) (*recordings.Recording, error) {
	var r *recordings.Recording
	err := db.read(ctx, op, func(t *txn) error {
		var err error
		r, err = recordingIn(ctx, t, where, arg)
		return err
	})
	return r, err
}

func recordingIn(ctx context.Context, t *txn, where string, args ...any) (*recordings.Recording, error) {
	r, err := scanRecording(t.queryRow(ctx, "SELECT "+recordingColumns+recordingFrom+" WHERE "+where, args...))
	if errNoRows(err) {
		return nil, apperr.New(apperr.NotFound, recordings.NoRecordingMessage)
	}
	return r, err
}

func scanRecording(s scanner) (*recordings.Recording, error) {
	var (
		r                rooms.Room
		rec              recordings.Recording
		status, mode, al string
		opts             []byte
		worker, external sql.NullString
	)
	if err := s.Scan(&rec.ID, &rec.RoomID, &r.Name, &r.Slug, &al, &status, &mode, &opts, &worker, &external,
		timeValue{&rec.CreatedAt}, timeValue{&rec.UpdatedAt}); err != nil {
		return nil, err
	}
	rec.Room = recordings.RoomRef{ID: rec.RoomID, Name: r.Name, Slug: r.Slug, AccessLevel: rooms.AccessLevel(al)}
	rec.Status, rec.Mode = recordings.Status(status), recordings.Mode(mode)
	rec.WorkerID, rec.ExternalProcessID = worker.String, external.String
	if err := decodeJSON(opts, &rec.Options); err != nil {
		return nil, err
	}
	return &rec, nil
}

// ListRecordingsForUser returns one page of the recordings userID has an
// access to, newest first, and their total number.
func (db *DB) ListRecordingsForUser(ctx context.Context, userID string, p rooms.Page) ([]recordings.Recording, int, error) {
	list := []recordings.Recording{}
	var total int
	err := db.read(ctx, "list recordings", func(t *txn) error {
		if err := t.queryRow(ctx, "SELECT count(*) FROM recording_accesses WHERE user_id = ?", userID).Scan(&total); err != nil {
			return err
		}
		limit, offset := pageBounds(p)
		rows, err := t.query(ctx, "SELECT "+recordingColumns+recordingFrom+`
			JOIN recording_accesses a ON a.recording_id = rc.id AND a.user_id = ?
			ORDER BY rc.created_at DESC, rc.id LIMIT ? OFFSET ?`, userID, limit, offset)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanRecording)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// RoleOnRecording returns userID's role on the recording, rooms.NoRole when none.
func (db *DB) RoleOnRecording(ctx context.Context, recordingID, userID string) (rooms.Role, error) {
	var role string
	err := db.read(ctx, "role on recording", func(t *txn) error {
		err := t.queryRow(ctx, "SELECT role FROM recording_accesses WHERE recording_id = ? AND user_id = ?", recordingID, userID).Scan(&role)
		if errNoRows(err) {
			return nil
		}
		return err
	})
	return rooms.Role(role), err
}

// DeleteRecording removes a recording with its accesses, jobs and outbox
// messages; apperr.NotFound when it does not exist.
func (db *DB) DeleteRecording(ctx context.Context, id string) error {
	return db.write(ctx, "delete recording", func(t *txn) error {
		res, err := t.exec(ctx, "DELETE FROM recordings WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, recordings.NoRecordingMessage)
	})
}

// RequestRecordingStop ends the room's recording in progress: active → stopped with
// a stop job for its worker, initiated → aborted with its pending start job
// dropped. apperr.NotFound when the room has none.
func (db *DB) RequestRecordingStop(ctx context.Context, roomID string) (*recordings.Recording, error) {
	var r *recordings.Recording
	err := db.write(ctx, "request recording stop", func(t *txn) error {
		var id, status string
		err := t.queryRow(ctx, "SELECT id, status FROM recordings WHERE room_id = ? AND status IN ('initiated', 'active')"+t.d.forUpdate(), roomID).Scan(&id, &status)
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, recordings.NoActiveMessage)
		}
		if err != nil {
			return err
		}
		now := db.timestamp()
		to := recordings.Stopped
		if recordings.Status(status) == recordings.Initiated {
			to = recordings.Aborted
			if _, err := t.exec(ctx, `UPDATE recording_jobs SET status = ?, last_error = 'stopped before a recorder joined', updated_at = ?
				WHERE recording_id = ? AND kind = 'start' AND status = 'pending'`, jobDone, now, id); err != nil {
				return err
			}
		} else if err := enqueueJob(ctx, t, id, recordings.JobStop, now); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "UPDATE recordings SET status = ?, updated_at = ? WHERE id = ?", string(to), now, id); err != nil {
			return err
		}
		r, err = recordingIn(ctx, t, "rc.id = ?", id)
		return err
	})
	return r, err
}

// TransitionRecording moves the recording to status to when its status is one of
// from (any status when from is empty) and reports whether it did.
func (db *DB) TransitionRecording(ctx context.Context, id string, from []recordings.Status, to recordings.Status) (bool, error) {
	var changed bool
	err := db.write(ctx, "recording transition", func(t *txn) error {
		q := "UPDATE recordings SET status = ?, updated_at = ? WHERE id = ?"
		args := []any{string(to), db.timestamp(), id}
		if len(from) > 0 {
			q += " AND status IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ") + ")"
			for _, s := range from {
				args = append(args, string(s))
			}
		}
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	return changed, err
}

// ActivateRecording moves an initiated recording to active with its worker id and
// reports whether it did.
func (db *DB) ActivateRecording(ctx context.Context, id, workerID string) (bool, error) {
	var changed bool
	err := db.write(ctx, "activate recording", func(t *txn) error {
		res, err := t.exec(ctx, "UPDATE recordings SET status = 'active', worker_id = ?, updated_at = ? WHERE id = ? AND status = 'initiated'",
			workerID, db.timestamp(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	return changed, err
}

// SaveRecording moves a savable (active or stopped) recording to saved, or straight
// to notification_succeeded when there is nothing to send and nothing
// failed, and queues msgs in the outbox, in one transaction.
func (db *DB) SaveRecording(ctx context.Context, id string, msgs []recordings.Message, notified bool) (recordings.Status, error) {
	var to recordings.Status
	err := db.write(ctx, "save recording", func(t *txn) error {
		var status string
		err := t.queryRow(ctx, "SELECT status FROM recordings WHERE id = ?"+t.d.forUpdate(), id).Scan(&status)
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, recordings.NoRecordingMessage)
		}
		if err != nil {
			return err
		}
		if !recordings.Status(status).IsSavable() {
			return apperr.New(apperr.Forbidden, fmt.Sprintf("Recording with ID %s cannot be saved because it is either, in an error state or has already been saved.", id))
		}
		now := db.timestamp()
		to = recordings.Saved
		if len(msgs) == 0 && notified {
			to = recordings.NotificationSucceeded
		}
		if _, err := t.exec(ctx, "UPDATE recordings SET status = ?, updated_at = ? WHERE id = ?", string(to), now, id); err != nil {
			return err
		}
		for _, m := range msgs {
			if _, err := t.exec(ctx, `INSERT INTO recording_outbox (id, recording_id, kind, payload, status, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newID(), id, string(m.Kind), string(m.Payload), jobPending, now, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	return to, err
}

// RecordingOwners lists the recording's owners with their user details, oldest access first.
func (db *DB) RecordingOwners(ctx context.Context, id string) ([]recordings.Owner, error) {
	var list []recordings.Owner
	err := db.read(ctx, "recording owners", func(t *txn) error {
		rows, err := t.query(ctx, `SELECT u.id, COALESCE(u.sub, ''), COALESCE(u.email, ''), u.full_name, u.language, u.timezone
			FROM recording_accesses a JOIN users u ON u.id = a.user_id
			WHERE a.recording_id = ? AND a.role = 'owner' ORDER BY a.created_at, a.id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o recordings.Owner
			if err := rows.Scan(&o.UserID, &o.Sub, &o.Email, &o.FullName, &o.Language, &o.Timezone); err != nil {
				return err
			}
			list = append(list, o)
		}
		return rows.Err()
	})
	return list, err
}

// ListExpiredRecordings lists the recordings created before cutoff that are
// over (final or saved statuses), oldest first.
func (db *DB) ListExpiredRecordings(ctx context.Context, cutoff time.Time) ([]recordings.Recording, error) {
	var list []recordings.Recording
	err := db.read(ctx, "list expired recordings", func(t *txn) error {
		rows, err := t.query(ctx, "SELECT "+recordingColumns+recordingFrom+`
			WHERE rc.created_at < ? AND rc.status NOT IN ('initiated', 'active')
			ORDER BY rc.created_at, rc.id`, cutoff)
		if err != nil {
			return err
		}
		list, err = collect(rows, scanRecording)
		return err
	})
	return list, err
}

// CreateRecordingAccess gives userID a role on a recording (administration
// and tests; the API only creates the starter's owner access).
func (db *DB) CreateRecordingAccess(ctx context.Context, recordingID, userID string, role rooms.Role) error {
	now := db.timestamp()
	return db.write(ctx, "create recording access", func(t *txn) error {
		_, err := t.exec(ctx, `INSERT INTO recording_accesses (id, recording_id, user_id, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, newID(), recordingID, userID, string(role), now, now)
		if _, ok := db.d.uniqueViolation(err); ok {
			return apperr.Wrap(apperr.Conflict, "Recording access with this User and Recording already exists.", err)
		}
		return err
	})
}
