package storage_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage"
)

const (
	noAccess  = "No ResourceAccess matches the given query."
	unknownID = "00000000-0000-4000-8000-000000000000"
)

func TestAccessCRUD(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner, member := newUser(t, db), newUser(t, db)
		r := newRoom(t, db, "Board", owner)

		a := &rooms.Access{UserID: member.ID, RoomID: r.ID}
		must(t, db.CreateAccess(ctx, a))
		if a.ID == "" || a.Role != rooms.Member || a.CreatedAt.IsZero() {
			t.Fatalf("created access = %+v, want an id, the member role and timestamps", a)
		}
		got, err := db.AccessByID(ctx, a.ID)
		must(t, err)
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("AccessByID (-want +got):\n%s", diff)
		}
		role, err := db.RoleOf(ctx, r.ID, member.ID)
		must(t, err)
		if role != rooms.Member {
			t.Fatalf("RoleOf = %q, want member", role)
		}

		up, err := db.UpdateAccessRole(ctx, a.ID, rooms.Administrator)
		must(t, err)
		if up.Role != rooms.Administrator || !up.UpdatedAt.After(a.UpdatedAt) || !up.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("updated access = %+v", up)
		}
		got, err = db.AccessByID(ctx, a.ID)
		must(t, err)
		if diff := cmp.Diff(up, got); diff != "" {
			t.Fatalf("after update (-want +got):\n%s", diff)
		}

		must(t, db.DeleteAccess(ctx, a.ID))
		_, err = db.AccessByID(ctx, a.ID)
		wantErr(t, err, apperr.NotFound, noAccess)
		role, err = db.RoleOf(ctx, r.ID, member.ID)
		must(t, err)
		if role != rooms.NoRole {
			t.Fatalf("RoleOf after delete = %q, want none", role)
		}
	})
}

func TestAccessErrors(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner, member := newUser(t, db), newUser(t, db)
		r := newRoom(t, db, "Board", owner)
		grant(t, db, r, member, rooms.Member)

		wantFields(t, db.CreateAccess(ctx, &rooms.Access{UserID: member.ID, RoomID: r.ID, Role: rooms.Administrator}),
			map[string][]string{"non_field_errors": {"Resource access with this User and Resource already exists."}})
		wantFields(t, db.CreateAccess(ctx, &rooms.Access{UserID: unknownID, RoomID: r.ID, Role: rooms.Member}),
			map[string][]string{"user": {fmt.Sprintf("Invalid pk %q - object does not exist.", unknownID)}})
		wantFields(t, db.CreateAccess(ctx, &rooms.Access{UserID: member.ID, RoomID: unknownID, Role: rooms.Member}),
			map[string][]string{"resource": {fmt.Sprintf("Invalid pk %q - object does not exist.", unknownID)}})
		wantFields(t, db.CreateAccess(ctx, &rooms.Access{UserID: "u", RoomID: "r", Role: rooms.Member}),
			map[string][]string{
				"user":     {`Invalid pk "u" - object does not exist.`},
				"resource": {`Invalid pk "r" - object does not exist.`},
			})
		wantFields(t, db.CreateAccess(ctx, &rooms.Access{UserID: member.ID, RoomID: r.ID, Role: "king"}),
			map[string][]string{"role": {`"king" is not a valid choice.`}})

		_, err := db.AccessByID(ctx, unknownID)
		wantErr(t, err, apperr.NotFound, noAccess)
		_, err = db.UpdateAccessRole(ctx, unknownID, rooms.Member)
		wantErr(t, err, apperr.NotFound, noAccess)
		wantErr(t, db.DeleteAccess(ctx, unknownID), apperr.NotFound, noAccess)
	})
}

func TestLastOwner(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner, other := newUser(t, db), newUser(t, db)
		r := newRoom(t, db, "Board", owner)
		details, err := db.AccessesOfRoom(ctx, r.ID)
		must(t, err)
		ownerAccess := details[0].ID

		for _, role := range []rooms.Role{rooms.Member, rooms.Administrator} {
			_, err := db.UpdateAccessRole(ctx, ownerAccess, role)
			wantErr(t, err, apperr.Forbidden, rooms.LastOwnerMessage)
		}
		wantErr(t, db.DeleteAccess(ctx, ownerAccess), apperr.Forbidden, rooms.LastOwnerMessage)
		// Staying owner is no demotion.
		if _, err := db.UpdateAccessRole(ctx, ownerAccess, rooms.Owner); err != nil {
			t.Fatalf("owner to owner: %v", err)
		}

		second := grant(t, db, r, other, rooms.Owner)
		if _, err := db.UpdateAccessRole(ctx, ownerAccess, rooms.Administrator); err != nil {
			t.Fatalf("demoting one of two owners: %v", err)
		}
		wantErr(t, db.DeleteAccess(ctx, second.ID), apperr.Forbidden, rooms.LastOwnerMessage)
		must(t, db.DeleteAccess(ctx, ownerAccess)) // an administrator now
	})
}

// TestLastOwnerConcurrent races two owners stepping down at once: exactly
// one may succeed, on every engine.
func TestLastOwnerConcurrent(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		for round := range 10 {
			a, b := newUser(t, db), newUser(t, db)
			r := newRoom(t, db, fmt.Sprintf("Race %d", round), a)
			second := grant(t, db, r, b, rooms.Owner)
			details, err := db.AccessesOfRoom(ctx, r.ID)
			must(t, err)
			var first string
			for _, d := range details {
				if d.UserID == a.ID {
					first = d.ID
				}
			}

			ops := []func() error{
				func() error { _, err := db.UpdateAccessRole(ctx, first, rooms.Member); return err },
				func() error {
					if round%2 == 0 {
						return db.DeleteAccess(ctx, second.ID)
					}
					_, err := db.UpdateAccessRole(ctx, second.ID, rooms.Administrator)
					return err
				},
			}
			errs := make([]error, len(ops))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, op := range ops {
				wg.Go(func() {
					<-start
					errs[i] = op()
				})
			}
			close(start)
			wg.Wait()

			ok, refused := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case apperr.Is(err, apperr.Forbidden):
					refused++
				default:
					t.Fatalf("round %d: unexpected error %v", round, err)
				}
			}
			if ok != 1 || refused != 1 {
				t.Fatalf("round %d: %d succeeded, %d refused; want exactly one each (%v)", round, ok, refused, errs)
			}
			details, err = db.AccessesOfRoom(ctx, r.ID)
			must(t, err)
			owners := 0
			for _, d := range details {
				if d.Role == rooms.Owner {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("round %d: %d owners left, want 1", round, owners)
			}
		}
	})
}

func TestAccessesOfRoom(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		owner, admin, nameless := newUser(t, db), newUser(t, db), newUser(t, db)
		nameless.Email, nameless.FullName, nameless.ShortName = "", "", ""
		nameless.Timezone, nameless.Language = "Europe/Paris", "fr-fr"
		must(t, db.UpdateUser(ctx, nameless))
		r := newRoom(t, db, "Board", owner)
		a1 := grant(t, db, r, admin, rooms.Administrator)
		a2 := grant(t, db, r, nameless, rooms.Member)
		newRoom(t, db, "Elsewhere", admin)

		got, err := db.AccessesOfRoom(ctx, r.ID)
		must(t, err)
		if len(got) != 3 {
			t.Fatalf("got %d accesses, want 3", len(got))
		}
		if got[0].ID != a2.ID || got[1].ID != a1.ID || got[2].UserID != owner.ID {
			t.Fatalf("order = %s, %s, %s; want newest first", got[0].ID, got[1].ID, got[2].ID)
		}
		want := rooms.AccessUser{ID: nameless.ID, Timezone: "Europe/Paris", Language: "fr-fr"}
		if diff := cmp.Diff(want, got[0].User); diff != "" {
			t.Fatalf("user (-want +got):\n%s", diff)
		}
		wantOwner := rooms.AccessUser{ID: owner.ID, Email: owner.Email, FullName: owner.FullName, ShortName: owner.ShortName,
			Timezone: "UTC", Language: "en-us"}
		if diff := cmp.Diff(wantOwner, got[2].User); diff != "" {
			t.Fatalf("owner (-want +got):\n%s", diff)
		}
		if got[2].Role != rooms.Owner || got[2].RoomID != r.ID {
			t.Fatalf("owner access = %+v", got[2].Access)
		}
	})
}

func TestListManagedAccesses(t *testing.T) {
	forEngines(t, func(t *testing.T, db *storage.DB, clk *clock) {
		alice, bob, carol := newUser(t, db), newUser(t, db), newUser(t, db)
		owned := newRoom(t, db, "Owned", alice)             // alice owner
		administered := newRoom(t, db, "Administered", bob) // alice administrator
		grant(t, db, administered, alice, rooms.Administrator)
		membership := newRoom(t, db, "Member only", carol) // alice member: not listed
		grant(t, db, membership, alice, rooms.Member)
		grant(t, db, owned, bob, rooms.Member)
		grant(t, db, owned, carol, rooms.Administrator)

		all, total, err := db.ListManagedAccesses(ctx, alice.ID, rooms.Page{})
		must(t, err)
		// owned: alice, bob, carol; administered: bob, alice.
		if total != 5 || len(all) != 5 {
			t.Fatalf("total = %d, len = %d; want 5", total, len(all))
		}
		for i, a := range all {
			if a.RoomID == membership.ID {
				t.Fatalf("access %d is in a room alice only belongs to", i)
			}
			if i > 0 && all[i-1].CreatedAt.Before(a.CreatedAt) {
				t.Fatalf("order broken at %d: want newest first", i)
			}
		}
		page, total, err := db.ListManagedAccesses(ctx, alice.ID, rooms.Page{Number: 2, Size: 2})
		must(t, err)
		if total != 5 || len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
			t.Fatalf("page 2 = %v (total %d), want accesses 3 and 4", page, total)
		}
		page, _, err = db.ListManagedAccesses(ctx, alice.ID, rooms.Page{Number: 9, Size: 2})
		must(t, err)
		if page == nil || len(page) != 0 {
			t.Fatalf("page past the end = %v, want empty", page)
		}
		none, total, err := db.ListManagedAccesses(ctx, carol.ID, rooms.Page{Number: 1, Size: 10})
		must(t, err)
		// carol owns "Member only" (2 accesses) and administers "Owned" (3).
		if total != 5 || len(none) != 5 {
			t.Fatalf("carol sees %d (total %d), want 5", len(none), total)
		}
	})
}
