package storage_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/files"
	"meet/internal/storage"
)

func newFile(u string, name string) *files.File {
	return &files.File{Type: files.BackgroundImage, Title: name, Creator: files.Creator{ID: u}, Filename: name + ".png",
		UploadState: files.Pending, Mimetype: files.PNG}
}

func TestFileLifecycle(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		f := newFile(u.ID, "one")
		must(t, db.CreateFile(ctx, f, 2))
		got, err := db.FileByID(ctx, f.ID)
		must(t, err)
		if got.Creator.FullName != u.FullName || got.Creator.ShortName != u.ShortName || got.Size != nil ||
			got.UploadState != files.Pending || !got.CreatedAt.Equal(f.CreatedAt) {
			t.Fatalf("stored file = %+v", got)
		}
		wantErr(t, db.MarkReady(ctx, f.ID), apperr.Invalid, "")
		if err := db.MarkReady(ctx, f.ID); !errors.Is(err, files.ErrNotUploaded) {
			t.Fatalf("MarkReady before the bytes = %v", err)
		}
		clk.Advance(time.Second)
		must(t, db.SetUploaded(ctx, f.ID, files.JPEG, 1234))
		must(t, db.MarkReady(ctx, f.ID))
		got, _ = db.FileByID(ctx, f.ID)
		if got.UploadState != files.Ready || got.Mimetype != files.JPEG || got.Size == nil || *got.Size != 1234 || !got.UpdatedAt.After(got.CreatedAt) {
			t.Fatalf("ready file = %+v", got)
		}
		if err := db.SetUploaded(ctx, f.ID, files.PNG, 1); !errors.Is(err, files.ErrNotPending) {
			t.Fatalf("SetUploaded on a ready file = %v", err)
		}
		if err := db.MarkReady(ctx, f.ID); !errors.Is(err, files.ErrNotPending) {
			t.Fatalf("MarkReady twice = %v", err)
		}

		// The limit, per creator and type; the id must be new.
		must(t, db.CreateFile(ctx, newFile(u.ID, "two"), 2))
		wantErr(t, db.CreateFile(ctx, newFile(u.ID, "three"), 2), apperr.Forbidden, files.TooManyMessage)
		must(t, db.CreateFile(ctx, newFile(u.ID, "unbounded"), 0))
		other := newUser(t, db)
		dup := newFile(other.ID, "dup")
		dup.ID = f.ID
		wantFields(t, db.CreateFile(ctx, dup, 2), map[string][]string{"id": {files.IDExistsMessage}})

		list, total, err := db.ListFiles(ctx, u.ID, files.ListQuery{Ordering: "title", Limit: 2})
		must(t, err)
		if total != 3 || len(list) != 2 || list[0].Title != "one" || list[1].Title != "two" {
			t.Fatalf("list = %d %+v", total, list)
		}
		list, total, _ = db.ListFiles(ctx, u.ID, files.ListQuery{UploadState: files.Ready, Limit: 10})
		if total != 1 || list[0].ID != f.ID {
			t.Fatalf("ready files = %d %+v", total, list)
		}
		if _, total, _ := db.ListFiles(ctx, other.ID, files.ListQuery{Limit: 10}); total != 0 {
			t.Fatalf("another user's list has %d files", total)
		}

		must(t, db.DeleteFile(ctx, f.ID))
		wantErr(t, db.DeleteFile(ctx, f.ID), apperr.NotFound, files.NotFoundMessage)
		_, err = db.FileByID(ctx, f.ID)
		wantErr(t, err, apperr.NotFound, files.NotFoundMessage)
		if err := db.SetUploaded(ctx, f.ID, files.PNG, 1); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("SetUploaded of a deleted file = %v", err)
		}
	})
}

// TestFileConcurrency: of two upload-ended at once one wins, and creations
// at once never pass the limit.
func TestFileConcurrency(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, _ *clock) {
		u := newUser(t, db)
		f := newFile(u.ID, "race")
		must(t, db.CreateFile(ctx, f, 0))
		must(t, db.SetUploaded(ctx, f.ID, files.PNG, 10))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { errs[i] = db.MarkReady(ctx, f.ID) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || !(errors.Is(errs[0], files.ErrNotPending) || errors.Is(errs[1], files.ErrNotPending)) {
			t.Fatalf("two MarkReady at once: %v, %v", errs[0], errs[1])
		}

		owner := newUser(t, db)
		const tries, limit = 8, 3
		created := make([]error, tries)
		for i := range created {
			wg.Go(func() { created[i] = db.CreateFile(ctx, newFile(owner.ID, "c"), limit) })
		}
		wg.Wait()
		ok := 0
		for _, err := range created {
			switch {
			case err == nil:
				ok++
			case apperr.Is(err, apperr.Forbidden), apperr.Is(err, apperr.Unavailable):
			default:
				t.Errorf("create: %v", err)
			}
		}
		if _, total, _ := db.ListFiles(ctx, owner.ID, files.ListQuery{Limit: 100}); total != ok || total > limit {
			t.Fatalf("%d files stored, %d creations succeeded, limit %d", total, ok, limit)
		}
	})
}
