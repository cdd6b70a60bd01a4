package storage_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage"
)

func TestRoomCRUD(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner := newUser(t, db)
		r := &rooms.Room{
			Name: "Daily Standup", Slug: "daily-standup", AccessLevel: rooms.Restricted, PinCode: "0123456789",
			Configuration: rooms.Configuration{"can_publish_sources": []any{"camera"}, "everyone_can_mute": false},
		}
		must(t, db.CreateRoom(ctx, r, owner.ID))
		if r.ID == "" || r.CreatedAt.IsZero() || !r.CreatedAt.Equal(r.UpdatedAt) {
			t.Fatalf("created room = %+v, want an id and equal timestamps", r)
		}

		got, err := db.RoomByID(ctx, r.ID)
		must(t, err)
		if diff := cmp.Diff(r, got); diff != "" {
			t.Fatalf("RoomByID (-want +got):\n%s", diff)
		}
		got, err = db.RoomBySlug(ctx, "daily-standup")
		must(t, err)
		if diff := cmp.Diff(r, got); diff != "" {
			t.Fatalf("RoomBySlug (-want +got):\n%s", diff)
		}

		role, err := db.RoleOf(ctx, r.ID, owner.ID)
		must(t, err)
		if role != rooms.Owner {
			t.Fatalf("creator role = %q, want owner", role)
		}

		r.Name, r.Slug, r.AccessLevel, r.PinCode = "Weekly", "weekly", rooms.Trusted, ""
		r.Configuration = rooms.Configuration{"everyone_can_mute": nil}
		created := r.CreatedAt
		must(t, db.UpdateRoom(ctx, r))
		if !r.CreatedAt.Equal(created) || !r.UpdatedAt.After(created) {
			t.Fatalf("timestamps after update = %v / %v", r.CreatedAt, r.UpdatedAt)
		}
		got, err = db.RoomByID(ctx, r.ID)
		must(t, err)
		if diff := cmp.Diff(r, got); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}
		if _, err := db.RoomBySlug(ctx, "daily-standup"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("old slug lookup err = %v, want not found", err)
		}

		must(t, db.DeleteRoom(ctx, r.ID))
		_, err = db.RoomByID(ctx, r.ID)
		wantErr(t, err, apperr.NotFound, "No Room matches the given query.")
		list, err := db.AccessesOfRoom(ctx, r.ID)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("accesses of a deleted room = %v, want none (cascade)", list)
		}
	})
}

func TestRoomNotFound(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		const msg = "No Room matches the given query."
		const missing = "00000000-0000-4000-8000-000000000000"
		_, err := db.RoomByID(ctx, missing)
		wantErr(t, err, apperr.NotFound, msg)
		_, err = db.RoomBySlug(ctx, "nope")
		wantErr(t, err, apperr.NotFound, msg)
		wantErr(t, db.UpdateRoom(ctx, &rooms.Room{ID: missing, Name: "x", Slug: "x", AccessLevel: rooms.Public}), apperr.NotFound, msg)
		wantErr(t, db.DeleteRoom(ctx, missing), apperr.NotFound, msg)
		role, err := db.RoleOf(ctx, missing, missing)
		if err != nil || role != rooms.NoRole {
			t.Fatalf("RoleOf unknown = %q, %v; want no role", role, err)
		}
	})
}

func TestRoomUniqueness(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner := newUser(t, db)
		a := newRoom(t, db, "Alpha", owner)
		b := newRoom(t, db, "Beta", owner)

		dup := &rooms.Room{Name: "ALPHA", Slug: "alpha", AccessLevel: rooms.Public}
		wantFields(t, db.CreateRoom(ctx, dup, owner.ID), map[string][]string{"slug": {rooms.SlugTakenMessage}})
		if _, err := db.RoomByID(ctx, dup.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a refused room was stored (err %v)", err)
		}
		if list, _, err := db.ListRoomsForUser(ctx, owner.ID, rooms.Page{Number: 1, Size: 10}); err != nil || len(list) != 2 {
			t.Fatalf("rooms after refused create = %d, %v; want 2 (no access left behind)", len(list), err)
		}

		b.Slug = a.Slug
		wantFields(t, db.UpdateRoom(ctx, b), map[string][]string{"slug": {rooms.SlugTakenMessage}})

		a.PinCode, b.Slug = "1234", "beta"
		must(t, db.UpdateRoom(ctx, a))
		b.PinCode = "1234"
		wantFields(t, db.UpdateRoom(ctx, b), map[string][]string{"pin_code": {"Room with this Pin code already exists."}})

		// Rooms without a PIN do not collide.
		c := newRoom(t, db, "Gamma", owner)
		c.PinCode = ""
		must(t, db.UpdateRoom(ctx, c))
	})
}

func TestCreateRoomUnknownOwner(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		r := &rooms.Room{Name: "Solo", Slug: "solo", AccessLevel: rooms.Public}
		wantErr(t, db.CreateRoom(ctx, r, "00000000-0000-4000-8000-000000000000"), apperr.NotFound, "No User matches the given query.")
		if _, err := db.RoomBySlug(ctx, "solo"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("room stored without its owner (err %v)", err)
		}
	})
}

func TestListRoomsForUser(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		alice, bob := newUser(t, db), newUser(t, db)
		// Same names sort by id; names sort bytewise.
		var want []string
		for i, name := range []string{"Zulu", "alpha", "Mike", "Mike", "Echo"} {
			r := &rooms.Room{Name: name, Slug: fmt.Sprintf("room-%d", i), AccessLevel: rooms.Public}
			must(t, db.CreateRoom(ctx, r, alice.ID))
			_ = r
		}
		newRoom(t, db, "Bob's", bob)
		all, total, err := db.ListRoomsForUser(ctx, alice.ID, rooms.Page{Number: 1, Size: 100})
		must(t, err)
		if total != 5 || len(all) != 5 {
			t.Fatalf("total = %d, len = %d; want 5", total, len(all))
		}
		for i := 1; i < len(all); i++ {
			p, c := all[i-1], all[i]
			if p.Name > c.Name || (p.Name == c.Name && p.ID > c.ID) {
				t.Fatalf("order broken at %d: %q/%s before %q/%s", i, p.Name, p.ID, c.Name, c.ID)
			}
		}
		for _, r := range all {
			want = append(want, r.ID)
		}

		tests := []struct {
			name string
			page rooms.Page
			want []string
		}{
			{"first page", rooms.Page{Number: 1, Size: 2}, want[0:2]},
			{"middle page", rooms.Page{Number: 2, Size: 2}, want[2:4]},
			{"last partial page", rooms.Page{Number: 3, Size: 2}, want[4:5]},
			{"past the end", rooms.Page{Number: 4, Size: 2}, []string{}},
			{"page zero is the first", rooms.Page{Number: 0, Size: 2}, want[0:2]},
			{"no size means everything", rooms.Page{}, want},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := db.ListRoomsForUser(ctx, alice.ID, tc.page)
				must(t, err)
				ids := []string{}
				for _, r := range got {
					ids = append(ids, r.ID)
				}
				if total != 5 {
					t.Errorf("total = %d, want 5", total)
				}
				if diff := cmp.Diff(tc.want, ids); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}

		none, total, err := db.ListRoomsForUser(ctx, "00000000-0000-4000-8000-000000000000", rooms.Page{Number: 1, Size: 20})
		must(t, err)
		if none == nil || len(none) != 0 || total != 0 {
			t.Fatalf("rooms of a stranger = %v (%d), want an empty non-nil list", none, total)
		}
	})
}
