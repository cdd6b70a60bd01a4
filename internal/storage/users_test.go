package storage_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/users"
)

const noUser = "No User matches the given query."

func TestUserCRUD(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		u := &users.User{
			Sub: "abc", Issuer: "https://idp.test", Email: "Ada@Example.test", FullName: "Ada Lovelace", ShortName: "Ada",
			IsActive: true, DefaultRoomAccessLevel: rooms.Trusted,
			DefaultRoomConfiguration: rooms.Configuration{"everyone_can_mute": false},
		}
		must(t, db.CreateUser(ctx, u))
		if u.ID == "" || u.Language != "en-us" || u.Timezone != "UTC" || u.CreatedAt.IsZero() {
			t.Fatalf("created user = %+v, want an id, defaults and timestamps", u)
		}

		for name, get := range map[string]func() (*users.User, error){
			"by id":    func() (*users.User, error) { return db.UserByID(ctx, u.ID) },
			"by sub":   func() (*users.User, error) { return db.UserBySub(ctx, "https://idp.test", "abc") },
			"by email": func() (*users.User, error) { return db.UserByEmail(ctx, "aDA@example.TEST") },
		} {
			got, err := get()
			must(t, err)
			if diff := cmp.Diff(u, got); diff != "" {
				t.Fatalf("%s (-want +got):\n%s", name, diff)
			}
		}

		level, cfg, err := db.RoomDefaults(ctx, u.ID)
		must(t, err)
		if level != rooms.Trusted || !cmp.Equal(cfg, u.DefaultRoomConfiguration) {
			t.Fatalf("RoomDefaults = %q, %v", level, cfg)
		}

		u.Sub, u.Email, u.Language, u.Timezone, u.IsActive = "", "", "fr-fr", "Europe/Paris", false
		u.DefaultRoomAccessLevel, u.DefaultRoomConfiguration = "", nil
		u.PasswordHash = "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA"
		must(t, db.UpdateUser(ctx, u))
		got, err := db.UserByID(ctx, u.ID)
		must(t, err)
		u.DefaultRoomConfiguration = rooms.Configuration{}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}
		level, cfg, err = db.RoomDefaults(ctx, u.ID)
		must(t, err)
		if level != "" || len(cfg) != 0 {
			t.Fatalf("RoomDefaults after clearing = %q, %v", level, cfg)
		}
	})
}

func TestUserNotFound(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		newUser(t, db)
		_, err := db.UserByID(ctx, unknownID)
		wantErr(t, err, apperr.NotFound, noUser)
		_, err = db.UserBySub(ctx, "https://idp.test", "nobody")
		wantErr(t, err, apperr.NotFound, noUser)
		_, err = db.UserBySub(ctx, "https://other.test", "sub-1") // right sub, wrong issuer
		wantErr(t, err, apperr.NotFound, noUser)
		_, err = db.UserBySub(ctx, "", "")
		wantErr(t, err, apperr.NotFound, noUser)
		_, err = db.UserByEmail(ctx, "nobody@example.test")
		wantErr(t, err, apperr.NotFound, noUser)
		_, err = db.UserByEmail(ctx, "")
		wantErr(t, err, apperr.NotFound, noUser)
		wantErr(t, db.UpdateUser(ctx, &users.User{ID: unknownID}), apperr.NotFound, noUser)
		_, _, err = db.RoomDefaults(ctx, unknownID)
		wantErr(t, err, apperr.NotFound, noUser)
	})
}

func TestUserConflicts(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		must(t, db.CreateUser(ctx, &users.User{Sub: "s1", Email: "dup@example.test", IsActive: true}))
		err := db.CreateUser(ctx, &users.User{Sub: "s1", Email: "other@example.test"})
		wantErr(t, err, apperr.Conflict, "")

		// Users with a sub may share an address; sub-less users may not.
		must(t, db.CreateUser(ctx, &users.User{Sub: "s2", Email: "dup@example.test"}))
		must(t, db.CreateUser(ctx, &users.User{Email: "Pending@example.test"}))
		wantErr(t, db.CreateUser(ctx, &users.User{Email: "pending@EXAMPLE.test"}), apperr.Conflict, "")
		// Any number of users without sub nor e-mail.
		must(t, db.CreateUser(ctx, &users.User{}))
		must(t, db.CreateUser(ctx, &users.User{}))

		_, err = db.UserByEmail(ctx, "DUP@example.test")
		wantErr(t, err, apperr.Conflict, "")

		u := &users.User{Sub: "s3"}
		must(t, db.CreateUser(ctx, u))
		u.Sub = "s2"
		wantErr(t, db.UpdateUser(ctx, u), apperr.Conflict, "")
	})
}

func TestListUsers(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		list, err := db.ListUsers(ctx)
		must(t, err)
		if list == nil || len(list) != 0 {
			t.Fatalf("empty ListUsers = %v, want an empty list", list)
		}
		a, b, c := newUser(t, db), newUser(t, db), newUser(t, db)
		list, err = db.ListUsers(ctx)
		must(t, err)
		var ids []string
		for _, u := range list {
			ids = append(ids, u.ID)
		}
		if diff := cmp.Diff([]string{c.ID, b.ID, a.ID}, ids); diff != "" {
			t.Fatalf("ListUsers order (-want +got):\n%s", diff)
		}
	})
}
