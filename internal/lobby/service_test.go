package lobby_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

func TestBypassRules(t *testing.T) {
	callers := []struct {
		name string
		p    auth.Principal
		role rooms.Role
	}{
		{"anonymous", guest, rooms.NoRole},
		{"signed-in without role", other, rooms.NoRole},
		{"member", member, rooms.Member},
		{"administrator", admin, rooms.Administrator},
		{"owner", owner, rooms.Owner},
	}
	want := map[rooms.AccessLevel]map[string]bool{
		rooms.Public:     {"anonymous": true, "signed-in without role": true, "member": true, "administrator": true, "owner": true},
		rooms.Trusted:    {"anonymous": false, "signed-in without role": true, "member": true, "administrator": true, "owner": true},
		rooms.Restricted: {"anonymous": false, "signed-in without role": false, "member": true, "administrator": true, "owner": true},
	}
	for level, byCaller := range want {
		for _, c := range callers {
			t.Run(string(level)+"/"+c.name, func(t *testing.T) {
				e := newEnv(t, level, lobby.Options{})
				id := rooms.NewID()
				res, err := e.request(c.p, e.room.ID, id, "Ada")
				if err != nil {
					t.Fatal(err)
				}
				direct := byCaller[c.name]
				if got := rooms.CanJoinDirectly(level, c.p.Authenticated(), c.role); got != direct {
					t.Fatalf("CanJoinDirectly = %v, want %v", got, direct)
				}
				if direct {
					if res.Status != lobby.Accepted || res.LiveKit == nil || res.LiveKit.Room != e.room.ID {
						t.Fatalf("direct join = %+v", res)
					}
					if e.store.Len() != 0 || e.notifier.count() != 0 {
						t.Fatalf("direct join stored %d entries, notified %d times", e.store.Len(), e.notifier.count())
					}
					return
				}
				if res.Status != lobby.Waiting || res.LiveKit != nil || res.ID != id || res.Color != rooms.ColorFor(id) {
					t.Fatalf("knock = %+v", res)
				}
				if e.store.Len() != 1 || e.notifier.count() != 1 {
					t.Fatalf("knock stored %d entries, notified %d times", e.store.Len(), e.notifier.count())
				}
			})
		}
	}
}

func TestAdmissionFlow(t *testing.T) {
	for _, allow := range []bool{true, false} {
		t.Run(fmt.Sprint("allow=", allow), func(t *testing.T) {
			e := newEnv(t, rooms.Restricted, lobby.Options{})
			res, err := e.request(guest, "daily", "", "  Ada  ")
			if err != nil || res.Status != lobby.Waiting || res.Username != "Ada" {
				t.Fatalf("first knock = %+v, %v", res, err)
			}
			id := res.ID
			if _, err := e.request(guest, e.room.ID, id, "Ada"); err != nil {
				t.Fatal(err)
			}
			if n := e.notifier.count(); n != 1 {
				t.Fatalf("notified %d times, want once", n)
			}
			list, err := e.svc.WaitingParticipants(ctx, admin, e.room.ID)
			if err != nil || len(list) != 1 || list[0].ID != id {
				t.Fatalf("waiting = %+v, %v", list, err)
			}
			if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: &allow}); err != nil {
				t.Fatal(err)
			}
			res, err = e.request(guest, e.room.ID, id, "Ada L.")
			if err != nil {
				t.Fatal(err)
			}
			if !allow {
				if res.Status != lobby.Denied || res.LiveKit != nil {
					t.Fatalf("after deny = %+v", res)
				}
				return
			}
			// The token carries the name the host admitted, not the one sent now.
			want := id + "|" + rooms.ColorFor(id) + "|Ada|"
			if res.Status != lobby.Accepted || res.LiveKit == nil || res.LiveKit.Token != want || res.Username != "Ada" {
				t.Fatalf("after accept = %+v %+v, want token %q", res, res.LiveKit, want)
			}
			if list, _ := e.svc.WaitingParticipants(ctx, admin, e.room.ID); len(list) != 0 {
				t.Fatalf("still waiting: %+v", list)
			}
		})
	}
}

func TestWaitingGuestIsAdmittedWhenRoomBecomesPublic(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	res, err := e.request(guest, e.room.ID, "", "Ada")
	if err != nil || res.Status != lobby.Waiting {
		t.Fatalf("knock = %+v, %v", res, err)
	}
	e.rooms.setLevel(e.room.ID, rooms.Public)
	got, err := e.request(guest, e.room.ID, res.ID, "Ada")
	if err != nil || got.Status != lobby.Accepted || tokenIdentity(got.LiveKit) != res.ID || got.Color != res.Color {
		t.Fatalf("after going public = %+v, %v", got, err)
	}
}

func TestRequestEntryErrors(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	_, err := e.request(guest, "nowhere", "", "Ada")
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown room: %v", err)
	}
	_, err = e.request(guest, e.room.ID, "", "   ")
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Fields["username"][0] != "This field is required." {
		t.Fatalf("blank username: %v", err)
	}
	res, err := e.request(guest, e.room.ID, "not-a-uuid", "Ada")
	if err != nil || res.ID == "not-a-uuid" {
		t.Fatalf("bad cookie must give a fresh id: %+v, %v", res, err)
	}
}

func TestThrottle(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{ThrottleLimit: 2})
	for range 5 {
		if _, err := e.request(guest, e.room.ID, "", "Ada"); err != nil {
			t.Fatalf("cookieless request throttled: %v", err)
		}
	}
	cookie := rooms.NewID()
	for i := range 2 {
		if _, err := e.request(guest, e.room.ID, cookie, "Ada"); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	e.clock.Advance(10 * time.Second)
	_, err := e.request(guest, e.room.ID, cookie, "Ada")
	var ae *apperr.Error
	var te *lobby.ThrottleError
	if !errors.As(err, &ae) || ae.Kind != apperr.Throttled || ae.Msg != "Request was throttled. Expected available in 50 seconds." || !errors.As(err, &te) || te.WaitSeconds() != 50 {
		t.Fatalf("third request: %v", err)
	}
	for range 2 { // a signed-in user has a bucket of its own, whatever the cookie
		if _, err := e.request(other, e.room.ID, cookie, "Ada"); err != nil {
			t.Fatalf("user bucket: %v", err)
		}
	}
	if _, err := e.request(other, e.room.ID, rooms.NewID(), "Ada"); !apperr.Is(err, apperr.Throttled) {
		t.Fatalf("user's third request: %v", err)
	}
	e.clock.Advance(50 * time.Second)
	if _, err := e.request(guest, e.room.ID, cookie, "Ada"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestDecide(t *testing.T) {
	knock := func(t *testing.T, e *env) string {
		t.Helper()
		res, err := e.request(guest, e.room.ID, "", "Ada")
		if err != nil {
			t.Fatal(err)
		}
		return res.ID
	}
	keyed := func(t *testing.T, err error, kind apperr.Kind, msg string) {
		t.Helper()
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != kind || ae.Key != "message" || ae.Msg != msg {
			t.Fatalf("got %v, want %s %q under message", err, kind, msg)
		}
	}
	t.Run("public room has no lobby", func(t *testing.T) {
		e := newEnv(t, rooms.Public, lobby.Options{})
		keyed(t, e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{}), apperr.NotFound, lobby.NoLobbyMessage)
	})
	t.Run("fields", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: ptr("x")})
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Fields["participant_id"][0] != "Must be a valid UUID." || ae.Fields["allow_entry"][0] != "This field is required." {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unknown participant", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		keyed(t, e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: ptr(rooms.NewID()), AllowEntry: ptr(true)}),
			apperr.NotFound, lobby.ParticipantNotFoundMessage)
	})
	t.Run("expired entry is not resurrected", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		id := knock(t, e)
		e.clock.Advance(3 * time.Second)
		keyed(t, e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)}),
			apperr.NotFound, lobby.ParticipantNotFoundMessage)
		res, err := e.request(guest, e.room.ID, id, "Ada")
		if err != nil || res.Status != lobby.Waiting {
			t.Fatalf("knock after expiry = %+v, %v", res, err)
		}
	})
	t.Run("repeat is idempotent, contradiction conflicts", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		id := knock(t, e)
		d := lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)}
		if err := e.svc.Decide(ctx, owner, e.room.ID, d); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Decide(ctx, admin, e.room.ID, d); err != nil {
			t.Fatalf("repeat: %v", err)
		}
		keyed(t, e.svc.Decide(ctx, admin, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(false)}),
			apperr.Conflict, "Participant was already accepted.")
	})
	t.Run("denial lasts DeniedTTL", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		id := knock(t, e)
		if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(4 * time.Second)
		if res, _ := e.request(guest, e.room.ID, id, "Ada"); res.Status != lobby.Denied {
			t.Fatalf("at 4 s = %+v", res)
		}
		e.clock.Advance(time.Second)
		if res, _ := e.request(guest, e.room.ID, id, "Ada"); res.Status != lobby.Waiting {
			t.Fatalf("at 5 s = %+v", res)
		}
	})
	t.Run("accepted entry lasts AcceptedTTL", func(t *testing.T) {
		e := newEnv(t, rooms.Trusted, lobby.Options{})
		id := knock(t, e)
		if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(6*time.Hour - time.Second)
		if res, _ := e.request(guest, e.room.ID, id, "Ada"); res.Status != lobby.Accepted {
			t.Fatalf("before 6 h = %+v", res)
		}
		e.clock.Advance(time.Second)
		if res, _ := e.request(guest, e.room.ID, id, "Ada"); res.Status != lobby.Waiting {
			t.Fatalf("at 6 h = %+v", res)
		}
	})
}

func TestClear(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	a, _ := e.request(guest, e.room.ID, "", "A")
	b, _ := e.request(guest, e.room.ID, "", "B")
	if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &a.ID, AllowEntry: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ClearParticipant(ctx, e.room.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.request(guest, e.room.ID, a.ID, "A"); res.Status != lobby.Waiting {
		t.Fatalf("removed participant = %+v, want waiting again", res)
	}
	if err := e.svc.ClearRoom(ctx, e.room.ID); err != nil {
		t.Fatal(err)
	}
	if e.store.Len() != 0 {
		t.Fatalf("%d entries left after room_finished", e.store.Len())
	}
	if list, _ := e.svc.WaitingParticipants(ctx, owner, e.room.ID); len(list) != 0 {
		t.Fatalf("waiting after clear: %+v", list)
	}
	_ = b
}

func TestWaitingParticipantsRights(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	for _, c := range []struct {
		p    auth.Principal
		kind apperr.Kind
	}{{guest, apperr.Unauthenticated}, {other, apperr.Forbidden}, {member, apperr.Forbidden}, {admin, ""}, {owner, ""}} {
		_, err := e.svc.WaitingParticipants(ctx, c.p, e.room.ID)
		if apperr.KindOf(err) != c.kind {
			t.Errorf("%+v: got %v, want %q", c.p, err, c.kind)
		}
	}
	pub := newEnv(t, rooms.Public, lobby.Options{})
	if list, err := pub.svc.WaitingParticipants(ctx, owner, pub.room.ID); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("public room list = %#v, %v", list, err)
	}
}
