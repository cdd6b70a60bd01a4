package lobby_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

// TestCookieIdentity checks that a guest's id, and so its LiveKit identity,
// is one the server minted: a cookie the server did not sign names nobody.
func TestCookieIdentity(t *testing.T) {
	e := newEnv(t, rooms.Public, lobby.Options{})
	// A local account's sub is a UUID, visible to everyone in a call.
	victim := rooms.NewID()
	valid := e.svc.Cookie(victim)
	mac := valid[strings.IndexByte(valid, '.')+1:]
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] ^= 1
		return string(b)
	}
	other := lobby.NewService(lobby.Deps{Rooms: rooms.NewService(e.rooms, nil, tokens{}, nil, rooms.Options{}, nil), Store: e.store}, lobby.Options{})
	forged := map[string]string{
		"bare identity (the old format)":   victim,
		"identity with a made-up MAC":      victim + ".AAAA",
		"identity with an empty MAC":       victim + ".",
		"MAC bit flipped":                  flip(valid, len(valid)-5),
		"identity changed, MAC kept":       flip(valid, 3),
		"upper-case spelling of the id":    strings.ToUpper(victim) + "." + mac,
		"MAC with a line break inside":     victim + "." + mac[:10] + "\n" + mac[10:],
		"MAC of another instance's key":    other.Cookie(victim),
		"another id's MAC":                 rooms.NewID() + "." + mac,
		"a signed-in user's sub, verbatim": owner.Sub,
	}
	for name, cookie := range forged {
		t.Run(name, func(t *testing.T) {
			res, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: cookie, Username: "Eve"})
			if err != nil {
				t.Fatal(err)
			}
			if res.ID == victim || tokenIdentity(res.LiveKit) == victim || tokenIdentity(res.LiveKit) == owner.Sub {
				t.Fatalf("forged cookie %q got identity %q", cookie, tokenIdentity(res.LiveKit))
			}
			if _, ok := rooms.CanonicalUUID(res.ID); !ok || tokenIdentity(res.LiveKit) != res.ID {
				t.Fatalf("fresh id %q, token identity %q", res.ID, tokenIdentity(res.LiveKit))
			}
			if res.Cookie != e.svc.Cookie(res.ID) {
				t.Fatalf("cookie %q does not name the fresh id %s", res.Cookie, res.ID)
			}
			if id, fresh := e.svc.ParticipantID(cookie); !fresh || id == victim {
				t.Fatalf("ParticipantID(%q) = %q, fresh %v", cookie, id, fresh)
			}
		})
	}

	t.Run("a minted cookie keeps its id across calls", func(t *testing.T) {
		first, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Username: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			res, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: first.Cookie, Username: "Ada"})
			if err != nil || res.ID != first.ID || res.Cookie != first.Cookie || tokenIdentity(res.LiveKit) != first.ID {
				t.Fatalf("later knock = %+v, %v; want id %s", res, err, first.ID)
			}
		}
	})
	t.Run("replicas sharing the key accept each other's cookies", func(t *testing.T) {
		key := []byte("the instance secret key")
		mk := func() *lobby.Service {
			return lobby.NewService(lobby.Deps{Rooms: rooms.NewService(e.rooms, nil, tokens{}, nil, rooms.Options{}, nil), Store: e.store, Key: key}, lobby.Options{})
		}
		a, b := mk(), mk()
		res, err := a.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Username: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		if id, fresh := b.ParticipantID(res.Cookie); fresh || id != res.ID {
			t.Fatalf("replica B read %q (fresh %v), want %s", id, fresh, res.ID)
		}
	})
}

// TestSignedInKnockKeepsSub checks that a signed-in caller always joins as
// its own sub, whatever lobby cookie it carries.
func TestSignedInKnockKeepsSub(t *testing.T) {
	e := newEnv(t, rooms.Public, lobby.Options{})
	res, err := e.svc.RequestEntry(ctx, other, lobby.Knock{Room: e.room.ID, Cookie: e.svc.Cookie(rooms.NewID()), Username: "Other"})
	if err != nil || tokenIdentity(res.LiveKit) != other.Sub {
		t.Fatalf("signed-in knock = %+v, %v", res, err)
	}
}

// TestAdmittedNameIsTheOneShown checks that a guest admitted under one name
// cannot swap it for another in the request that fetches its token, on
// request-entry as on the stream.
func TestAdmittedNameIsTheOneShown(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	first, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Username: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	// Knocks while waiting do not rename the entry the host sees either.
	if _, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: first.Cookie, Username: "Owner"}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.WaitingParticipants(ctx, owner, e.room.ID)
	if err != nil || len(list) != 1 || list[0].Username != "Ada" {
		t.Fatalf("host sees %+v, %v", list, err)
	}
	if err := e.svc.Decide(ctx, owner, e.room.ID, lobby.Decision{ParticipantID: &first.ID, AllowEntry: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	want := first.ID + "|" + rooms.ColorFor(first.ID) + "|Ada|"
	res, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: first.Cookie, Username: "Owner"})
	if err != nil || res.LiveKit == nil || res.LiveKit.Token != want || res.Username != "Ada" {
		t.Fatalf("after admission = %+v %+v, %v; want token %q", res, res.LiveKit, err, want)
	}
	var got lobby.Result
	err = e.svc.WatchEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Cookie: first.Cookie, Username: "Owner"},
		func(r lobby.Result) error { got = r; return errors.New("enough") })
	if err != nil || got.LiveKit == nil || got.LiveKit.Token != want {
		t.Fatalf("stream after admission = %+v, %v; want token %q", got, err, want)
	}
}

// TestUsernameLength checks the 255-character cap, counted in characters
// after trimming, with the reference's message.
func TestUsernameLength(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{})
	tooLong := map[string][]string{"username": {"Ensure this field has no more than 255 characters."}}
	for _, c := range []struct {
		name     string
		username string
		ok       bool
	}{
		{"255 ASCII", strings.Repeat("a", 255), true},
		{"255 two-byte characters", strings.Repeat("é", 255), true},
		{"255 with spaces around", "  " + strings.Repeat("a", 255) + "  ", true},
		{"256 ASCII", strings.Repeat("a", 256), false},
		{"900 KB", strings.Repeat("a", 900<<10), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			stored := e.store.Len()
			res, err := e.svc.RequestEntry(ctx, guest, lobby.Knock{Room: e.room.ID, Username: c.username})
			if c.ok {
				if err != nil || res.Username != strings.TrimSpace(c.username) {
					t.Fatalf("got %+v, %v", res.Entry, err)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
				t.Fatalf("got %v, want Invalid", err)
			}
			if d := cmp.Diff(tooLong, ae.Fields); d != "" {
				t.Fatalf("fields (-want +got):\n%s", d)
			}
			if e.store.Len() != stored {
				t.Fatal("a refused knock stored an entry")
			}
		})
	}
}

// TestClientThrottle checks that knocks are counted per client address as
// well as per guest: cookieless knocks, which have no guest bucket, are
// refused past the address's limit, while another address is not.
func TestClientThrottle(t *testing.T) {
	e := newEnv(t, rooms.Restricted, lobby.Options{ThrottleLimit: 100, ClientThrottleLimit: 3})
	knock := func(client, cookie string, p auth.Principal) (lobby.Result, error) {
		return e.svc.RequestEntry(ctx, p, lobby.Knock{Room: e.room.ID, Cookie: cookie, Client: client, Username: "Ada"})
	}
	for i := range 3 {
		if _, err := knock("192.0.2.1", "", guest); err != nil {
			t.Fatalf("knock %d: %v", i+1, err)
		}
	}
	_, err := knock("192.0.2.1", "", guest)
	var te *lobby.ThrottleError
	if !apperr.Is(err, apperr.Throttled) || !errors.As(err, &te) || te.WaitSeconds() != 60 {
		t.Fatalf("fourth cookieless knock: %v", err)
	}
	// Neither a forged cookie nor signing in escapes the address's bucket.
	if _, err := knock("192.0.2.1", rooms.NewID(), guest); !apperr.Is(err, apperr.Throttled) {
		t.Fatalf("forged cookie: %v", err)
	}
	if _, err := knock("192.0.2.1", "", other); !apperr.Is(err, apperr.Throttled) {
		t.Fatalf("signed in: %v", err)
	}
	if _, err := knock("192.0.2.2", "", guest); err != nil {
		t.Fatalf("another address: %v", err)
	}
	e.clock.Advance(e.svc.Options().ThrottleWindow)
	if _, err := knock("192.0.2.1", "", guest); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}
