package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"meet/internal/httpapi"

	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// TestRoomPreview checks rooms/{id}/preview/ on a restricted room with two
// people in the call: whoever may join directly learns who is in, a caller
// who must knock learns only how many; everyone sees the recording in
// progress, and the preview follows it as it starts and ends. The call
// itself is the stand-in participant list the role tests use; the
// withsfu package checks the same endpoint against the real SFU.
func TestRoomPreview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		members := newFakeMembers()
		re := newRecEnv(t, e, nil, withRoomOptions(func(o *rooms.Options) {
			o.Call, o.AllowUnregistered = members, true
		}))
		c := re.newCast(t, rooms.Restricted, nil)
		room := c.room.ID
		path := "/rooms/" + room + "/preview/"
		for i, name := range []string{"Olive", "Gail", "Hana", "Ivo", "Jun", "Kim"} {
			members.join(room, rooms.CallMember{Identity: "id-" + string(rune('a'+i)), Name: name})
		}
		preview := func(admission string, names []string, recording any) map[string]any {
			list := []any{}
			for _, n := range names {
				list = append(list, n)
			}
			return map[string]any{"admission": admission, "participants_count": 6.0, "participants": list,
				"recording": recording, "access_level": "restricted"}
		}
		first5 := []string{"Olive", "Gail", "Hana", "Ivo", "Jun"}
		for persona, want := range map[string]map[string]any{
			anonymous: preview("lobby", nil, nil),
			outsider:  preview("lobby", nil, nil),
			asMember:  preview("direct", first5, nil),
			asAdmin:   preview("direct", first5, nil),
			asOwner:   preview("direct", first5, nil),
		} {
			t.Run(persona, func(t *testing.T) {
				expect(t, c.clients[persona].do(t, http.MethodGet, path, nil), http.StatusOK, want)
			})
		}
		// The slug finds the room as well.
		expect(t, c.clients[asMember].do(t, http.MethodGet, "/rooms/"+c.room.Slug+"/preview/", nil), http.StatusOK, preview("direct", first5, nil))

		rec := re.startedBy(t, c, recordings.Transcript)
		expect(t, c.clients[anonymous].do(t, http.MethodGet, path, nil), http.StatusOK,
			preview("lobby", nil, map[string]any{"mode": "transcript", "status": "initiated"}))
		re.setStatus(t, rec.ID, recordings.Active)
		expect(t, c.clients[asMember].do(t, http.MethodGet, path, nil), http.StatusOK,
			preview("direct", first5, map[string]any{"mode": "transcript", "status": "active"}))
		re.setStatus(t, rec.ID, recordings.Stopped)
		expect(t, c.clients[anonymous].do(t, http.MethodGet, path, nil), http.StatusOK, preview("lobby", nil, nil))

		// An unregistered room is public and empty; a UUID never names one.
		expect(t, c.clients[anonymous].do(t, http.MethodGet, "/rooms/nobody-here/preview/", nil), http.StatusOK,
			map[string]any{"admission": "direct", "participants_count": 0.0, "participants": []any{}, "recording": nil, "access_level": "public"})
		expect(t, c.clients[anonymous].do(t, http.MethodGet, "/rooms/6f1c1a52-36c4-4a73-9d0b-2b8c8f1f6a11/preview/", nil),
			http.StatusNotFound, detail(rooms.NoRoomMessage))
		if len(members.removed) != 0 || len(members.regrants) != 0 {
			t.Fatalf("a preview changed the call: removed %v, regranted %v", members.removed, members.regrants)
		}
	})
}

// TestRoomPreviewThrottled: a caller gets 30 previews a minute, counted per
// user (or client address), then 429 with Retry-After.
func TestRoomPreviewThrottled(t *testing.T) {
	for _, k := range limiterKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			clock := &manualClock{t: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
			env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) { d.Limiter = k.make(t, clock.Now) }))
			c := env.newCast(t, rooms.Public, nil)
			path := "/rooms/" + c.room.ID + "/preview/"
			for i := range 30 {
				if r := c.clients[asMember].do(t, http.MethodGet, path, nil); r.status != http.StatusOK {
					t.Fatalf("preview %d: %d %s", i+1, r.status, r.body)
				}
			}
			expectThrottled(t, c.clients[asMember].do(t, http.MethodGet, path, nil), "60")
			if r := c.clients[asOwner].do(t, http.MethodGet, path, nil); r.status != http.StatusOK {
				t.Fatalf("another user's preview: %d %s, want 200", r.status, r.body)
			}
			if k.clocked {
				clock.Advance(time.Minute)
				if r := c.clients[asMember].do(t, http.MethodGet, path, nil); r.status != http.StatusOK {
					t.Fatalf("a minute later: %d %s, want 200", r.status, r.body)
				}
			}
		})
	}
}
