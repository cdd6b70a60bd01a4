package withsfu_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/livekit"
	"meet/internal/livekit/livekittest"
	"meet/internal/livekit/sfu"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// TestRoomPreviewSeesTheSFU checks rooms/{id}/preview/ against the real SFU:
// with the owner and a guest connected as Go participants, a member (who
// joins directly) is told both names, an anonymous caller (who must knock
// on the restricted room) only how many; once both left, nobody is in.
func TestRoomPreviewSeesTheSFU(t *testing.T) {
	server := livekittest.StartSFU(t, sfu.Options{APIKey: lkKey, APISecret: lkSecret, DepartureTimeout: time.Second})
	client := livekit.NewClient(livekit.ClientOptions{URL: server.HTTPURL(), APIKey: lkKey, APISecret: lkSecret})
	env := newAPIEnv(t, storagetest.SQLite, func(c *envConfig) { c.rooms.Call = client })
	c := env.newCast(t, rooms.Public, nil)
	room := c.room.ID
	path := "/rooms/" + room + "/preview/"
	owner := livekittest.Join(t, server.WSURL(), joinToken(t, c.clients[asOwner], room, ""))
	guest := livekittest.Join(t, server.WSURL(), joinToken(t, c.clients[anonymous], room, "?username=Gail"))
	const wait = 10 * time.Second
	livekittest.WaitUntil(t, wait, "the owner to see the guest", func() bool { return owner.Sees(guest.Identity()) })

	if r := c.clients[asOwner].do(t, http.MethodPatch, "/rooms/"+room+"/", map[string]any{"access_level": "restricted"}); r.status != http.StatusOK {
		t.Fatalf("restrict the room: %d %s", r.status, r.body)
	}
	body := func(admission string, count int, names []any, level string) map[string]any {
		return map[string]any{"admission": admission, "participants_count": float64(count), "participants": names,
			"recording": nil, "access_level": level}
	}
	ownerName := c.users[asOwner].FullName
	r := c.clients[asMember].do(t, http.MethodGet, path, nil)
	if r.status != http.StatusOK {
		t.Fatalf("member's preview: %d %s", r.status, r.body)
	}
	// The SFU lists participants in no set order.
	if !equalJSON(r.body, body("direct", 2, []any{ownerName, "Gail"}, "restricted")) &&
		!equalJSON(r.body, body("direct", 2, []any{"Gail", ownerName}, "restricted")) {
		t.Fatalf("member's preview: %s, want both names", r.body)
	}
	expect(t, c.clients[anonymous].do(t, http.MethodGet, path, nil), http.StatusOK, body("lobby", 2, []any{}, "restricted"))

	owner.Leave()
	guest.Leave()
	// Wait on the SFU itself, not by polling the preview: previews are
	// throttled (30 a minute), so polling would end in 429s.
	livekittest.WaitUntil(t, livekittest.DepartureWait, "the SFU to see the call empty", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		ps, err := client.ListParticipants(ctx, room)
		// Once empty the SFU closes the room (DepartureTimeout): not found is empty too.
		return (err == nil && len(ps) == 0) || apperr.Is(err, apperr.NotFound)
	})
	expect(t, c.clients[asMember].do(t, http.MethodGet, path, nil), http.StatusOK, body("direct", 0, []any{}, "restricted"))
}

// equalJSON reports whether body decodes to want.
func equalJSON(body []byte, want any) bool {
	var got any
	return json.Unmarshal(body, &got) == nil && reflect.DeepEqual(got, want)
}
