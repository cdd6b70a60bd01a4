package storage_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/storage"
)

func TestSessions(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := newUser(t, db)
		now := clk.Now()
		s := auth.Session{ID: "raw-cookie-value", UserID: u.ID, Values: map[string]string{"id_token": "x.y.z"}, ExpiresAt: now.Add(time.Hour)}
		must(t, db.Save(ctx, s))
		got, err := db.Get(ctx, s.ID)
		must(t, err)
		want := s
		want.ExpiresAt = s.ExpiresAt.Truncate(time.Microsecond)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Get (-want +got):\n%s", diff)
		}

		// Save replaces: a pre-login session becomes a user's session.
		anon := auth.Session{ID: "pre-login", ExpiresAt: now.Add(10 * time.Minute)}
		must(t, db.Save(ctx, anon))
		got, err = db.Get(ctx, anon.ID)
		must(t, err)
		if got.UserID != "" || got.Values == nil || len(got.Values) != 0 {
			t.Fatalf("anonymous session = %+v, want no user and empty values", got)
		}
		anon.UserID, anon.Values = u.ID, map[string]string{"state": "s"}
		must(t, db.Save(ctx, anon))
		got, err = db.Get(ctx, anon.ID)
		must(t, err)
		if got.UserID != u.ID || got.Values["state"] != "s" {
			t.Fatalf("replaced session = %+v", got)
		}

		must(t, db.Delete(ctx, s.ID))
		_, err = db.Get(ctx, s.ID)
		wantErr(t, err, apperr.NotFound, "")
		must(t, db.Delete(ctx, s.ID)) // twice is fine

		wantErr(t, db.Save(ctx, auth.Session{ID: "x", UserID: unknownID, ExpiresAt: now.Add(time.Hour)}), apperr.NotFound, noUser)
		wantErr(t, db.Save(ctx, auth.Session{ExpiresAt: now.Add(time.Hour)}), apperr.Invalid, "")
	})
}

func TestSessionExpiry(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		now := clk.Now()
		must(t, db.Save(ctx, auth.Session{ID: "short", ExpiresAt: now.Add(time.Minute)}))
		must(t, db.Save(ctx, auth.Session{ID: "long", ExpiresAt: now.Add(time.Hour)}))
		if _, err := db.Get(ctx, "short"); err != nil {
			t.Fatalf("fresh session: %v", err)
		}
		clk.Advance(2 * time.Minute)
		_, err := db.Get(ctx, "short")
		wantErr(t, err, apperr.NotFound, "")
		if _, err := db.Get(ctx, "long"); err != nil {
			t.Fatalf("long session: %v", err)
		}
		n, err := db.DeleteExpiredSessions(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("DeleteExpiredSessions removed %d, want 1", n)
		}
		clk.Advance(time.Hour)
		_, err = db.Get(ctx, "long")
		wantErr(t, err, apperr.NotFound, "")
	})
}

func TestSessionsDeleteByUser(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		a, b := newUser(t, db), newUser(t, db)
		exp := clk.Now().Add(time.Hour)
		for _, s := range []auth.Session{
			{ID: "a1", UserID: a.ID, ExpiresAt: exp},
			{ID: "a2", UserID: a.ID, ExpiresAt: exp},
			{ID: "b1", UserID: b.ID, ExpiresAt: exp},
			{ID: "anon", ExpiresAt: exp},
		} {
			must(t, db.Save(ctx, s))
		}
		must(t, db.DeleteByUser(ctx, a.ID))
		for id, alive := range map[string]bool{"a1": false, "a2": false, "b1": true, "anon": true} {
			_, err := db.Get(ctx, id)
			if alive != (err == nil) {
				t.Fatalf("session %s: err = %v, want alive=%v", id, err, alive)
			}
		}
	})
}
