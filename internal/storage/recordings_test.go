package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
)

// newRecording starts a recording of room r owned by u.
func newRecording(t *testing.T, db *storage.DB, r *rooms.Room, owner string, mode recordings.Mode) *recordings.Recording {
	t.Helper()
	rec := &recordings.Recording{RoomID: r.ID, Mode: mode}
	must(t, db.CreateRecording(ctx, rec, owner))
	return rec
}

func TestRecordingsOneInProgressPerRoom(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		room := newRoom(t, db, "Recorded room", u)
		lang := "fr"
		first := &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript, Options: recordings.Options{Language: &lang}}
		must(t, db.CreateRecording(ctx, first, u.ID))

		err := db.CreateRecording(ctx, &recordings.Recording{RoomID: room.ID, Mode: recordings.ScreenRecording}, u.ID)
		wantErr(t, err, apperr.Conflict, "")

		got, err := db.RecordingByID(ctx, first.ID)
		must(t, err)
		want := &recordings.Recording{
			ID: first.ID, RoomID: room.ID, Status: recordings.Initiated, Mode: recordings.Transcript,
			Options: recordings.Options{Language: &lang}, CreatedAt: first.CreatedAt, UpdatedAt: first.UpdatedAt,
			Room: recordings.RoomRef{ID: room.ID, Name: room.Name, Slug: room.Slug, AccessLevel: room.AccessLevel},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("recording (-want +got):\n%s", diff)
		}
		role, err := db.RoleOnRecording(ctx, first.ID, u.ID)
		must(t, err)
		if role != rooms.Owner {
			t.Fatalf("starter's role = %q, want owner", role)
		}

		// Stopping an initiated recording aborts it and frees the room.
		stopped, err := db.RequestRecordingStop(ctx, room.ID)
		must(t, err)
		if stopped.Status != recordings.Aborted {
			t.Fatalf("status after stop of an initiated recording = %s, want aborted", stopped.Status)
		}
		jobs, err := db.JobsOfRecording(ctx, first.ID)
		must(t, err)
		if len(jobs) != 1 || jobs[0].Status != "done" {
			t.Fatalf("jobs after abort = %+v, want the start job done", jobs)
		}
		_, err = db.RequestRecordingStop(ctx, room.ID)
		wantErr(t, err, apperr.NotFound, recordings.NoActiveMessage)

		second := newRecording(t, db, room, u.ID, recordings.ScreenRecording)
		ok, err := db.ActivateRecording(ctx, second.ID, "session-1")
		must(t, err)
		if !ok {
			t.Fatal("activate initiated recording: not changed")
		}
		ok, err = db.ActivateRecording(ctx, second.ID, "session-2")
		must(t, err)
		if ok {
			t.Fatal("activate an active recording twice: changed")
		}
		wantErr(t, db.CreateRecording(ctx, &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript}, u.ID), apperr.Conflict, "")
		stopped, err = db.RequestRecordingStop(ctx, room.ID)
		must(t, err)
		if stopped.Status != recordings.Stopped || stopped.WorkerID != "session-1" {
			t.Fatalf("after stop: status %s worker %q, want stopped session-1", stopped.Status, stopped.WorkerID)
		}
		newRecording(t, db, room, u.ID, recordings.Transcript) // the room is free again

		list, total, err := db.ListRecordingsForUser(ctx, u.ID, rooms.Page{Number: 1, Size: 2})
		must(t, err)
		if total != 3 || len(list) != 2 || list[0].CreatedAt.Before(list[1].CreatedAt) {
			t.Fatalf("list: total %d, %d items, want 3 and 2 newest first", total, len(list))
		}
		other := newUser(t, db)
		if list, total, _ := db.ListRecordingsForUser(ctx, other.ID, rooms.Page{Number: 1, Size: 20}); total != 0 || len(list) != 0 {
			t.Fatalf("unrelated user sees %d recordings", total)
		}
	})
}

func TestRecordingsConcurrentStartsOneWins(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		room := newRoom(t, db, "Busy room", u)
		const n = 50
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = db.CreateRecording(ctx, &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript}, u.ID)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Fatalf("concurrent start: %v, want a conflict", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d starts won, want exactly 1", won)
		}
	})
}

func TestRecordingJobsLeases(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		rec := newRecording(t, db, newRoom(t, db, "Leased room", u), u.ID, recordings.Transcript)
		const lease = time.Hour

		job, err := db.ClaimStartJob(ctx, "w1", lease)
		must(t, err)
		if job.RecordingID != rec.ID || job.Attempts != 1 || job.Kind != recordings.JobStart {
			t.Fatalf("claimed %+v", job)
		}
		_, err = db.ClaimStartJob(ctx, "w2", lease)
		wantErr(t, err, apperr.NotFound, "")
		must(t, db.RenewLease(ctx, job.ID, "w1", lease))
		wantErr(t, db.RenewLease(ctx, job.ID, "w2", lease), apperr.NotFound, "")

		// w1 dies: once its lease expired, w2 takes the job over.
		clk.Advance(lease + time.Minute)
		again, err := db.ClaimStartJob(ctx, "w2", lease)
		must(t, err)
		if again.ID != job.ID || again.Attempts != 2 {
			t.Fatalf("reclaimed %+v, want job %s attempt 2", again, job.ID)
		}
		wantErr(t, db.RenewLease(ctx, job.ID, "w1", lease), apperr.NotFound, "")
		wantErr(t, db.FinishJob(ctx, job.ID, "w1", ""), apperr.NotFound, "")

		// A stop request reaches the job's current owner once.
		_, err = db.ActivateRecording(ctx, rec.ID, "s")
		must(t, err)
		_, err = db.RequestRecordingStop(ctx, rec.RoomID)
		must(t, err)
		for i, want := range []bool{true, false} {
			got, err := db.ClaimStopJob(ctx, rec.ID, "w2")
			must(t, err)
			if got != want {
				t.Fatalf("stop claim %d = %v, want %v", i, got, want)
			}
		}
		must(t, db.FinishJob(ctx, job.ID, "w2", ""))
		clk.Advance(2 * lease)
		_, err = db.ClaimStartJob(ctx, "w3", lease)
		wantErr(t, err, apperr.NotFound, "")
	})
}

func TestRecordingOutboxDelivery(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		rec := newRecording(t, db, newRoom(t, db, "Notified room", u), u.ID, recordings.ScreenRecording)
		_, err := db.SaveRecording(ctx, rec.ID, nil, true)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = db.ActivateRecording(ctx, rec.ID, "s")
		must(t, err)
		st, err := db.SaveRecording(ctx, rec.ID, []recordings.Message{
			{Kind: recordings.MessageEmail, Payload: []byte(`{"to":"a@example.test"}`)},
			{Kind: recordings.MessageSummary, Payload: []byte(`{}`)},
		}, true)
		must(t, err)
		if st != recordings.Saved {
			t.Fatalf("status = %s, want saved", st)
		}
		owners, err := db.RecordingOwners(ctx, rec.ID)
		must(t, err)
		if len(owners) != 1 || owners[0].Email != u.Email || owners[0].Sub != u.Sub {
			t.Fatalf("owners = %+v", owners)
		}

		const lease = time.Hour
		m1, err := db.ClaimMessage(ctx, "n1", lease)
		must(t, err)
		m2, err := db.ClaimMessage(ctx, "n1", lease)
		must(t, err)
		if m1.ID == m2.ID {
			t.Fatal("the same message was claimed twice")
		}
		_, err = db.ClaimMessage(ctx, "n2", lease)
		wantErr(t, err, apperr.NotFound, "")

		email, summary := m1, m2
		if email.Kind != recordings.MessageEmail {
			email, summary = m2, m1
		}
		must(t, db.MarkDelivered(ctx, email.ID, "n1", ""))
		wantErr(t, db.MarkDelivered(ctx, email.ID, "n1", ""), apperr.Conflict, "")
		// The summary service is down: retry later.
		must(t, db.MarkFailed(ctx, summary.ID, "n1", "connection refused", clk.Now().Add(time.Hour), false))
		_, err = db.ClaimMessage(ctx, "n1", lease)
		wantErr(t, err, apperr.NotFound, "")
		clk.Advance(2 * time.Hour)
		retry, err := db.ClaimMessage(ctx, "n2", lease)
		must(t, err)
		if retry.ID != summary.ID || retry.Attempts != 2 {
			t.Fatalf("retry = %+v", retry)
		}
		// n1's claim is gone: it cannot mark what n2 now holds.
		wantErr(t, db.MarkDelivered(ctx, summary.ID, "n1", "job-1"), apperr.Conflict, "")
		must(t, db.MarkDelivered(ctx, summary.ID, "n2", "job-1"))

		got, err := db.RecordingByExternalID(ctx, "job-1")
		must(t, err)
		if got.ID != rec.ID || got.Status != recordings.NotificationSucceeded {
			t.Fatalf("after delivery: %s %s, want %s notification_succeeded", got.ID, got.Status, rec.ID)
		}
		entries, err := db.OutboxOfRecording(ctx, rec.ID)
		must(t, err)
		for _, e := range entries {
			if e.Status != "delivered" {
				t.Fatalf("outbox entry %+v not delivered", e)
			}
		}
		ok, err := db.TransitionRecording(ctx, rec.ID, nil, recordings.ExternalProcessSuccessful)
		must(t, err)
		if !ok {
			t.Fatal("transition from any status: not changed")
		}
		ok, err = db.TransitionRecording(ctx, rec.ID, []recordings.Status{recordings.Active}, recordings.Stopped)
		must(t, err)
		if ok {
			t.Fatal("transition from a status it is not in: changed")
		}
		expired, err := db.ListExpiredRecordings(ctx, clk.Now().Add(time.Hour))
		must(t, err)
		if len(expired) != 1 || expired[0].ID != rec.ID {
			t.Fatalf("expired = %v", expired)
		}
		must(t, db.DeleteRecording(ctx, rec.ID))
		wantErr(t, db.DeleteRecording(ctx, rec.ID), apperr.NotFound, recordings.NoRecordingMessage)
	})
}

func TestRecordingOutboxDeadLetter(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		rec := newRecording(t, db, newRoom(t, db, "Dead letters", u), u.ID, recordings.Transcript)
		_, err := db.ActivateRecording(ctx, rec.ID, "s")
		must(t, err)
		_, err = db.SaveRecording(ctx, rec.ID, []recordings.Message{{Kind: recordings.MessageSummary, Payload: []byte(`{}`)}}, true)
		must(t, err)
		m, err := db.ClaimMessage(ctx, "n", time.Hour)
		must(t, err)
		must(t, db.MarkFailed(ctx, m.ID, "n", "refused", clk.Now(), true))
		clk.Advance(48 * time.Hour)
		_, err = db.ClaimMessage(ctx, "n", time.Hour)
		wantErr(t, err, apperr.NotFound, "")
		got, err := db.RecordingByID(ctx, rec.ID)
		must(t, err)
		if got.Status != recordings.Saved {
			t.Fatalf("status with a dead letter = %s, want saved", got.Status)
		}
	})
}
