package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// The reference's messages for resource accesses.
const (
	mustBeAdmin       = "You must be administrator or owner of a room to add accesses to it."
	onlyOwnersOwners  = "Only owners of a room can assign other users as owners."
	lastOwner         = "A resource should keep at least one owner."
	noAccess          = "No ResourceAccess matches the given query."
	duplicateAccess   = "Resource access with this User and Resource already exists."
	unknownUUIDAccess = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"
)

// accessWant is an access as the resource-accesses endpoints show it.
func accessWant(c *cast, who string) map[string]any {
	return map[string]any{"id": c.accessID[who], "user": c.users[who].ID, "resource": c.room.ID, "role": who}
}

func accessPath(id string) string { return "/resource-accesses/" + id + "/" }

func TestAccessList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		env.newCast(t, rooms.Public, nil) // another room: none of c's people sees its accesses
		for _, who := range personas {
			t.Run(who, func(t *testing.T) {
				r := c.clients[who].do(t, http.MethodGet, "/resource-accesses/", nil)
				switch who {
				case anonymous:
					expect(t, r, http.StatusUnauthorized, detail(noCredentials))
				case outsider, asMember:
					expect(t, r, http.StatusOK, map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
				default:
					expect(t, r, http.StatusOK, map[string]any{"count": 3, "next": nil, "previous": nil, "results": []any{
						accessWant(c, asMember), accessWant(c, asAdmin), accessWant(c, asOwner),
					}})
				}
			})
		}
	})
}

func TestAccessRetrieve(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Restricted, nil)
		for _, target := range []string{asMember, asOwner} {
			for _, who := range personas {
				t.Run(target+"/"+who, func(t *testing.T) {
					r := c.clients[who].do(t, http.MethodGet, accessPath(c.accessID[target]), nil)
					switch who {
					case anonymous:
						expect(t, r, http.StatusUnauthorized, detail(noCredentials))
					case outsider, asMember:
						expect(t, r, http.StatusForbidden, detail(genericForbidden))
					default:
						expect(t, r, http.StatusOK, accessWant(c, target))
					}
				})
			}
		}
		t.Run("unknown ids are not found", func(t *testing.T) {
			for _, id := range []string{unknownUUIDAccess, "not-a-uuid"} {
				expect(t, c.clients[asOwner].do(t, http.MethodGet, accessPath(id), nil), http.StatusNotFound, detail(noAccess))
			}
		})
	})
}

func TestAccessCreate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		ctx := context.Background()

		t.Run("who may add which role", func(t *testing.T) {
			for _, tc := range []struct {
				who, role string
				status    int
				msg       string
			}{
				{anonymous, "member", http.StatusUnauthorized, noCredentials},
				{outsider, "member", http.StatusForbidden, mustBeAdmin},
				{asMember, "member", http.StatusForbidden, mustBeAdmin},
				{asMember, "owner", http.StatusForbidden, mustBeAdmin},
				{asAdmin, "member", http.StatusCreated, ""},
				{asAdmin, "administrator", http.StatusCreated, ""},
				{asAdmin, "owner", http.StatusForbidden, onlyOwnersOwners},
				{asOwner, "member", http.StatusCreated, ""},
				{asOwner, "administrator", http.StatusCreated, ""},
				{asOwner, "owner", http.StatusCreated, ""},
			} {
				t.Run(tc.who+"/"+tc.role, func(t *testing.T) {
					c := env.newCast(t, rooms.Public, nil)
					newcomer := env.newUser(t, "newcomer"+c.room.Slug)
					r := c.clients[tc.who].do(t, http.MethodPost, "/resource-accesses/",
						map[string]any{"user": newcomer.ID, "resource": c.room.ID, "role": tc.role})
					role := env.roleOf(t, c.room.ID, newcomer.ID)
					if tc.status != http.StatusCreated {
						expect(t, r, tc.status, detail(tc.msg))
						if role != rooms.NoRole {
							t.Fatalf("refused access stored with role %q", role)
						}
						return
					}
					if role != rooms.Role(tc.role) {
						t.Fatalf("stored role %q, want %q", role, tc.role)
					}
					list, err := env.db.AccessesOfRoom(ctx, c.room.ID)
					if err != nil || len(list) != 4 || list[0].UserID != newcomer.ID {
						t.Fatalf("accesses after create: %+v, %v", list, err)
					}
					expect(t, r, http.StatusCreated, map[string]any{"id": list[0].ID, "user": newcomer.ID, "resource": c.room.ID, "role": tc.role})
				})
			}
		})

		t.Run("the role defaults to member", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			newcomer := env.newUser(t, "defaultrole")
			r := c.clients[asAdmin].do(t, http.MethodPost, "/resource-accesses/", map[string]any{"user": newcomer.ID, "resource": c.room.ID})
			if r.status != http.StatusCreated || env.roleOf(t, c.room.ID, newcomer.ID) != rooms.Member {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})

		t.Run("invalid requests", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			owner := c.clients[asOwner]
			newcomer := env.newUser(t, "invalidreq")
			for _, tc := range []struct {
				name string
				body any
				want map[string]any
			}{
				{"duplicate", map[string]any{"user": c.users[asMember].ID, "resource": c.room.ID, "role": "administrator"},
					fields("non_field_errors", duplicateAccess)},
				{"missing fields", map[string]any{}, fields("user", "This field is required.", "resource", "This field is required.")},
				{"bad role", map[string]any{"user": newcomer.ID, "resource": c.room.ID, "role": "boss"}, fields("role", `"boss" is not a valid choice.`)},
				{"null role", map[string]any{"user": newcomer.ID, "resource": c.room.ID, "role": nil}, fields("role", "This field may not be null.")},
				{"not a uuid", map[string]any{"user": "nope", "resource": c.room.ID}, fields("user", `"nope" is not a valid UUID.`)},
				{"null user", map[string]any{"user": nil, "resource": c.room.ID}, fields("user", "This field may not be null.")},
				{"number user", map[string]any{"user": 7, "resource": c.room.ID}, fields("user", "Incorrect type. Expected pk value, received int.")},
				{"unknown user", map[string]any{"user": unknownUUIDAccess, "resource": c.room.ID},
					fields("user", `Invalid pk "`+unknownUUIDAccess+`" - object does not exist.`)},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, owner.do(t, http.MethodPost, "/resource-accesses/", tc.body), http.StatusBadRequest, tc.want)
					if list, _ := env.db.AccessesOfRoom(ctx, c.room.ID); len(list) != 3 {
						t.Fatalf("%d accesses stored, want the 3 of the cast", len(list))
					}
					if env.roleOf(t, c.room.ID, c.users[asMember].ID) != rooms.Member {
						t.Fatal("duplicate changed the member's role")
					}
				})
			}
		})

		t.Run("an unknown room is refused like a room one does not administer", func(t *testing.T) {
			cl := env.userClient(t, "nobody")
			expect(t, cl.do(t, http.MethodPost, "/resource-accesses/", map[string]any{"user": cl.user.ID, "resource": unknownUUIDAccess}),
				http.StatusForbidden, detail(mustBeAdmin))
		})
	})
}

func TestAccessUpdate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		for _, method := range []string{http.MethodPut, http.MethodPatch} {
			for _, tc := range []struct {
				name           string
				who, target    string
				role           string
				status         int
				msg            string
				secondOwner    bool
				wantStoredRole string
			}{
				{"anonymous", anonymous, asMember, "administrator", http.StatusUnauthorized, noCredentials, false, "member"},
				{"outsider", outsider, asMember, "administrator", http.StatusForbidden, genericForbidden, false, "member"},
				{"member on itself", asMember, asMember, "administrator", http.StatusForbidden, genericForbidden, false, "member"},
				{"admin promotes member", asAdmin, asMember, "administrator", http.StatusOK, "", false, "administrator"},
				{"admin demotes itself", asAdmin, asAdmin, "member", http.StatusOK, "", false, "member"},
				{"admin cannot make owners", asAdmin, asMember, "owner", http.StatusForbidden, onlyOwnersOwners, false, "member"},
				{"admin cannot touch owners", asAdmin, asOwner, "member", http.StatusForbidden, onlyOwnersOwners, true, "owner"},
				{"owner makes owners", asOwner, asMember, "owner", http.StatusOK, "", false, "owner"},
				{"owner demotes admin", asOwner, asAdmin, "member", http.StatusOK, "", false, "member"},
				{"last owner cannot step down", asOwner, asOwner, "administrator", http.StatusForbidden, lastOwner, false, "owner"},
				{"an owner steps down when another remains", asOwner, asOwner, "member", http.StatusOK, "", true, "member"},
				{"owner cannot demote another owner", asOwner, "second owner", "member", http.StatusForbidden, onlyOwnersOwners, true, "owner"},
				{"owner keeps owner role", asOwner, asOwner, "owner", http.StatusOK, "", false, "owner"},
			} {
				t.Run(method+"/"+tc.name, func(t *testing.T) {
					c := env.newCast(t, rooms.Public, nil)
					if tc.secondOwner {
						u := env.newUser(t, "second"+c.room.Slug)
						a := &rooms.Access{UserID: u.ID, RoomID: c.room.ID, Role: rooms.Owner}
						if err := env.db.CreateAccess(context.Background(), a); err != nil {
							t.Fatal(err)
						}
						c.users["second owner"], c.accessID["second owner"] = u, a.ID
					}
					r := c.clients[tc.who].do(t, method, accessPath(c.accessID[tc.target]), map[string]any{"role": tc.role})
					if tc.status == http.StatusOK {
						want := map[string]any{"id": c.accessID[tc.target], "user": c.users[tc.target].ID, "resource": c.room.ID, "role": tc.role}
						expect(t, r, http.StatusOK, want)
					} else {
						expect(t, r, tc.status, detail(tc.msg))
					}
					if got := env.roleOf(t, c.room.ID, c.users[tc.target].ID); got != rooms.Role(tc.wantStoredRole) {
						t.Fatalf("stored role %q, want %q", got, tc.wantStoredRole)
					}
				})
			}
		}

		t.Run("user and resource cannot be changed", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			other := env.newCast(t, rooms.Public, nil)
			r := c.clients[asOwner].do(t, http.MethodPatch, accessPath(c.accessID[asMember]),
				map[string]any{"role": "administrator", "user": other.users[asOwner].ID, "resource": other.room.ID})
			want := accessWant(c, asMember)
			want["role"] = "administrator"
			expect(t, r, http.StatusOK, want)
			a, err := env.db.AccessByID(context.Background(), c.accessID[asMember])
			if err != nil || a.UserID != c.users[asMember].ID || a.RoomID != c.room.ID || a.Role != rooms.Administrator {
				t.Fatalf("stored %+v, %v", a, err)
			}
		})

		t.Run("without a role nothing changes, but owner accesses stay their owners'", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			expect(t, c.clients[asAdmin].do(t, http.MethodPatch, accessPath(c.accessID[asMember]), map[string]any{}), http.StatusOK, accessWant(c, asMember))
			expect(t, c.clients[asAdmin].do(t, http.MethodPatch, accessPath(c.accessID[asOwner]), map[string]any{}), http.StatusForbidden, detail(onlyOwnersOwners))
			expect(t, c.clients[asOwner].do(t, http.MethodPatch, accessPath(c.accessID[asOwner]), map[string]any{}), http.StatusOK, accessWant(c, asOwner))
		})

		t.Run("invalid roles", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			for _, tc := range []struct {
				role any
				want map[string]any
			}{
				{"boss", fields("role", `"boss" is not a valid choice.`)},
				{"", fields("role", `"" is not a valid choice.`)},
				{nil, fields("role", "This field may not be null.")},
				{true, fields("role", `"true" is not a valid choice.`)},
			} {
				expect(t, c.clients[asOwner].do(t, http.MethodPatch, accessPath(c.accessID[asMember]), map[string]any{"role": tc.role}), http.StatusBadRequest, tc.want)
			}
			if got := env.roleOf(t, c.room.ID, c.users[asMember].ID); got != rooms.Member {
				t.Fatalf("stored role %q", got)
			}
		})

		t.Run("unknown accesses are not found", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			expect(t, c.clients[asOwner].do(t, http.MethodPatch, accessPath(unknownUUIDAccess), map[string]any{"role": "member"}), http.StatusNotFound, detail(noAccess))
			expect(t, c.clients[asOwner].do(t, http.MethodPatch, accessPath(unknownUUIDAccess), map[string]any{"role": "boss"}), http.StatusNotFound, detail(noAccess))
		})

		t.Run("permission comes before validation", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			for _, body := range []any{map[string]any{"role": "boss"}, `[`} {
				expect(t, c.clients[asMember].do(t, http.MethodPatch, accessPath(c.accessID[asAdmin]), body), http.StatusForbidden, detail(genericForbidden))
				expect(t, c.clients[outsider].do(t, http.MethodPut, accessPath(c.accessID[asMember]), body), http.StatusForbidden, detail(genericForbidden))
			}
		})
	})
}

func TestAccessDelete(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		for _, tc := range []struct {
			name        string
			who, target string
			status      int
			msg         string
			secondOwner bool
		}{
			{"anonymous", anonymous, asMember, http.StatusUnauthorized, noCredentials, false},
			{"outsider", outsider, asMember, http.StatusForbidden, genericForbidden, false},
			{"member removes itself", asMember, asMember, http.StatusForbidden, genericForbidden, false},
			{"member removes admin", asMember, asAdmin, http.StatusForbidden, genericForbidden, false},
			{"admin removes member", asAdmin, asMember, http.StatusNoContent, "", false},
			{"admin removes itself", asAdmin, asAdmin, http.StatusNoContent, "", false},
			{"admin removes owner", asAdmin, asOwner, http.StatusForbidden, genericForbidden, true},
			{"owner removes admin", asOwner, asAdmin, http.StatusNoContent, "", false},
			{"last owner removes itself", asOwner, asOwner, http.StatusForbidden, lastOwner, false},
			{"owner removes itself when another remains", asOwner, asOwner, http.StatusNoContent, "", true},
			{"owner removes another owner", asOwner, "second owner", http.StatusForbidden, genericForbidden, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := env.newCast(t, rooms.Public, nil)
				if tc.secondOwner {
					u := env.newUser(t, "second"+c.room.Slug)
					a := &rooms.Access{UserID: u.ID, RoomID: c.room.ID, Role: rooms.Owner}
					if err := env.db.CreateAccess(context.Background(), a); err != nil {
						t.Fatal(err)
					}
					c.users["second owner"], c.accessID["second owner"] = u, a.ID
				}
				before := env.roleOf(t, c.room.ID, c.users[tc.target].ID)
				r := c.clients[tc.who].do(t, http.MethodDelete, accessPath(c.accessID[tc.target]), nil)
				after := env.roleOf(t, c.room.ID, c.users[tc.target].ID)
				if tc.status == http.StatusNoContent {
					expectEmpty(t, r, tc.status)
					if after != rooms.NoRole {
						t.Fatalf("access still stored with role %q", after)
					}
					return
				}
				expect(t, r, tc.status, detail(tc.msg))
				if after != before {
					t.Fatalf("refused delete changed the role from %q to %q", before, after)
				}
			})
		}
		t.Run("unknown accesses are not found", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			expect(t, c.clients[asOwner].do(t, http.MethodDelete, accessPath(unknownUUIDAccess), nil), http.StatusNotFound, detail(noAccess))
		})
	})
}

func TestAccessListPagination(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		want := []any{}
		for i := range 22 {
			u := env.newUser(t, "guest"+strconv.Itoa(i))
			a := &rooms.Access{UserID: u.ID, RoomID: c.room.ID, Role: rooms.Member}
			if err := env.db.CreateAccess(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			want = append([]any{map[string]any{"id": a.ID, "user": u.ID, "resource": c.room.ID, "role": "member"}}, want...)
		}
		want = append(want, accessWant(c, asMember), accessWant(c, asAdmin), accessWant(c, asOwner))
		base := testPublic + apiV1 + "/resource-accesses/"
		expect(t, c.clients[asAdmin].do(t, http.MethodGet, "/resource-accesses/", nil), http.StatusOK,
			map[string]any{"count": 25, "next": base + "?page=2", "previous": nil, "results": want[:20]})
		expect(t, c.clients[asAdmin].do(t, http.MethodGet, "/resource-accesses/?page=2", nil), http.StatusOK,
			map[string]any{"count": 25, "next": nil, "previous": base, "results": want[20:]})
		expect(t, c.clients[asAdmin].do(t, http.MethodGet, "/resource-accesses/?page=3", nil), http.StatusNotFound, detail("Invalid page."))
	})
}

// TestAccessLastOwnerUnderConcurrency has two owners step down at the same
// time, again and again: exactly one may, so the room always keeps an owner.
func TestAccessLastOwnerUnderConcurrency(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		for round := range 5 {
			c := env.newCast(t, rooms.Public, nil)
			second := env.newUser(t, "coowner"+c.room.Slug)
			a := &rooms.Access{UserID: second.ID, RoomID: c.room.ID, Role: rooms.Owner}
			if err := env.db.CreateAccess(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			clients := []*apiClient{c.clients[asOwner], env.signIn(t, second)}
			ids := []string{c.accessID[asOwner], a.ID}
			method := []string{http.MethodPatch, http.MethodDelete}[round%2]
			var body any
			if method == http.MethodPatch {
				body = map[string]any{"role": "member"}
			}
			replies := make([]reply, 2)
			var wg sync.WaitGroup
			for i := range 2 {
				req := clients[i].request(t, method, accessPath(ids[i]), body)
				wg.Go(func() { replies[i] = env.serve(req) })
			}
			wg.Wait()
			ok, refused := 0, 0
			for _, r := range replies {
				switch {
				case r.status < 300:
					ok++
				case r.status == http.StatusForbidden && strings.Contains(string(r.body), lastOwner):
					refused++
				default:
					t.Fatalf("%s: unexpected %d %s", method, r.status, r.body)
				}
			}
			owners := 0
			for _, u := range []string{c.users[asOwner].ID, second.ID} {
				if env.roleOf(t, c.room.ID, u) == rooms.Owner {
					owners++
				}
			}
			if ok != 1 || refused != 1 || owners != 1 {
				t.Fatalf("round %d (%s): %d succeeded, %d refused, %d owners left; want 1, 1, 1", round, method, ok, refused, owners)
			}
		}
	})
}
