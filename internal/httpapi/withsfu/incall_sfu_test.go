package withsfu_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"meet/internal/httpapi"
	"meet/internal/livekit"
	"meet/internal/livekit/livekittest"
	"meet/internal/livekit/sfu"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// joinToken returns the LiveKit token the room's retrieve gives cl.
func joinToken(t *testing.T, cl *apiClient, roomID, query string) string {
	t.Helper()
	r := cl.do(t, http.MethodGet, "/rooms/"+roomID+"/"+query, nil)
	var v struct {
		LiveKit struct{ Token string } `json:"livekit"`
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &v) != nil || v.LiveKit.Token == "" {
		t.Fatalf("retrieve room: %d %s", r.status, r.body)
	}
	return v.LiveKit.Token
}

// TestInCallActionsReachTheSFU runs the in-call actions against the real
// SFU with Go participants: a guest raises its hand and renames itself with
// its LiveKit token and the host sees both; the host lowers every hand,
// mutes the guest's microphone (muted at the SFU and on both clients) and
// narrows what the guest may publish.
func TestInCallActionsReachTheSFU(t *testing.T) {
	sfu := livekittest.StartSFU(t, sfu.Options{APIKey: lkKey, APISecret: lkSecret, DepartureTimeout: time.Second})
	client := livekit.NewClient(livekit.ClientOptions{URL: sfu.HTTPURL(), APIKey: lkKey, APISecret: lkSecret})
	env := newAPIEnv(t, storagetest.SQLite, withDeps(func(d *httpapi.Deps) {
		d.InCall = livekit.NewCallControl(client)
		d.LiveKitTokens = livekit.NewTokenVerifier(lkKey, lkSecret)
	}))
	c := env.newCast(t, rooms.Public, nil)
	room := c.room.ID
	owner, anon := c.clients[asOwner], c.clients[anonymous]
	guestTok := joinToken(t, anon, room, "?username=Gail")
	host := livekittest.Join(t, sfu.WSURL(), joinToken(t, owner, room, ""))
	guest := livekittest.Join(t, sfu.WSURL(), guestTok)
	if err := guest.PublishSilence(t); err != nil {
		t.Fatal(err)
	}
	gid := guest.Identity()
	const wait = 10 * time.Second
	livekittest.WaitUntil(t, wait, "the host to see the guest", func() bool { return host.Sees(gid) })

	asked := time.Now()
	expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+room+"/toggle-hand/", map[string]any{"raised": true}, "Bearer "+guestTok), http.StatusOK, okBody)
	livekittest.WaitUntil(t, wait, "the host to see the raised hand", func() bool {
		return host.RemoteAttributes(gid)[rooms.HandRaisedAttribute] != ""
	})
	t.Logf("hand raised → seen by the host: %s", time.Since(asked).Round(time.Millisecond))
	if attrs := host.RemoteAttributes(gid); attrs["color"] != rooms.ColorFor(gid) || attrs["is_authenticated"] != "false" {
		t.Errorf("the guest's other attributes changed: %v", attrs)
	}

	asked = time.Now()
	expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+room+"/rename/", map[string]any{"name": "Gail Renamed"}, "Bearer "+guestTok), http.StatusOK, okBody)
	livekittest.WaitUntil(t, wait, "the host to see the new name", func() bool { return host.RemoteName(gid) == "Gail Renamed" })
	t.Logf("rename → seen by the host: %s", time.Since(asked).Round(time.Millisecond))

	expect(t, owner.do(t, http.MethodPost, "/rooms/"+room+"/lower-hands/", nil), http.StatusOK, map[string]any{"status": "success", "lowered": 1})
	livekittest.WaitUntil(t, wait, "the host to see the hand lowered", func() bool {
		return host.RemoteAttributes(gid)[rooms.HandRaisedAttribute] == ""
	})

	var sid string
	livekittest.WaitUntil(t, wait, "the guest's microphone", func() bool { sid = guest.TrackSID("microphone"); return sid != "" })
	livekittest.WaitUntil(t, wait, "the host to see the microphone", func() bool { return host.Sees(gid) && slices.Contains(trackSIDs(t, client, room, gid), sid) })
	asked = time.Now()
	expect(t, owner.do(t, http.MethodPost, "/rooms/"+room+"/mute-participant/", map[string]any{"participant_identity": gid, "track_sid": sid}), http.StatusOK, okBody)
	livekittest.WaitUntil(t, wait, "the guest's client to mute its microphone", func() bool { return guest.LocalTrackMuted(sid) })
	livekittest.WaitUntil(t, wait, "the host to see the microphone muted", func() bool { return host.RemoteTrackMuted(gid, sid) })
	t.Logf("mute → seen by both clients: %s", time.Since(asked).Round(time.Millisecond))
	p, err := client.GetParticipant(context.Background(), room, gid)
	if err != nil || len(p.Tracks) != 1 || p.Tracks[0].SID != sid || !p.Tracks[0].Muted {
		t.Fatalf("guest at the SFU: %+v, %v; want its microphone muted", p.Tracks, err)
	}

	expect(t, owner.do(t, http.MethodPost, "/rooms/"+room+"/update-participant/", map[string]any{
		"participant_identity": gid, "permission": map[string]any{"can_publish_sources": []string{"microphone"}},
	}), http.StatusOK, okBody)
	livekittest.WaitUntil(t, wait, "the guest to be told it may publish its microphone only", func() bool {
		can, sources := guest.CanPublishSources()
		return can && slices.Equal(sources, []string{"microphone"})
	})
	if p, err := client.GetParticipant(context.Background(), room, gid); err != nil || !p.Permission.CanSubscribe || !p.Permission.CanPublishData {
		t.Fatalf("permission at the SFU: %+v, %v; subscribing and data must be kept", p.Permission, err)
	}

	// Once the guest left, its token no longer acts in the call.
	guest.Leave()
	livekittest.WaitUntil(t, livekittest.DepartureWait, "the guest to leave", func() bool { return !host.Sees(gid) })
	expect(t, anon.doAuth(t, http.MethodPost, "/rooms/"+room+"/toggle-hand/", map[string]any{"raised": true}, "Bearer "+guestTok), http.StatusNotFound, errNotInCall)
}

// trackSIDs lists the tracks the SFU has of a participant.
func trackSIDs(t *testing.T, c *livekit.Client, room, identity string) []string {
	t.Helper()
	p, err := c.GetParticipant(context.Background(), room, identity)
	if err != nil {
		return nil
	}
	var out []string
	for _, tr := range p.Tracks {
		out = append(out, tr.SID)
	}
	return out
}
