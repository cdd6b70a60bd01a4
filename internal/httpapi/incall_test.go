package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// tokenOnlyMatrix is what toggle-hand/ and rename/ answer each caller of the
// matrix: only a LiveKit token of this room, held by a participant in the
// call, is accepted; a session is not, whatever the role.
func tokenOnlyMatrix() map[string]struct {
	status int
	body   any
} {
	type res = struct {
		status int
		body   any
	}
	return map[string]res{
		"anonymous":                        {http.StatusForbidden, errNoCredential},
		"stranger":                         {http.StatusForbidden, errNoCredential},
		"member":                           {http.StatusForbidden, errNoCredential},
		"administrator":                    {http.StatusForbidden, errNoCredential},
		"owner":                            {http.StatusForbidden, errNoCredential},
		"token of this room":               {http.StatusOK, okBody},
		"token of another room":            {http.StatusForbidden, errPermission},
		"expired token":                    {http.StatusForbidden, errExpired},
		"token signed with another secret": {http.StatusForbidden, errBadSignature},
		"token of another key":             {http.StatusForbidden, errBadIssuer},
		"participant not present":          {http.StatusNotFound, errNotInCall},
		"malformed header":                 {http.StatusForbidden, errBadHeader},
		"not a JWT":                        {http.StatusForbidden, errNotJWT},
	}
}

func TestToggleHandMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ce := newCallEnv(t, e, nil)
		want := tokenOnlyMatrix()
		for _, caller := range ce.callCallers(t) {
			t.Run(caller.name, func(t *testing.T) {
				before := time.Now().UTC()
				r := ce.c.clients[caller.persona].doAuth(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/toggle-hand/", map[string]any{"raised": true}, caller.authz)
				w := want[caller.name]
				expect(t, r, w.status, w.body)
				at := ce.call.get(ce.c.room.ID, "guest-in-call").Attributes[rooms.HandRaisedAttribute]
				if w.status != http.StatusOK {
					if at != "" {
						t.Fatalf("hand raised (%q) by a refused request", at)
					}
					return
				}
				raisedAt, err := time.Parse(time.RFC3339Nano, at)
				if err != nil || raisedAt.Before(before.Truncate(time.Microsecond)) || raisedAt.After(time.Now()) || len(at) != len("2006-01-02T15:04:05.000000+00:00") {
					t.Fatalf("handRaisedAt %q (%v), want the time of the request as 2006-01-02T15:04:05.000000+00:00", at, err)
				}
				// Lowering removes the attribute.
				r = ce.c.clients[caller.persona].doAuth(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/toggle-hand/", map[string]any{"raised": false}, caller.authz)
				expect(t, r, http.StatusOK, okBody)
				if at, ok := ce.call.get(ce.c.room.ID, "guest-in-call").Attributes[rooms.HandRaisedAttribute]; ok {
					t.Fatalf("hand still raised (%q) after lowering", at)
				}
			})
		}
	})
}

func TestToggleHandValidationAndFailures(t *testing.T) {
	ce := newCallEnv(t, storagetest.SQLite, nil)
	room := ce.c.room.ID
	ce.call.join(room, "gail", nil)
	tok := "Bearer " + callToken(t, lkKey, lkSecret, room, "gail", false, time.Hour)
	anon := ce.c.clients[anonymous]
	for _, tc := range []struct {
		name   string
		path   string
		body   any
		authz  string
		status int
		want   any
	}{
		{"missing raised", room, map[string]any{}, tok, 400, fields("raised", "This field is required.")},
		{"raised not a boolean", room, map[string]any{"raised": "yes"}, tok, 400, fields("raised", "Must be a valid boolean.")},
		{"unknown room, no token", rooms.NewID(), map[string]any{"raised": true}, "", 404, detail(rooms.NoRoomMessage)},
		{"unknown room, token of it", rooms.NewID(), map[string]any{"raised": true}, tok, 404, detail(rooms.NoRoomMessage)},
		{"by slug", ce.c.room.Slug, map[string]any{"raised": true}, tok, 200, okBody},
		{"case-insensitive scheme", room, map[string]any{"raised": true}, "bearer " + tok[len("Bearer "):], 200, okBody},
		{"later clients' scheme", room, map[string]any{"raised": true}, "X-LiveKit-Token " + tok[len("Bearer "):], 200, okBody},
		{"expired within the 60 s leeway", room, map[string]any{"raised": true}, "Bearer " + callToken(t, lkKey, lkSecret, room, "gail", false, -30*time.Second), 200, okBody},
		{"token without identity", room, map[string]any{"raised": true}, "Bearer " + signHS256(t, lkSecret, map[string]any{
			"iss": lkKey, "exp": time.Now().Add(time.Hour).Unix(), "video": map[string]any{"room": room, "roomJoin": true},
		}), 403, detail("Invalid LiveKit token: Token missing user identity")},
		{"extra header part", room, map[string]any{"raised": true}, tok + " extra", 403, errBadHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+tc.path+"/toggle-hand/", tc.body, tc.authz), tc.status, tc.want)
		})
	}
	ce.call.setErr(apperr.New(apperr.Unavailable, "The media server is unavailable."))
	expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+room+"/toggle-hand/", map[string]any{"raised": true}, tok),
		http.StatusServiceUnavailable, map[string]any{"error": "Failed to update participant hand state"})
}

func TestRenameMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ce := newCallEnv(t, e, nil)
		want := tokenOnlyMatrix()
		for _, caller := range ce.callCallers(t) {
			t.Run(caller.name, func(t *testing.T) {
				name := "Renamed by " + caller.name
				r := ce.c.clients[caller.persona].doAuth(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/rename/", map[string]any{"name": name}, caller.authz)
				w := want[caller.name]
				expect(t, r, w.status, w.body)
				got := ce.call.get(ce.c.room.ID, "guest-in-call").Name
				if (w.status == http.StatusOK) != (got == name) {
					t.Fatalf("name in the call %q after a %d", got, w.status)
				}
			})
		}
	})
}

func TestRenameValidationAndDisplayNameSetting(t *testing.T) {
	ce := newCallEnv(t, storagetest.SQLite, nil, withRoomOptions(func(o *rooms.Options) { o.AuthenticatedCanEditName = false }))
	room := ce.c.room.ID
	ce.call.join(room, "gail", nil)
	ce.call.join(room, "sub-olive", nil)
	guest := "Bearer " + callToken(t, lkKey, lkSecret, room, "gail", false, time.Hour)
	user := "Bearer " + callToken(t, lkKey, lkSecret, room, "sub-olive", true, time.Hour)
	anon := ce.c.clients[anonymous]
	long := make([]byte, 256)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		name   string
		body   any
		authz  string
		status int
		want   any
	}{
		{"missing name", map[string]any{}, guest, 400, fields("name", "This field is required.")},
		{"blank name", map[string]any{"name": ""}, guest, 400, fields("name", "This field may not be blank.")},
		{"name too long", map[string]any{"name": string(long)}, guest, 400, fields("name", "Ensure this field has no more than 255 characters.")},
		{"name not a string", map[string]any{"name": 3}, guest, 400, fields("name", "Not a valid string.")},
		{"guest may rename", map[string]any{"name": "Gail G."}, guest, 200, okBody},
		{"signed-in user may not", map[string]any{"name": "Olive O."}, user, 403, map[string]any{"error": "Authenticated participants cannot edit their display name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+room+"/rename/", tc.body, tc.authz), tc.status, tc.want)
		})
	}
	if got := ce.call.get(room, "gail").Name; got != "Gail G." {
		t.Errorf("guest's name %q", got)
	}
	if got := ce.call.get(room, "sub-olive").Name; got != "sub-olive" {
		t.Errorf("signed-in user's name changed to %q", got)
	}
}

func TestLowerHands(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ce := newCallEnv(t, e, nil)
		room := ce.c.room.ID
		raised := map[string]string{rooms.HandRaisedAttribute: "2026-03-04T05:06:07.000000+00:00", "color": "hsl(1, 50%, 50%)"}
		ce.call.join(room, "ann", map[string]string{rooms.HandRaisedAttribute: "2026-03-04T05:06:07.000000+00:00", "color": "hsl(1, 50%, 50%)"})
		ce.call.join(room, "bob", map[string]string{rooms.HandRaisedAttribute: "2026-03-04T05:06:08.000000+00:00"})
		ce.call.join(room, "cid", nil)
		for _, tc := range []struct {
			persona string
			status  int
			want    any
		}{
			{anonymous, 401, errNoCredential},
			{outsider, 403, errPermission},
			{asMember, 403, errPermission},
		} {
			t.Run(tc.persona, func(t *testing.T) {
				expect(t, ce.c.clients[tc.persona].do(t, http.MethodPost, "/rooms/"+room+"/lower-hands/", nil), tc.status, tc.want)
				if ce.call.callCount() != 0 {
					t.Fatal("a refused caller reached the call")
				}
			})
		}
		// A token holder is not a host.
		tok := "Bearer " + callToken(t, lkKey, lkSecret, room, "ann", false, time.Hour)
		expect(t, ce.c.clients[anonymous].doAuth(t, http.MethodPost, "/rooms/"+room+"/lower-hands/", nil, tok), 401, errNoCredential)

		expect(t, ce.c.clients[asAdmin].do(t, http.MethodPost, "/rooms/"+room+"/lower-hands/", nil), 200, map[string]any{"status": "success", "lowered": 2})
		for _, id := range []string{"ann", "bob", "cid"} {
			if at, ok := ce.call.get(room, id).Attributes[rooms.HandRaisedAttribute]; ok {
				t.Errorf("%s's hand still raised: %q", id, at)
			}
		}
		if got := ce.call.get(room, "ann").Attributes["color"]; got != raised["color"] {
			t.Errorf("other attributes touched: color %q", got)
		}
		if ce.call.callCount() != 2 {
			t.Errorf("%d updates, want one per raised hand (2)", ce.call.callCount())
		}
		expect(t, ce.c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+room+"/lower-hands/", nil), 200, map[string]any{"status": "success", "lowered": 0})
		// No call running.
		other := ce.newCast(t, rooms.Public, nil)
		expect(t, other.clients[asOwner].do(t, http.MethodPost, "/rooms/"+other.room.ID+"/lower-hands/", nil), 200, map[string]any{"status": "success", "lowered": 0})
	})
}
