package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/cache"
	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// fakeMembers stands in for the SFU's participants: who is connected to which
// room, and every permission change and removal meet asks for. It is the
// rooms.Call of the rooms service and the httpapi.ParticipantControl of the
// server, so both see the same call.
type fakeMembers struct {
	mu       sync.Mutex
	members  map[string][]rooms.CallMember // by LiveKit room
	regrants []rooms.JoinGrant
	removed  []string
	// regrantErr makes every Regrant fail.
	regrantErr error
}

var (
	_ rooms.Call                 = (*fakeMembers)(nil)
	_ httpapi.ParticipantControl = (*fakeMembers)(nil)
)

func newFakeMembers() *fakeMembers { return &fakeMembers{members: map[string][]rooms.CallMember{}} }

// join puts a participant in a room's call.
func (f *fakeMembers) join(room string, m rooms.CallMember) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.members[room] = append(f.members[room], m)
}

func (f *fakeMembers) Members(_ context.Context, room string) ([]rooms.CallMember, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.members[room]), nil
}

func (f *fakeMembers) Member(_ context.Context, room, identity string) (rooms.CallMember, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.members[room] {
		if m.Identity == identity {
			return m, nil
		}
	}
	return rooms.CallMember{}, apperr.New(apperr.NotFound, "not found")
}

func (f *fakeMembers) Regrant(_ context.Context, g rooms.JoinGrant) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.regrantErr != nil {
		return f.regrantErr
	}
	f.regrants = append(f.regrants, g)
	for i, m := range f.members[g.Room] {
		if m.Identity == g.Identity {
			f.members[g.Room][i].Role = rooms.Role(g.Attributes["room_role"])
		}
	}
	return nil
}

func (f *fakeMembers) Remove(ctx context.Context, room, identity string) error {
	return f.RemoveParticipant(ctx, room, identity)
}

func (f *fakeMembers) RemoveParticipant(_ context.Context, room, identity string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.IndexFunc(f.members[room], func(m rooms.CallMember) bool { return m.Identity == identity })
	if i < 0 {
		return apperr.New(apperr.NotFound, "not found")
	}
	f.members[room] = slices.Delete(f.members[room], i, i+1)
	f.removed = append(f.removed, identity)
	return nil
}

// takeRegrants returns the permission changes so far, as (identity → what
// it may publish, whether it has a room role) summaries, and forgets them.
func (f *fakeMembers) takeRegrants() map[string]grantSummary {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]grantSummary{}
	for _, g := range f.regrants {
		out[g.Identity] = grantSummary{Role: g.Attributes["room_role"], Sources: g.CanPublishSources, CanPublish: g.CanPublish}
	}
	f.regrants = nil
	return out
}

// grantSummary is what a permission change gave one participant.
type grantSummary struct {
	Role       string
	Sources    []string
	CanPublish bool
}

// newMembersEnv returns an API server whose rooms service acts on a fakeMembers, with an
// in-memory deny list.
func newMembersEnv(t *testing.T, e storagetest.Engine, moveOut bool) (*apiEnv, *fakeMembers, *cache.DenyListMemory) {
	t.Helper()
	call, deny := newFakeMembers(), cache.NewDenyListMemory(nil)
	env := newAPIEnv(t, e, withRoomOptions(func(o *rooms.Options) {
		o.Call, o.DenyList, o.DenyTTL, o.MoveOutOnDemotion = call, deny, rooms.DenyTTLFor(0), moveOut
	}), withDeps(func(d *httpapi.Deps) { d.Participants = call }))
	return env, call, deny
}

// joinCast puts every signed-in persona of c, and a guest, in the call.
func joinCast(c *cast, call *fakeMembers) {
	for _, p := range []string{asOwner, asAdmin, asMember, outsider} {
		call.join(c.room.ID, rooms.CallMember{Identity: c.users[p].Sub, Role: rooms.Role(roleName(p)), Authenticated: true})
	}
	call.join(c.room.ID, rooms.CallMember{Identity: "guest-1"})
}

// roleName is the room role of a persona ("" for outsiders).
func roleName(persona string) string {
	switch persona {
	case asOwner, asAdmin, asMember:
		return persona
	}
	return ""
}

func TestUpdateParticipantRoleMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env, call, _ := newMembersEnv(t, e, false)
		cfg := rooms.Configuration{"can_publish_sources": []any{"microphone"}}
		c := env.newCast(t, rooms.Restricted, cfg)
		joinCast(c, call)
		path := "/rooms/" + c.room.ID + "/update-participant-role/"
		body := func(identity, role string) map[string]string {
			return map[string]string{"participant_identity": identity, "role": role}
		}
		sub := func(p string) string { return c.users[p].Sub }
		type reqCase struct {
			name   string
			as     string
			body   any
			status int
			want   any
		}
		for _, tc := range []reqCase{
			{"anonymous", anonymous, body(sub(outsider), "member"), http.StatusUnauthorized, detail(noCredentials)},
			{"stranger", outsider, body(sub(asMember), "administrator"), http.StatusForbidden, detail(genericForbidden)},
			{"member", asMember, body(sub(outsider), "member"), http.StatusForbidden, detail(genericForbidden)},
			{"owner is not a valid choice", asOwner, body(sub(asMember), "owner"), http.StatusBadRequest, fields("role", `"owner" is not a valid choice.`)},
			{"fields missing", asOwner, map[string]any{}, http.StatusBadRequest, map[string]any{
				"participant_identity": []any{"This field is required."}, "role": []any{"This field is required."}}},
			{"own role", asAdmin, body(sub(asAdmin), "member"), http.StatusForbidden, map[string]any{"error": rooms.CannotChangeOwnRoleMessage}},
			{"owner demoted", asAdmin, body(sub(asOwner), "member"), http.StatusForbidden, map[string]any{"error": rooms.OwnersCannotBeDemoted}},
			{"guest", asAdmin, body("guest-1", "member"), http.StatusNotFound, map[string]any{"error": rooms.NoAccountMessage}},
			{"not in the call", asAdmin, body("nobody", "member"), http.StatusNotFound, map[string]any{"error": rooms.ParticipantNotFoundMessage}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expect(t, c.clients[tc.as].do(t, http.MethodPost, path, tc.body), tc.status, tc.want)
				if got := call.takeRegrants(); len(got) != 0 {
					t.Errorf("a refused request changed the call: %v", got)
				}
			})
		}
		if got := env.roleOf(t, c.room.ID, c.users[outsider].ID); got != rooms.NoRole {
			t.Fatalf("refused requests gave the stranger role %q", got)
		}
		t.Run("unknown room", func(t *testing.T) {
			expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/no-such-room/update-participant-role/", body(sub(outsider), "member")),
				http.StatusNotFound, detail(rooms.NoRoomMessage))
		})

		// An administrator promotes the stranger: access written, call updated.
		expect(t, c.clients[asAdmin].do(t, http.MethodPost, path, body(sub(outsider), "administrator")),
			http.StatusOK, map[string]any{"role": "administrator", "livekit_synced": true})
		if got := env.roleOf(t, c.room.ID, c.users[outsider].ID); got != rooms.Administrator {
			t.Fatalf("stored role %q, want administrator", got)
		}
		want := map[string]grantSummary{sub(outsider): {Role: "administrator", Sources: rooms.DefaultSources, CanPublish: true}}
		if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
			t.Fatalf("call update (-want +got):\n%s", diff)
		}

		// The owner demotes the administrator to member: the configuration's sources apply again.
		expect(t, c.clients[asOwner].do(t, http.MethodPost, path, body(sub(asAdmin), "member")),
			http.StatusOK, map[string]any{"role": "member", "livekit_synced": true})
		if got := env.roleOf(t, c.room.ID, c.users[asAdmin].ID); got != rooms.Member {
			t.Fatalf("stored role %q, want member", got)
		}
		want = map[string]grantSummary{sub(asAdmin): {Role: "member", Sources: []string{"microphone"}, CanPublish: true}}
		if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
			t.Fatalf("call update (-want +got):\n%s", diff)
		}
		if len(call.removed) != 0 {
			t.Fatalf("demotion moved %v out although the SFU's API is not exposed", call.removed)
		}

		// The demoted administrator lost the right to change roles.
		expect(t, c.clients[asAdmin].do(t, http.MethodPost, path, body(sub(asMember), "administrator")),
			http.StatusForbidden, detail(genericForbidden))

		// A host who left the call may not change roles (presence fails closed).
		if err := call.RemoveParticipant(context.Background(), c.room.ID, sub(asOwner)); err != nil {
			t.Fatal(err)
		}
		expect(t, c.clients[asOwner].do(t, http.MethodPost, path, body(sub(asMember), "administrator")),
			http.StatusForbidden, detail(genericForbidden))

		// The access is written even when LiveKit fails; the reply says so.
		call.mu.Lock()
		call.regrantErr = apperr.New(apperr.Unavailable, "down")
		call.mu.Unlock()
		expect(t, c.clients[outsider].do(t, http.MethodPost, path, body(sub(asMember), "administrator")),
			http.StatusOK, map[string]any{"role": "administrator", "livekit_synced": false})
		if got := env.roleOf(t, c.room.ID, c.users[asMember].ID); got != rooms.Administrator {
			t.Fatalf("stored role %q after a LiveKit failure, want administrator", got)
		}
	})
}

// TestAccessChangesReachTheCall: deleting or lowering an administrator's
// access through resource-accesses/ takes its rights away in the call at
// once; with an exposed LiveKit API the participant is also moved out, so
// that it reconnects without LiveKit's roomAdmin claim.
func TestAccessChangesReachTheCall(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		for _, moveOut := range []bool{false, true} {
			env, call, _ := newMembersEnv(t, e, moveOut)
			c := env.newCast(t, rooms.Restricted, rooms.Configuration{"can_publish_sources": []any{}})
			joinCast(c, call)
			adminSub, memberSub := c.users[asAdmin].Sub, c.users[asMember].Sub

			expectEmpty(t, c.clients[asOwner].do(t, http.MethodDelete, "/resource-accesses/"+c.accessID[asAdmin]+"/", nil), http.StatusNoContent)
			want := map[string]grantSummary{adminSub: {Role: "", Sources: []string{}, CanPublish: false}}
			if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
				t.Fatalf("moveOut=%t: deleted access (-want +got):\n%s", moveOut, diff)
			}
			if wantRemoved := moveOut; slices.Contains(call.removed, adminSub) != wantRemoved {
				t.Fatalf("moveOut=%t: removed %v", moveOut, call.removed)
			}

			// Promotion then demotion of the member through PATCH.
			patch := func(role string) {
				t.Helper()
				r := c.clients[asOwner].do(t, http.MethodPatch, "/resource-accesses/"+c.accessID[asMember]+"/", map[string]string{"role": role})
				if r.status != http.StatusOK {
					t.Fatalf("PATCH access: %d %s", r.status, r.body)
				}
			}
			patch("administrator")
			want = map[string]grantSummary{memberSub: {Role: "administrator", Sources: rooms.DefaultSources, CanPublish: true}}
			if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
				t.Fatalf("promotion (-want +got):\n%s", diff)
			}
			if slices.Contains(call.removed, memberSub) {
				t.Fatal("a promotion moved the participant out")
			}
			patch("member")
			want = map[string]grantSummary{memberSub: {Role: "member", Sources: []string{}, CanPublish: false}}
			if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
				t.Fatalf("demotion (-want +got):\n%s", diff)
			}
			if slices.Contains(call.removed, memberSub) != moveOut {
				t.Fatalf("moveOut=%t: removed %v after demotion", moveOut, call.removed)
			}
		}
	})
}

// TestRoomSettingsReachTheCall: a configuration change reaches every
// connected participant according to its role.
func TestRoomSettingsReachTheCall(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env, call, _ := newMembersEnv(t, e, false)
		c := env.newCast(t, rooms.Public, nil)
		joinCast(c, call)
		r := c.clients[asAdmin].do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/",
			map[string]any{"configuration": map[string]any{"can_publish_sources": []string{"microphone"}}})
		if r.status != http.StatusOK {
			t.Fatalf("PATCH room: %d %s", r.status, r.body)
		}
		mic := []string{"microphone"}
		want := map[string]grantSummary{
			c.users[asOwner].Sub:  {Role: "owner", Sources: rooms.DefaultSources, CanPublish: true},
			c.users[asAdmin].Sub:  {Role: "administrator", Sources: rooms.DefaultSources, CanPublish: true},
			c.users[asMember].Sub: {Role: "member", Sources: mic, CanPublish: true},
			c.users[outsider].Sub: {Sources: mic, CanPublish: true},
			"guest-1":             {Sources: mic, CanPublish: true},
		}
		if diff := cmp.Diff(want, call.takeRegrants()); diff != "" {
			t.Fatalf("call update (-want +got):\n%s", diff)
		}
		// The same configuration again changes nothing.
		r = c.clients[asAdmin].do(t, http.MethodPatch, "/rooms/"+c.room.ID+"/",
			map[string]any{"configuration": map[string]any{"can_publish_sources": []string{"microphone"}}})
		if r.status != http.StatusOK {
			t.Fatalf("PATCH room again: %d", r.status)
		}
		if got := call.takeRegrants(); len(got) != 0 {
			t.Fatalf("an unchanged configuration updated the call: %v", got)
		}
	})
}

// TestRemovedParticipantCannotComeBack: after remove-participant/, the
// removed identity gets no new token until a host readmits it or the removal
// expires; hosts are disconnected but never locked out.
func TestRemovedParticipantCannotComeBack(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env, call, deny := newMembersEnv(t, e, false)
		c := env.newCast(t, rooms.Public, nil)
		joinCast(c, call)
		remove := func(identity string, status int, want any) {
			t.Helper()
			expect(t, c.clients[asAdmin].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/remove-participant/",
				map[string]string{"participant_identity": identity}), status, want)
		}
		success := map[string]any{"status": "success"}
		remove(c.users[asMember].Sub, http.StatusOK, success)
		expect(t, c.clients[asMember].do(t, http.MethodGet, "/rooms/"+c.room.ID+"/", nil), http.StatusForbidden, detail(rooms.RemovedMessage))
		// Nor through the room's slug, nor as a guest with that identity elsewhere.
		expect(t, c.clients[asMember].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/", nil), http.StatusForbidden, detail(rooms.RemovedMessage))
		if denied, _ := deny.Denied(context.Background(), c.room.ID, c.users[asMember].Sub); !denied {
			t.Fatal("removal not in the deny list")
		}
		// Other participants are unaffected.
		if r := c.clients[outsider].do(t, http.MethodGet, "/rooms/"+c.room.ID+"/", nil); r.status != http.StatusOK {
			t.Fatalf("stranger after someone else's removal: %d", r.status)
		}

		// A host removed by another host is disconnected, not locked out.
		remove(c.users[asOwner].Sub, http.StatusOK, success)
		if r := c.clients[asOwner].do(t, http.MethodGet, "/rooms/"+c.room.ID+"/", nil); r.status != http.StatusOK {
			t.Fatalf("removed owner: %d %s", r.status, r.body)
		}

		// Removing someone absent denies nobody.
		remove(c.users[outsider].Sub+"-gone", http.StatusNotFound, map[string]any{"error": "Participant not found"})
		if denied, _ := deny.Denied(context.Background(), c.room.ID, c.users[outsider].Sub+"-gone"); denied {
			t.Fatal("a failed removal left a deny entry")
		}

		// A deny list that cannot answer refuses tokens rather than ignoring removals.
		broken := newAPIEnv(t, e, withRoomOptions(func(o *rooms.Options) { o.DenyList = failingDenyList{} }))
		bc := broken.newCast(t, rooms.Public, nil)
		if r := bc.clients[asMember].do(t, http.MethodGet, "/rooms/"+bc.room.ID+"/", nil); r.status != http.StatusServiceUnavailable {
			t.Fatalf("failing deny list: %d %s, want 503", r.status, r.body)
		}
	})
}

// failingDenyList fails every call, as Redis down would.
type failingDenyList struct{}

var errDenyDown = apperr.Wrap(apperr.Unavailable, "The service is temporarily unavailable.", errors.New("redis down"))

func (failingDenyList) Deny(context.Context, string, string, time.Duration) error { return errDenyDown }
func (failingDenyList) Denied(context.Context, string, string) (bool, error) {
	return false, errDenyDown
}
func (failingDenyList) Allow(context.Context, string, string) error { return errDenyDown }
