package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// roomWant is the body a caller should get for c's room: the base fields,
// pin_code and livekit for callers who join directly, accesses for its
// administrators and owners.
func roomWant(c *cast, joins, manages bool) map[string]any {
	r := c.room
	cfg := any(map[string]any{})
	if len(r.Configuration) > 0 {
		cfg = r.Configuration
	}
	b := map[string]any{"id": r.ID, "name": r.Name, "slug": r.Slug, "configuration": cfg, "access_level": string(r.AccessLevel)}
	if joins {
		b["pin_code"] = nil
		b["livekit"] = map[string]any{"url": lkURL, "room": r.ID, "token": tokenMarker}
	}
	if manages {
		b["accesses"] = c.accessesJSON()
	}
	return b
}

// joinsDirectly is the reference's rule for who gets a LiveKit token on
// retrieve: anyone in a public room, signed-in users in a trusted room,
// users with a role in any room.
func joinsDirectly(level rooms.AccessLevel, who string) bool {
	switch who {
	case asMember, asAdmin, asOwner:
		return true
	case outsider:
		return level != rooms.Restricted
	}
	return level == rooms.Public
}

func manages(who string) bool { return who == asAdmin || who == asOwner }

// checkCastToken checks the token a caller of c's room got.
func checkCastToken(t *testing.T, c *cast, who string, tok lkToken) {
	t.Helper()
	sources := allSources
	if s, ok := c.room.Configuration.PublishSources(); ok && !manages(who) {
		sources = []any{}
		for _, x := range s {
			sources = append(sources, x)
		}
	}
	video := videoGrant(c.room.ID, manages(who), sources)
	switch who {
	case anonymous:
		checkToken(t, tok, "", "Anonymous", "", video)
	case outsider:
		checkToken(t, tok, c.users[who].Sub, c.users[who].FullName, "", video)
	default:
		checkToken(t, tok, c.users[who].Sub, c.users[who].FullName, who, video)
	}
}

func TestRoomRetrieve(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		for _, level := range []rooms.AccessLevel{rooms.Public, rooms.Trusted, rooms.Restricted} {
			c := env.newCast(t, level, nil)
			for _, who := range personas {
				t.Run(string(level)+"/"+who, func(t *testing.T) {
					joins := joinsDirectly(level, who)
					toks := expect(t, c.clients[who].do(t, http.MethodGet, "/rooms/"+c.room.ID+"/", nil), http.StatusOK, roomWant(c, joins, manages(who)))
					if !joins {
						return
					}
					if len(toks) != 1 {
						t.Fatalf("%d tokens, want 1", len(toks))
					}
					checkCastToken(t, c, who, toks[0])
				})
			}
		}

		t.Run("configuration limits what non-admins publish", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				cfg  rooms.Configuration
			}{
				{"microphone only", rooms.Configuration{"can_publish_sources": []any{"microphone"}}},
				{"nothing", rooms.Configuration{"can_publish_sources": []any{}}},
				{"null means defaults", rooms.Configuration{"can_publish_sources": nil, "everyone_can_mute": false}},
			} {
				c := env.newCast(t, rooms.Public, tc.cfg)
				for _, who := range personas {
					t.Run(tc.name+"/"+who, func(t *testing.T) {
						toks := expect(t, c.clients[who].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/", nil), http.StatusOK, roomWant(c, true, manages(who)))
						checkCastToken(t, c, who, toks[0])
					})
				}
			}
		})

		t.Run("every spelling of the id and slug finds the room", func(t *testing.T) {
			c := env.newCast(t, rooms.Restricted, nil)
			id := c.room.ID
			for _, key := range []string{
				id, strings.ReplaceAll(id, "-", ""), strings.ToUpper(id), strings.ToUpper(strings.ReplaceAll(id, "-", "")),
				c.room.Slug, strings.ToUpper(c.room.Slug), url.PathEscape("Team Room " + strings.TrimPrefix(c.room.Slug, "team-room-")),
			} {
				t.Run(key, func(t *testing.T) {
					expect(t, c.clients[anonymous].do(t, http.MethodGet, "/rooms/"+key+"/", nil), http.StatusOK, roomWant(c, false, false))
				})
			}
		})

		t.Run("an un-normalized slug finds the room", func(t *testing.T) {
			owner := env.userClient(t, "renee")
			r := owner.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Réunion", "access_level": "restricted"})
			if r.status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			id := r.decoded(t).(map[string]any)["id"]
			for _, key := range []string{"Réunion", "RÉUNION", "réunion", "reunion", " Réunion "} {
				t.Run(key, func(t *testing.T) {
					expect(t, env.anonymous().do(t, http.MethodGet, "/rooms/"+url.PathEscape(key)+"/", nil), http.StatusOK,
						map[string]any{"id": id, "name": "Réunion", "slug": "reunion", "configuration": map[string]any{}, "access_level": "restricted"})
				})
			}
		})

		t.Run("username names the participant", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			for _, tc := range []struct{ who, username, want string }{
				{anonymous, "Bob", "Bob"},
				{anonymous, "  Bob  ", "Bob"},
				{anonymous, "   ", "Anonymous"},
				{outsider, "Bobby", "Bobby"},
				{asOwner, "The Boss", "The Boss"},
				{asMember, "", c.users[asMember].FullName},
			} {
				t.Run(tc.who+"/"+tc.username, func(t *testing.T) {
					toks := expect(t, c.clients[tc.who].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/?username="+url.QueryEscape(tc.username), nil),
						http.StatusOK, roomWant(c, true, manages(tc.who)))
					if toks[0].Name != tc.want {
						t.Fatalf("name %q, want %q", toks[0].Name, tc.want)
					}
				})
			}
		})
	})
}

func TestRoomRetrieveNamesFixedWhenEditingIsOff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withRoomOptions(func(o *rooms.Options) { o.AuthenticatedCanEditName = false }))
		c := env.newCast(t, rooms.Public, nil)
		for who, want := range map[string]string{anonymous: "Bob", outsider: c.users[outsider].FullName, asOwner: c.users[asOwner].FullName} {
			t.Run(who, func(t *testing.T) {
				toks := expect(t, c.clients[who].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/?username=Bob", nil), http.StatusOK, roomWant(c, true, manages(who)))
				if toks[0].Name != want {
					t.Fatalf("name %q, want %q", toks[0].Name, want)
				}
			})
		}
	})
}

func TestRoomRetrieveUnregistered(t *testing.T) {
	const unknownID = "8d4a1e9b-7c2f-4b8e-9a6d-3f1e2c5b7a90"
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		signedIn := env.userClient(t, "ursula")

		t.Run("allowed: anyone may open it and joins a LiveKit room named by the slug", func(t *testing.T) {
			for _, tc := range []struct {
				name, key, slug string
				c               *apiClient
			}{
				{"anonymous", "my-meeting", "my-meeting", env.anonymous()},
				{"anonymous, un-normalized", url.PathEscape("Café Crème!"), "cafe-creme", env.anonymous()},
				{"signed in", "weekly-sync", "weekly-sync", signedIn},
			} {
				t.Run(tc.name, func(t *testing.T) {
					toks := expect(t, tc.c.do(t, http.MethodGet, "/rooms/"+tc.key+"/", nil), http.StatusOK, map[string]any{
						"id": nil, "slug": tc.slug, "is_administrable": false, "access_level": "public",
						"livekit": map[string]any{"url": lkURL, "room": tc.slug, "token": tokenMarker},
					})
					if tc.c.user == nil {
						checkToken(t, toks[0], "", "Anonymous", "", videoGrant(tc.slug, false, allSources))
					} else {
						checkToken(t, toks[0], tc.c.user.Sub, tc.c.user.FullName, "", videoGrant(tc.slug, false, allSources))
					}
				})
			}
		})

		t.Run("ids and names that cannot name a room are not found", func(t *testing.T) {
			for _, key := range []string{
				unknownID, strings.ReplaceAll(unknownID, "-", ""), strings.ToUpper(unknownID),
				url.PathEscape("{" + unknownID + "}"), "%21%21%21", strings.Repeat("a", 101),
			} {
				t.Run(key, func(t *testing.T) {
					expect(t, env.anonymous().do(t, http.MethodGet, "/rooms/"+key+"/", nil), http.StatusNotFound, detail("No Room matches the given query."))
				})
			}
		})

		t.Run("unsafe methods on an unregistered room are not found", func(t *testing.T) {
			expect(t, signedIn.do(t, http.MethodPatch, "/rooms/my-meeting/", map[string]any{"name": "x"}), http.StatusNotFound, detail("No Room matches the given query."))
			expect(t, signedIn.do(t, http.MethodDelete, "/rooms/my-meeting/", nil), http.StatusNotFound, detail("No Room matches the given query."))
		})
	})
}

// Each engine's database must be the only one of its top-level test: a
// second forEachEngine in one test would name its subtests "sqlite#01".
func TestRoomRetrieveUnregisteredDisallowed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withRoomOptions(func(o *rooms.Options) { o.AllowUnregistered = false }))
		c := env.newCast(t, rooms.Public, nil)
		for _, who := range personas {
			t.Run("disallowed/"+who, func(t *testing.T) {
				expect(t, c.clients[who].do(t, http.MethodGet, "/rooms/my-meeting/", nil), http.StatusNotFound, detail("No Room matches the given query."))
			})
		}
		t.Run("disallowed/registered rooms still open", func(t *testing.T) {
			expect(t, c.clients[anonymous].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/", nil), http.StatusOK, roomWant(c, true, false))
		})
	})
}

func TestRoomList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Restricted, nil)
		other := env.newCast(t, rooms.Public, nil) // nobody of c has a role here
		_ = other
		for _, who := range personas {
			t.Run(who, func(t *testing.T) {
				results := []any{}
				if who != anonymous && who != outsider {
					results = append(results, roomWant(c, true, manages(who)))
				}
				toks := expect(t, c.clients[who].do(t, http.MethodGet, "/rooms/", nil), http.StatusOK,
					map[string]any{"count": len(results), "next": nil, "previous": nil, "results": results})
				for _, tok := range toks {
					checkCastToken(t, c, who, tok)
				}
			})
		}
	})
}

func TestRoomCreate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)

		t.Run("anonymous callers must sign in", func(t *testing.T) {
			r := env.anonymous().do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Anonymous Room"})
			expect(t, r, http.StatusUnauthorized, detail(noCredentials))
			if got := r.header.Get("WWW-Authenticate"); got != "Session" {
				t.Fatalf("WWW-Authenticate %q, want Session", got)
			}
			if _, err := env.db.RoomBySlug(context.Background(), "anonymous-room"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("room stored for an anonymous caller: %v", err)
			}
		})

		t.Run("the creator becomes owner and gets the full room", func(t *testing.T) {
			cl := env.userClient(t, "carla")
			r := cl.do(t, http.MethodPost, "/rooms/", map[string]any{
				"name": "My Room!", "access_level": "trusted",
				"configuration": map[string]any{"can_publish_sources": []any{"microphone"}, "everyone_can_mute": nil},
				"unknown_field": "ignored",
			})
			room, err := env.db.RoomBySlug(context.Background(), "my-room")
			if err != nil {
				t.Fatalf("room not stored: %v (reply %d %s)", err, r.status, r.body)
			}
			accesses, err := env.db.AccessesOfRoom(context.Background(), room.ID)
			if err != nil || len(accesses) != 1 || accesses[0].UserID != cl.user.ID || accesses[0].Role != rooms.Owner {
				t.Fatalf("accesses %+v, %v; want the creator as only owner", accesses, err)
			}
			cfg := map[string]any{"can_publish_sources": []any{"microphone"}, "everyone_can_mute": nil}
			toks := expect(t, r, http.StatusCreated, map[string]any{
				"id": room.ID, "name": "My Room!", "slug": "my-room", "access_level": "trusted", "configuration": cfg,
				"pin_code": nil, "livekit": map[string]any{"url": lkURL, "room": room.ID, "token": tokenMarker},
				"accesses": []any{map[string]any{"id": accesses[0].ID, "resource": room.ID, "role": "owner", "user": userJSON(cl.user)}},
			})
			checkToken(t, toks[0], cl.user.Sub, cl.user.FullName, "owner", videoGrant(room.ID, true, allSources))
			if diff := cmp.Diff(asJSON(t, cfg), asJSON(t, room.Configuration)); diff != "" {
				t.Fatalf("stored configuration (-want +got):\n%s", diff)
			}
			if room.AccessLevel != rooms.Trusted || room.Name != "My Room!" {
				t.Fatalf("stored %+v", room)
			}
			if calls := env.media.takeCalls(); len(calls) != 0 {
				t.Fatalf("creating a room called the media server: %+v", calls)
			}
		})

		t.Run("slug rules", func(t *testing.T) {
			cl := env.userClient(t, "sally")
			for _, tc := range []struct{ name, slug, stored string }{
				{"Crème Brûlée Été", "creme-brulee-ete", "Crème Brûlée Été"},
				{"Hello,   World...  2026!", "hello-world-2026", "Hello,   World...  2026!"},
				{"snake_case_name", "snake_case_name", "snake_case_name"},
				{"__--Edges--__", "edges", "__--Edges--__"},
				{"Party 🎉 Time", "party-time", "Party 🎉 Time"},
				{"  Padded Name  ", "padded-name", "Padded Name"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := cl.do(t, http.MethodPost, "/rooms/", map[string]any{"name": tc.name})
					if r.status != http.StatusCreated {
						t.Fatalf("%d %s", r.status, r.body)
					}
					got := r.decoded(t).(map[string]any)
					if got["slug"] != tc.slug || got["name"] != tc.stored {
						t.Fatalf("name %q slug %q, want %q %q", got["name"], got["slug"], tc.stored, tc.slug)
					}
					room, err := env.db.RoomBySlug(context.Background(), tc.slug)
					if err != nil || room.Name != tc.stored {
						t.Fatalf("stored %+v, %v", room, err)
					}
				})
			}
		})

		t.Run("invalid names are refused and nothing is stored", func(t *testing.T) {
			cl := env.userClient(t, "ivan")
			const uuid = "123e4567-e89b-12d3-a456-426614174000"
			long := strings.Repeat("é", 501)
			for _, tc := range []struct {
				name string
				body any
				want map[string]any
			}{
				{"missing", map[string]any{}, fields("name", "This field is required.")},
				{"missing, with other problems", map[string]any{"access_level": "secret", "configuration": map[string]any{"x": true}},
					fields("name", "This field is required.", "access_level", `"secret" is not a valid choice.`, "configuration", "x: Extra inputs are not permitted.")},
				{"empty", map[string]any{"name": ""}, fields("name", "This field may not be blank.")},
				{"blank", map[string]any{"name": " \t "}, fields("name", "This field may not be blank.")},
				{"null", map[string]any{"name": nil}, fields("name", "This field may not be null.")},
				{"number", map[string]any{"name": 42}, fields("name", "Not a valid string.")},
				{"too long", map[string]any{"name": long}, fields("name", "Ensure this field has no more than 500 characters.")},
				{"no slug", map[string]any{"name": "!!! ???"}, fields("slug", "This field cannot be blank.")},
				{"slug too long", map[string]any{"name": strings.Repeat("ab ", 40)}, fields("slug", "Ensure this value has at most 100 characters (it has 119).")},
				{"uuid", map[string]any{"name": uuid}, fields("name", `Room name "`+uuid+`" is reserved.`)},
				{"uuid without dashes", map[string]any{"name": strings.ReplaceAll(uuid, "-", "")}, fields("name", `Room name "`+strings.ReplaceAll(uuid, "-", "")+`" is reserved.`)},
				{"uuid spelled in capitals and quotes", map[string]any{"name": `"` + strings.ToUpper(uuid) + `"`}, fields("name", `Room name ""`+strings.ToUpper(uuid)+`"" is reserved.`)},
				{"uuid with dashes elsewhere", map[string]any{"name": "123e-4567-e89b-12d3-a456-4266-1417-4000"}, fields("name", `Room name "123e-4567-e89b-12d3-a456-4266-1417-4000" is reserved.`)},
				{"bad access level", map[string]any{"name": "Fine", "access_level": "secret"}, fields("access_level", `"secret" is not a valid choice.`)},
				{"access level not a string", map[string]any{"name": "Fine", "access_level": 3}, fields("access_level", `"3" is not a valid choice.`)},
				{"configuration extra key", map[string]any{"name": "Fine", "configuration": map[string]any{"foo": 1}}, fields("configuration", "foo: Extra inputs are not permitted.")},
				{"configuration wrong type", map[string]any{"name": "Fine", "configuration": map[string]any{"everyone_can_mute": "yes"}}, fields("configuration", "everyone_can_mute: Input should be a valid boolean.")},
				{"configuration not an object", map[string]any{"name": "Fine", "configuration": []any{}}, fields("configuration", "Input should be a valid dictionary.")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, cl.do(t, http.MethodPost, "/rooms/", tc.body), http.StatusBadRequest, tc.want)
					if n := env.roomCount(t, cl.user.ID); n != 0 {
						t.Fatalf("%d rooms stored", n)
					}
				})
			}
		})

		t.Run("a taken slug is refused", func(t *testing.T) {
			cl := env.userClient(t, "dora")
			if r := cl.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "my daily"}); r.status != http.StatusCreated {
				t.Fatalf("first: %d %s", r.status, r.body)
			}
			other := env.userClient(t, "dino")
			expect(t, other.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "My  Daily!"}), http.StatusBadRequest,
				map[string]any{"slug": []any{"Room with this Slug already exists."}})
			if n := env.roomCount(t, other.user.ID); n != 0 {
				t.Fatalf("%d rooms stored for the second user", n)
			}
		})

		t.Run("defaults: the creator's, then the instance's", func(t *testing.T) {
			cl := env.userClient(t, "dana")
			create := func(t *testing.T, body map[string]any) map[string]any {
				t.Helper()
				r := cl.do(t, http.MethodPost, "/rooms/", body)
				if r.status != http.StatusCreated {
					t.Fatalf("%d %s", r.status, r.body)
				}
				return r.decoded(t).(map[string]any)
			}
			if got := create(t, map[string]any{"name": "No Defaults"}); got["access_level"] != "public" || len(got["configuration"].(map[string]any)) != 0 {
				t.Fatalf("without user defaults: %v", got)
			}
			u := *cl.user
			u.DefaultRoomAccessLevel = rooms.Restricted
			u.DefaultRoomConfiguration = rooms.Configuration{"everyone_can_mute": false}
			if err := env.db.UpdateUser(context.Background(), &u); err != nil {
				t.Fatal(err)
			}
			wantCfg := map[string]any{"everyone_can_mute": false}
			for _, tc := range []struct {
				name      string
				body      map[string]any
				level     string
				configure map[string]any
			}{
				{"omitted", map[string]any{"name": "Defaults 1"}, "restricted", wantCfg},
				{"empty configuration", map[string]any{"name": "Defaults 2", "configuration": map[string]any{}}, "restricted", wantCfg},
				{"explicit values win", map[string]any{"name": "Defaults 3", "access_level": "public", "configuration": map[string]any{"everyone_can_mute": true}}, "public", map[string]any{"everyone_can_mute": true}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					got := create(t, tc.body)
					if got["access_level"] != tc.level || !cmp.Equal(got["configuration"], any(tc.configure)) {
						t.Fatalf("got level %v configuration %v, want %v %v", got["access_level"], got["configuration"], tc.level, tc.configure)
					}
				})
			}
		})
	})
}

func TestRoomCreateInstanceDefault(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e, withRoomOptions(func(o *rooms.Options) { o.DefaultAccessLevel = rooms.Trusted }))
		cl := env.userClient(t, "tina")
		r := cl.do(t, http.MethodPost, "/rooms/", map[string]any{"name": "Instance Default"})
		if r.status != http.StatusCreated || r.decoded(t).(map[string]any)["access_level"] != "trusted" {
			t.Fatalf("instance default not applied: %d %s", r.status, r.body)
		}
	})
}

func TestRoomUpdate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)

		for _, method := range []string{http.MethodPut, http.MethodPatch} {
			c := env.newCast(t, rooms.Public, nil)
			for _, who := range personas {
				t.Run(method+"/"+who, func(t *testing.T) {
					body := map[string]any{"name": c.room.Name, "access_level": "trusted"}
					r := c.clients[who].do(t, method, "/rooms/"+c.room.ID+"/", body)
					switch who {
					case anonymous:
						expect(t, r, http.StatusUnauthorized, detail(noCredentials))
					case outsider, asMember:
						expect(t, r, http.StatusForbidden, detail(genericForbidden))
					default:
						c.room.AccessLevel = rooms.Trusted
						toks := expect(t, r, http.StatusOK, roomWant(c, true, true))
						checkCastToken(t, c, who, toks[0])
						c.room.AccessLevel = rooms.Public
					}
					stored := env.roomByID(t, c.room.ID)
					if want := map[bool]rooms.AccessLevel{true: rooms.Trusted, false: rooms.Public}[manages(who)]; stored.AccessLevel != want {
						t.Fatalf("stored access level %q, want %q", stored.AccessLevel, want)
					}
					// Put it back for the next caller.
					if err := env.db.UpdateRoom(context.Background(), c.room); err != nil {
						t.Fatal(err)
					}
					env.media.takeCalls()
				})
			}
		}

		t.Run("PUT requires the name, PATCH does not", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			owner := c.clients[asOwner]
			expect(t, owner.do(t, http.MethodPut, "/rooms/"+c.room.ID+"/", map[string]any{"access_level": "restricted"}), http.StatusBadRequest, fields("name", "This field is required."))
			expect(t, owner.do(t, http.MethodPut, "/rooms/"+c.room.ID+"/", map[string]any{"access_level": "hidden"}), http.StatusBadRequest,
				fields("name", "This field is required.", "access_level", `"hidden" is not a valid choice.`))
			if env.roomByID(t, c.room.ID).AccessLevel != rooms.Public {
				t.Fatal("refused PUT changed the room")
			}
			c.room.AccessLevel = rooms.Restricted
			expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.Slug+"/", map[string]any{"access_level": "restricted"}), http.StatusOK, roomWant(c, true, true))
		})

		t.Run("renaming recomputes the slug without touching LiveKit", func(t *testing.T) {
			c := env.newCast(t, rooms.Restricted, nil)
			env.media.takeCalls()
			oldSlug := c.room.Slug
			c.room.Name, c.room.Slug = "Brand New Name!", "brand-new-name"
			expect(t, c.clients[asAdmin].do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"name": "Brand New Name!"}), http.StatusOK, roomWant(c, true, true))
			if stored := env.roomByID(t, c.room.ID); stored.Slug != "brand-new-name" || stored.Name != "Brand New Name!" {
				t.Fatalf("stored %q %q", stored.Name, stored.Slug)
			}
			if calls := env.media.takeCalls(); len(calls) != 0 {
				t.Fatalf("a rename synced metadata: %+v", calls)
			}
			expect(t, c.clients[anonymous].do(t, http.MethodGet, "/rooms/brand-new-name/", nil), http.StatusOK, roomWant(c, false, false))
			// The old slug now names an unregistered room, as in the reference.
			r := c.clients[anonymous].do(t, http.MethodGet, "/rooms/"+oldSlug+"/", nil)
			if r.status != http.StatusOK || r.decoded(t).(map[string]any)["id"] != nil {
				t.Fatalf("old slug: %d %s", r.status, r.body)
			}
		})

		t.Run("renaming refuses taken and reserved slugs", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			taken := env.newCast(t, rooms.Public, nil)
			owner := c.clients[asOwner]
			expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"name": strings.ToUpper(taken.room.Name)}), http.StatusBadRequest,
				fields("slug", "Room with this Slug already exists."))
			const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e"
			expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"name": uuid}), http.StatusBadRequest,
				fields("name", `Room name "`+uuid+`" is reserved.`))
			expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"name": ""}), http.StatusBadRequest,
				fields("name", "This field may not be blank."))
			if stored := env.roomByID(t, c.room.ID); stored.Name != c.room.Name || stored.Slug != c.room.Slug {
				t.Fatalf("refused renames changed the room: %+v", stored)
			}
		})

		t.Run("configuration is validated", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, rooms.Configuration{"everyone_can_mute": false})
			owner := c.clients[asOwner]
			for _, tc := range []struct {
				name string
				cfg  any
				msg  string
			}{
				{"extra key", map[string]any{"everyone_can_mute": true, "can_record": true}, "can_record: Extra inputs are not permitted."},
				{"boolean as string", map[string]any{"everyone_can_mute": "true"}, "everyone_can_mute: Input should be a valid boolean."},
				{"unknown source", map[string]any{"can_publish_sources": []any{"camera", "hologram"}}, `can_publish_sources: Input should be 'camera', 'microphone', 'screen_share' or 'screen_share_audio', got "hologram".`},
				{"sources not a list", map[string]any{"can_publish_sources": "camera"}, "can_publish_sources: Input should be a valid list of strings."},
				{"a string", "camera", "Input should be a valid dictionary."},
			} {
				t.Run(tc.name, func(t *testing.T) {
					expect(t, owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"configuration": tc.cfg, "access_level": "trusted"}),
						http.StatusBadRequest, fields("configuration", tc.msg))
					stored := env.roomByID(t, c.room.ID)
					if stored.AccessLevel != rooms.Public || !cmp.Equal(asJSON(t, stored.Configuration), asJSON(t, c.room.Configuration)) {
						t.Fatalf("refused update changed the room: %+v", stored)
					}
				})
			}
			if calls := env.media.takeCalls(); len(calls) != 0 {
				t.Fatalf("refused updates synced metadata: %+v", calls)
			}
		})

		t.Run("permission comes before validation", func(t *testing.T) {
			c := env.newCast(t, rooms.Public, nil)
			for _, body := range []any{map[string]any{"access_level": "bogus"}, `{"name": `} {
				expect(t, c.clients[asMember].do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", body), http.StatusForbidden, detail(genericForbidden))
				expect(t, c.clients[outsider].do(t, http.MethodPut, "/rooms/"+c.room.ID+"/", body), http.StatusForbidden, detail(genericForbidden))
				expect(t, c.clients[asOwner].do(t, http.MethodPatch, "/rooms/unknown-room/", body), http.StatusNotFound, detail("No Room matches the given query."))
			}
			expect(t, c.clients[asAdmin].do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", map[string]any{"access_level": "bogus"}), http.StatusBadRequest,
				fields("access_level", `"bogus" is not a valid choice.`))
		})

		t.Run("unknown rooms are not found", func(t *testing.T) {
			cl := env.userClient(t, "nora")
			expect(t, cl.do(t, http.MethodPatch, "/rooms/8d4a1e9b-7c2f-4b8e-9a6d-3f1e2c5b7a90/", map[string]any{"name": "x"}), http.StatusNotFound, detail("No Room matches the given query."))
		})
	})
}

// TestRoomUpdateSyncsLiveKit checks that access level and configuration
// changes, and only they, are merged into the LiveKit room's metadata, and
// that a media server failure never fails the update.
func TestRoomUpdateSyncsLiveKit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, rooms.Configuration{"everyone_can_mute": false})
		owner := c.clients[asOwner]
		steps := []struct {
			name     string
			body     map[string]any
			mediaErr error
			synced   map[string]any // nil: no call expected
		}{
			{"name only", map[string]any{"name": "Renamed Room"}, nil, nil},
			{"same access level", map[string]any{"access_level": "public"}, nil, nil},
			{"same configuration", map[string]any{"configuration": map[string]any{"everyone_can_mute": false}}, nil, nil},
			{"access level", map[string]any{"access_level": "restricted"},
				nil, map[string]any{"access_level": "restricted", "configuration": map[string]any{"everyone_can_mute": false}}},
			{"configuration", map[string]any{"configuration": map[string]any{"can_publish_sources": []any{"camera"}}},
				nil, map[string]any{"access_level": "restricted", "configuration": map[string]any{"can_publish_sources": []any{"camera"}}}},
			{"both, with a rename", map[string]any{"name": "Again", "access_level": "trusted", "configuration": map[string]any{}},
				nil, map[string]any{"access_level": "trusted", "configuration": map[string]any{}}},
			{"room not live in LiveKit", map[string]any{"access_level": "public"},
				apperr.New(apperr.NotFound, "room not found"), map[string]any{"access_level": "public", "configuration": map[string]any{}}},
			{"LiveKit failing", map[string]any{"access_level": "restricted"},
				apperr.New(apperr.Unavailable, "connection refused"), map[string]any{"access_level": "restricted", "configuration": map[string]any{}}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				env.media.setErr(st.mediaErr)
				r := owner.do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/", st.body)
				if r.status != http.StatusOK {
					t.Fatalf("%d %s", r.status, r.body)
				}
				got := r.decoded(t).(map[string]any)
				stored := env.roomByID(t, c.room.ID)
				if got["access_level"] != string(stored.AccessLevel) || !cmp.Equal(got["configuration"], asJSON(t, stored.Configuration)) {
					t.Fatalf("reply %v differs from stored %+v", got, stored)
				}
				calls := env.media.takeCalls()
				var want []metadataCall
				if st.synced != nil {
					want = []metadataCall{{Room: c.room.ID, Set: st.synced}}
				}
				if diff := cmp.Diff(want, calls); diff != "" {
					t.Fatalf("metadata calls (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestRoomDelete(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		for _, who := range []string{anonymous, outsider, asMember, asAdmin} {
			t.Run(who, func(t *testing.T) {
				r := c.clients[who].do(t, http.MethodDelete, "/rooms/"+c.room.ID+"/", nil)
				if who == anonymous {
					expect(t, r, http.StatusUnauthorized, detail(noCredentials))
				} else {
					expect(t, r, http.StatusForbidden, detail(genericForbidden))
				}
				if env.roomByID(t, c.room.ID) == nil {
					t.Fatal("room deleted")
				}
			})
		}
		t.Run(asOwner, func(t *testing.T) {
			expectEmpty(t, c.clients[asOwner].do(t, http.MethodDelete, "/rooms/"+c.room.Slug+"/", nil), http.StatusNoContent)
			if env.roomByID(t, c.room.ID) != nil {
				t.Fatal("room still stored")
			}
			for p, u := range c.users {
				if role := env.roleOf(t, c.room.ID, u.ID); role != rooms.NoRole {
					t.Fatalf("%s keeps role %q in a deleted room", p, role)
				}
			}
			if calls := env.media.takeCalls(); len(calls) != 0 {
				t.Fatalf("delete called the media server: %+v", calls)
			}
			expect(t, c.clients[asOwner].do(t, http.MethodDelete, "/rooms/"+c.room.ID+"/", nil), http.StatusNotFound, detail("No Room matches the given query."))
		})
	})
}

func TestRoomListPagination(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		owner := env.userClient(t, "paula")
		const total = 105
		var names []string
		ctx := context.Background()
		// Stored in an order unrelated to the names, which the list sorts by.
		for i := range total {
			n := (i*37)%total + 1
			name := "Room " + pad3(n)
			r := &rooms.Room{Name: name, Slug: "room-" + pad3(n), AccessLevel: rooms.Restricted, Configuration: rooms.Configuration{}}
			if err := env.db.CreateRoom(ctx, r, owner.user.ID); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i <= total; i++ {
			names = append(names, "Room "+pad3(i))
		}
		list := func(t *testing.T, query string) (map[string]any, []string) {
			t.Helper()
			r := owner.do(t, http.MethodGet, "/rooms/"+query, nil)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", query, r.status, r.body)
			}
			body := r.decoded(t).(map[string]any)
			var got []string
			for _, item := range body["results"].([]any) {
				got = append(got, item.(map[string]any)["name"].(string))
			}
			delete(body, "results")
			return body, got
		}
		link := func(q string) any { return testPublic + apiV1 + "/rooms/" + q }
		for _, tc := range []struct {
			query      string
			next, prev any
			from, to   int // 1-based, inclusive
		}{
			{"", link("?page=2"), nil, 1, 20},
			{"?page=2", link("?page=3"), link(""), 21, 40},
			{"?page=6", nil, link("?page=5"), 101, 105},
			{"?page=last", nil, link("?page=5"), 101, 105},
			{"?page_size=10&page=2", link("?page=3&page_size=10"), link("?page_size=10"), 11, 20},
			{"?page_size=500", link("?page=2&page_size=500"), nil, 1, 100},
			{"?page_size=500&page=2", nil, link("?page_size=500"), 101, 105},
			{"?page_size=0", link("?page=2&page_size=0"), nil, 1, 20},
			{"?page_size=-3", link("?page=2&page_size=-3"), nil, 1, 20},
			{"?page_size=abc", link("?page=2&page_size=abc"), nil, 1, 20},
			{"?page=last&page_size=50", nil, link("?page=2&page_size=50"), 101, 105},
		} {
			t.Run(tc.query, func(t *testing.T) {
				env, got := list(t, tc.query)
				if diff := cmp.Diff(map[string]any{"count": float64(total), "next": tc.next, "previous": tc.prev}, env); diff != "" {
					t.Fatalf("envelope (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(names[tc.from-1:tc.to], got); diff != "" {
					t.Fatalf("results (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("invalid pages", func(t *testing.T) {
			for _, q := range []string{"?page=0", "?page=-1", "?page=abc", "?page=7", "?page=1.5", "?page_size=100&page=3"} {
				expect(t, owner.do(t, http.MethodGet, "/rooms/"+q, nil), http.StatusNotFound, detail("Invalid page."))
			}
			expect(t, env.anonymous().do(t, http.MethodGet, "/rooms/?page=2", nil), http.StatusNotFound, detail("Invalid page."))
			expect(t, env.anonymous().do(t, http.MethodGet, "/rooms/?page=1", nil), http.StatusOK, map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
		})
		t.Run("walking the pages sees every room once, in order", func(t *testing.T) {
			var seen []string
			for page := 1; ; page++ {
				env, got := list(t, "?page_size=7&page="+itoa(page))
				seen = append(seen, got...)
				if env["next"] == nil {
					break
				}
			}
			if diff := cmp.Diff(names, seen); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	})
}

func pad3(n int) string { return fmt.Sprintf("%03d", n) }

func itoa(n int) string { return strconv.Itoa(n) }
