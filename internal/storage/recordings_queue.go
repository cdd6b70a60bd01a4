package storage

import (
	"context"
	"database/sql"
	"time"

	"meet/internal/apperr"
	"meet/internal/recordings"
)

// skipLocked is the clause that makes concurrent claimers on PostgreSQL pass
// over rows another transaction is claiming instead of waiting for them.
// SQLite needs none: its write transactions are serialized (BEGIN IMMEDIATE).
func skipLocked(d dialect) string {
	if _, ok := d.(postgresDialect); ok {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// ClaimStartJob takes the oldest start job that is pending, or running under
// an expired lease (its worker died), for owner until lease from now, and
// counts the attempt. The claim is one UPDATE … RETURNING whose row is
// chosen FOR UPDATE SKIP LOCKED on PostgreSQL. apperr.NotFound when no job
// is available.
func (db *DB) ClaimStartJob(ctx context.Context, owner string, lease time.Duration) (*recordings.Job, error) {
	var j *recordings.Job
	err := db.write(ctx, "claim recording job", func(t *txn) error {
		now := db.timestamp()
		var kind string
		job := recordings.Job{Owner: owner}
		err := t.queryRow(ctx, `UPDATE recording_jobs SET status = ?, lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = (SELECT id FROM recording_jobs
				WHERE kind = 'start' AND ((status = 'pending' AND run_after <= ?) OR (status = 'running' AND lease_expires_at < ?))
				ORDER BY created_at, id LIMIT 1`+skipLocked(t.d)+`)
			RETURNING id, recording_id, kind, attempts, lease_expires_at`,
			jobRunning, owner, now.Add(lease), now, now, now).
			Scan(&job.ID, &job.RecordingID, &kind, &job.Attempts, timeValue{&job.LeaseExpiresAt})
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, "No recording job is available.")
		}
		if err != nil {
			return err
		}
		job.Kind = recordings.JobKind(kind)
		j = &job
		return nil
	})
	return j, err
}

// ClaimStopJob takes (and completes) the pending stop job of a recording and
// reports whether there was one.
func (db *DB) ClaimStopJob(ctx context.Context, recordingID, owner string) (bool, error) {
	var found bool
	err := db.write(ctx, "claim stop job", func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE recording_jobs SET status = ?, lease_owner = ?, attempts = attempts + 1, updated_at = ?
			WHERE recording_id = ? AND kind = 'stop' AND status = 'pending'`, jobDone, owner, db.timestamp(), recordingID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n > 0
		return err
	})
	return found, err
}

// RenewLease extends the lease owner holds on a running job; apperr.NotFound
// when the job is no longer running under owner.
func (db *DB) RenewLease(ctx context.Context, jobID, owner string, lease time.Duration) error {
	return db.write(ctx, "renew job lease", func(t *txn) error {
		now := db.timestamp()
		res, err := t.exec(ctx, `UPDATE recording_jobs SET lease_expires_at = ?, updated_at = ?
			WHERE id = ? AND lease_owner = ? AND status = ?`, now.Add(lease), now, jobID, owner, jobRunning)
		if err != nil {
			return err
		}
		return mustAffect(res, "The job lease was lost.")
	})
}

// FinishJob marks a job owner holds done (or failed with errText) and drops
// the recording's pending stop jobs, which have nothing left to stop.
func (db *DB) FinishJob(ctx context.Context, jobID, owner, errText string) error {
	status := jobDone
	if errText != "" {
		status = jobFailed
	}
	return db.write(ctx, "finish job", func(t *txn) error {
		now := db.timestamp()
		var recordingID string
		err := t.queryRow(ctx, `UPDATE recording_jobs SET status = ?, last_error = ?, updated_at = ?
			WHERE id = ? AND lease_owner = ? AND status = ? RETURNING recording_id`,
			status, errText, now, jobID, owner, jobRunning).Scan(&recordingID)
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, "The job lease was lost.")
		}
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE recording_jobs SET status = ?, updated_at = ?
			WHERE recording_id = ? AND kind = 'stop' AND status = 'pending'`, jobDone, now, recordingID)
		return err
	})
}

// ClaimMessage takes the oldest outbox message that is due (pending past its
// next attempt, or claimed under an expired lease) for owner and counts the
// attempt; apperr.NotFound when none is due.
func (db *DB) ClaimMessage(ctx context.Context, owner string, lease time.Duration) (*recordings.Message, error) {
	var m *recordings.Message
	err := db.write(ctx, "claim outbox message", func(t *txn) error {
		now := db.timestamp()
		msg := recordings.Message{Owner: owner}
		var kind, payload string
		err := t.queryRow(ctx, `UPDATE recording_outbox SET status = ?, lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = (SELECT id FROM recording_outbox
				WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'running' AND lease_expires_at < ?)
				ORDER BY next_attempt_at, id LIMIT 1`+skipLocked(t.d)+`)
			RETURNING id, recording_id, kind, payload, attempts`,
			jobRunning, owner, now.Add(lease), now, now, now).Scan(&msg.ID, &msg.RecordingID, &kind, &payload, &msg.Attempts)
		if errNoRows(err) {
			return apperr.New(apperr.NotFound, "No notification is due.")
		}
		if err != nil {
			return err
		}
		msg.Kind, msg.Payload = recordings.MessageKind(kind), []byte(payload)
		m = &msg
		return nil
	})
	return m, err
}

// MarkDelivered records a delivery in one transaction, only while owner
// holds the claim: the message is delivered, a summary job id becomes the
// recording's external_process_id, and a saved recording whose messages are
// all delivered becomes notification_succeeded. apperr.Conflict when the
// claim was lost (another notifier took the message over).
func (db *DB) MarkDelivered(ctx context.Context, id, owner, externalID string) error {
	return db.write(ctx, "mark notification delivered", func(t *txn) error {
		now := db.timestamp()
		var recordingID, kind string
		err := t.queryRow(ctx, `UPDATE recording_outbox SET status = ?, external_id = ?, delivered_at = ?, lease_owner = NULL, updated_at = ?
			WHERE id = ? AND lease_owner = ? AND status = ? RETURNING recording_id, kind`,
			msgDelivered, nullString(externalID), now, now, id, owner, jobRunning).Scan(&recordingID, &kind)
		if errNoRows(err) {
			return apperr.New(apperr.Conflict, "The notification claim was lost.")
		}
		if err != nil {
			return err
		}
		if recordings.MessageKind(kind) == recordings.MessageSummary && externalID != "" {
			if _, err := t.exec(ctx, "UPDATE recordings SET external_process_id = ?, updated_at = ? WHERE id = ?", externalID, now, recordingID); err != nil {
				return err
			}
		}
		var left int
		if err := t.queryRow(ctx, "SELECT count(*) FROM recording_outbox WHERE recording_id = ? AND status <> ?", recordingID, msgDelivered).Scan(&left); err != nil {
			return err
		}
		if left == 0 {
			_, err = t.exec(ctx, "UPDATE recordings SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
				string(recordings.NotificationSucceeded), now, recordingID, string(recordings.Saved))
		}
		return err
	})
}

// MarkFailed releases a claimed message for a retry at retryAt, or
// dead-letters it; apperr.Conflict when the claim was lost.
func (db *DB) MarkFailed(ctx context.Context, id, owner, errText string, retryAt time.Time, dead bool) error {
	status := jobPending
	if dead {
		status = msgDead
	}
	return db.write(ctx, "mark notification failed", func(t *txn) error {
		res, err := t.exec(ctx, `UPDATE recording_outbox SET status = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, updated_at = ?
			WHERE id = ? AND lease_owner = ? AND status = ?`, status, retryAt, errText, db.timestamp(), id, owner, jobRunning)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			return apperr.New(apperr.Conflict, "The notification claim was lost.")
		}
		return err
	})
}

// OutboxEntry is an outbox message as operators and tests inspect it.
type OutboxEntry struct {
	ID         string
	Kind       string
	Status     string
	Attempts   int
	ExternalID string
	LastError  string
}

// OutboxOfRecording lists a recording's outbox messages, oldest first.
func (db *DB) OutboxOfRecording(ctx context.Context, recordingID string) ([]OutboxEntry, error) {
	var list []OutboxEntry
	err := db.read(ctx, "outbox of recording", func(t *txn) error {
		rows, err := t.query(ctx, `SELECT id, kind, status, attempts, external_id, last_error FROM recording_outbox
			WHERE recording_id = ? ORDER BY created_at, id`, recordingID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e OutboxEntry
			var ext sql.NullString
			if err := rows.Scan(&e.ID, &e.Kind, &e.Status, &e.Attempts, &ext, &e.LastError); err != nil {
				return err
			}
			e.ExternalID = ext.String
			list = append(list, e)
		}
		return rows.Err()
	})
	return list, err
}

// JobEntry is a recorder job as operators and tests inspect it.
type JobEntry struct {
	ID         string
	Kind       string
	Status     string
	Attempts   int
	LeaseOwner string
	LastError  string
	// LeaseExpiresAt is when another worker may take the job over (zero
	// when the job was never claimed).
	LeaseExpiresAt time.Time
}

// JobsOfRecording lists a recording's jobs, oldest first.
func (db *DB) JobsOfRecording(ctx context.Context, recordingID string) ([]JobEntry, error) {
	var list []JobEntry
	err := db.read(ctx, "jobs of recording", func(t *txn) error {
		rows, err := t.query(ctx, `SELECT id, kind, status, attempts, lease_owner, last_error, lease_expires_at FROM recording_jobs
			WHERE recording_id = ? ORDER BY created_at, id`, recordingID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e JobEntry
			var owner sql.NullString
			var expires any
			if err := rows.Scan(&e.ID, &e.Kind, &e.Status, &e.Attempts, &owner, &e.LastError, &expires); err != nil {
				return err
			}
			if err := scanOptionalTime(expires, &e.LeaseExpiresAt); err != nil {
				return err
			}
			e.LeaseOwner = owner.String
			list = append(list, e)
		}
		return rows.Err()
	})
	return list, err
}

// scanOptionalTime stores a scanned nullable timestamp into t (zero for NULL).
func scanOptionalTime(src any, t *time.Time) error {
	if src == nil {
		return nil
	}
	return timeValue{t}.Scan(src)
}
