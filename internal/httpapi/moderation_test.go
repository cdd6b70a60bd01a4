package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

func TestMuteParticipantMatrix(t *testing.T) {
	type res struct {
		status int
		body   any
	}
	presence := map[string]any{"error": "Could not verify caller presence"}
	for _, tc := range []struct {
		name string
		cfg  rooms.Configuration
		want map[string]res
	}{
		{"everyone may mute (default)", nil, map[string]res{
			"anonymous": {403, errNoCredential}, "stranger": {403, errPermission}, "member": {403, errPermission},
			"administrator": {200, okBody}, "owner": {200, okBody},
			"token of this room": {200, okBody}, "token of another room": {403, errPermission},
			"expired token": {403, errExpired}, "token signed with another secret": {403, errBadSignature},
			"token of another key": {403, errBadIssuer}, "participant not present": {403, presence},
			"malformed header": {403, errBadHeader}, "not a JWT": {403, errNotJWT},
		}},
		{"only hosts may mute", rooms.Configuration{"everyone_can_mute": false}, map[string]res{
			"anonymous": {403, errNoCredential}, "stranger": {403, errPermission}, "member": {403, errPermission},
			"administrator": {200, okBody}, "owner": {200, okBody},
			"token of this room": {403, errPermission}, "token of another room": {403, errPermission},
			"expired token": {403, errExpired}, "token signed with another secret": {403, errBadSignature},
			"token of another key": {403, errBadIssuer}, "participant not present": {403, errPermission},
			"malformed header": {403, errBadHeader}, "not a JWT": {403, errNotJWT},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
				ce := newCallEnv(t, e, tc.cfg)
				ce.call.join(ce.c.room.ID, "target", nil)
				for i, caller := range ce.callCallers(t) {
					t.Run(caller.name, func(t *testing.T) {
						sid := "TR_" + caller.name
						r := ce.c.clients[caller.persona].doAuth(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/mute-participant/",
							map[string]any{"participant_identity": "target", "track_sid": sid}, caller.authz)
						w, ok := tc.want[caller.name]
						if !ok {
							t.Fatalf("no expectation for caller %d", i)
						}
						expect(t, r, w.status, w.body)
						ce.call.mu.Lock()
						muted := slices.Contains(ce.call.muted["target"], sid)
						ce.call.mu.Unlock()
						if muted != (w.status == http.StatusOK) {
							t.Fatalf("track muted: %v after a %d", muted, w.status)
						}
					})
				}
			})
		})
	}
}

func TestMuteParticipantHostTokenAndFailures(t *testing.T) {
	ce := newCallEnv(t, storagetest.SQLite, rooms.Configuration{"everyone_can_mute": false})
	room := ce.c.room.ID
	ce.call.join(room, "target", nil)
	ce.call.join(room, ce.c.users[asOwner].Sub, nil)
	body := map[string]any{"participant_identity": "target", "track_sid": "TR_mic"}
	// The owner's own LiveKit token does not make a token call a host's,
	// even with the owner's session beside it.
	ownerTok := "Bearer " + callToken(t, lkKey, lkSecret, room, ce.c.users[asOwner].Sub, true, time.Hour)
	expect(t, ce.c.clients[anonymous].doAuth(t, http.MethodPost, "/rooms/"+room+"/mute-participant/", body, ownerTok), 403, errPermission)
	expect(t, ce.c.clients[asOwner].doAuth(t, http.MethodPost, "/rooms/"+room+"/mute-participant/", body, ownerTok), 403, errPermission)

	owner := ce.c.clients[asOwner]
	long := strings.Repeat("é", 256)
	for _, tc := range []struct {
		name   string
		path   string
		body   any
		status int
		want   any
	}{
		{"missing fields", room, map[string]any{}, 400, map[string]any{
			"participant_identity": []any{"This field is required."}, "track_sid": []any{"This field is required."}}},
		{"blank track", room, map[string]any{"participant_identity": "target", "track_sid": ""}, 400, fields("track_sid", "This field may not be blank.")},
		{"track too long", room, map[string]any{"participant_identity": "target", "track_sid": long}, 400, fields("track_sid", "Ensure this field has no more than 255 characters.")},
		{"identity not a string", room, map[string]any{"participant_identity": []string{"x"}, "track_sid": "TR_mic"}, 400, fields("participant_identity", "Not a valid string.")},
		{"target not in the call", room, map[string]any{"participant_identity": "nobody", "track_sid": "TR_mic"}, 404, errNotInCall},
		{"unknown room", rooms.NewID(), body, 404, detail(rooms.NoRoomMessage)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, owner.do(t, http.MethodPost, "/rooms/"+tc.path+"/mute-participant/", tc.body), tc.status, tc.want)
		})
	}
	ce.call.setErr(apperr.New(apperr.BadGateway, "The media server refused the request."))
	expect(t, owner.do(t, http.MethodPost, "/rooms/"+room+"/mute-participant/", body), 502, map[string]any{"error": "Failed to mute participant"})
	// A presence check that cannot be made denies.
	ce2 := newCallEnv(t, storagetest.SQLite, nil)
	ce2.call.join(ce2.c.room.ID, "gail", nil)
	ce2.call.setErr(apperr.New(apperr.Unavailable, "The media server is unavailable."))
	tok := "Bearer " + callToken(t, lkKey, lkSecret, ce2.c.room.ID, "gail", false, time.Hour)
	expect(t, ce2.c.clients[anonymous].doAuth(t, http.MethodPost, "/rooms/"+ce2.c.room.ID+"/mute-participant/", body, tok),
		403, map[string]any{"error": "Could not verify caller presence"})
}

func TestUpdateParticipantMatrix(t *testing.T) {
	type res struct {
		status int
		body   any
	}
	// A session-only action: tokens count for nothing, so token callers are
	// anonymous (401).
	want := map[string]res{
		"anonymous": {401, errNoCredential}, "stranger": {403, errPermission}, "member": {403, errPermission},
		"administrator": {200, okBody}, "owner": {200, okBody},
		"token of this room": {401, errNoCredential}, "token of another room": {401, errNoCredential},
		"expired token": {401, errNoCredential}, "token signed with another secret": {401, errNoCredential},
		"token of another key": {401, errNoCredential}, "participant not present": {401, errNoCredential},
		"malformed header": {401, errNoCredential}, "not a JWT": {401, errNoCredential},
	}
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		ce := newCallEnv(t, e, nil)
		for _, caller := range ce.callCallers(t) {
			t.Run(caller.name, func(t *testing.T) {
				name := "Named by " + caller.name
				r := ce.c.clients[caller.persona].doAuth(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/update-participant/",
					map[string]any{"participant_identity": "guest-in-call", "name": name}, caller.authz)
				w := want[caller.name]
				expect(t, r, w.status, w.body)
				if got := ce.call.get(ce.c.room.ID, "guest-in-call").Name; (got == name) != (w.status == http.StatusOK) {
					t.Fatalf("name %q after a %d", got, w.status)
				}
			})
		}
		// A host updating someone who is not in the call.
		expect(t, ce.c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+ce.c.room.ID+"/update-participant/",
			map[string]any{"participant_identity": "guest-gone", "name": "X"}), 404, errNotInCall)
	})
}

func TestUpdateParticipantBody(t *testing.T) {
	ce := newCallEnv(t, storagetest.SQLite, nil)
	room := ce.c.room.ID
	owner := ce.c.clients[asOwner]
	post := func(body any) reply {
		return owner.do(t, http.MethodPost, "/rooms/"+room+"/update-participant/", body)
	}
	ce.call.join(room, "gail", map[string]string{"color": "hsl(1, 50%, 50%)", "room_role": "member", "is_authenticated": "false",
		rooms.HandRaisedAttribute: "2026-03-04T05:06:07.000000+00:00"})
	const id = "gail"
	for _, tc := range []struct {
		name   string
		body   any
		status int
		want   any
	}{
		{"nothing to change", map[string]any{"participant_identity": id}, 400,
			fields("non_field_errors", "At least one of the following fields must be provided: metadata, attributes, permission, name.")},
		{"only nulls and blanks", map[string]any{"participant_identity": id, "metadata": nil, "attributes": nil, "permission": nil, "name": ""}, 400,
			fields("non_field_errors", "At least one of the following fields must be provided: metadata, attributes, permission, name.")},
		{"identity not a string", map[string]any{"participant_identity": []string{"test"}, "name": "x"}, 400, fields("participant_identity", "Not a valid string.")},
		{"metadata not an object", map[string]any{"participant_identity": id, "metadata": "wrong string"}, 400,
			fields("metadata", `Expected a dictionary of items but got type "str".`)},
		{"attributes not an object", map[string]any{"participant_identity": id, "attributes": []any{1}}, 400,
			fields("attributes", `Expected a dictionary of items but got type "list".`)},
		{"attribute not a string", map[string]any{"participant_identity": id, "attributes": map[string]any{"x": 1}}, 400,
			fields("attributes", "x: Attribute values must be strings.")},
		{"unknown permission", map[string]any{"participant_identity": id, "permission": map[string]any{"invalid-attributes": true}}, 400,
			fields("permission", "invalid-attributes: Extra inputs are not permitted.")},
		{"uppercase source", map[string]any{"participant_identity": id, "permission": map[string]any{"can_publish_sources": []string{"CAMERA", "microphone"}}}, 400,
			fields("permission", "can_publish_sources: Input should be 'camera', 'microphone', 'screen_share' or 'screen_share_audio'.")},
		{"permission flag not a boolean", map[string]any{"participant_identity": id, "permission": map[string]any{"can_publish": "yes"}}, 400,
			fields("permission", "can_publish: Input should be a valid boolean.")},
		{"hidden", map[string]any{"participant_identity": id, "permission": map[string]any{"can_subscribe": true, "hidden": false}}, 400,
			fields("permission", "Setting the following participant permissions is not allowed: hidden.")},
		{"recorder", map[string]any{"participant_identity": id, "permission": map[string]any{"recorder": true}}, 400,
			fields("permission", "Setting the following participant permissions is not allowed: recorder.")},
		{"hidden, recorder and agent", map[string]any{"participant_identity": id, "permission": map[string]any{"agent": true, "hidden": true, "recorder": false}}, 400,
			fields("permission", "Setting the following participant permissions is not allowed: hidden, recorder, agent.")},
		{"name too long", map[string]any{"participant_identity": id, "name": strings.Repeat("é", 256)}, 400,
			fields("name", "Ensure this field has no more than 255 characters.")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, post(tc.body), tc.status, tc.want)
			if ce.call.callCount() != 0 {
				t.Fatal("a refused update reached the call")
			}
		})
	}

	// The reference front end lowers a hand by sending every attribute back
	// with handRaisedAt "": meet's own attributes are kept as they are.
	expect(t, post(map[string]any{"participant_identity": id, "attributes": map[string]any{
		"color": "hsl(1, 50%, 50%)", "room_role": "administrator", "is_authenticated": "true", rooms.HandRaisedAttribute: "",
	}}), 200, okBody)
	if diff := cmp.Diff(map[string]string{"color": "hsl(1, 50%, 50%)", "room_role": "member", "is_authenticated": "false"},
		ce.call.get(room, id).Attributes); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}

	// Fields a permission leaves out keep their value.
	expect(t, post(map[string]any{"participant_identity": id, "permission": map[string]any{"can_publish_sources": []string{"microphone"}, "can_subscribe": nil}}), 200, okBody)
	want := rooms.CallPermission{CanSubscribe: true, CanPublish: true, CanPublishData: true, CanPublishSources: []string{"microphone"}}
	if diff := cmp.Diff(want, ce.call.get(room, id).Permission); diff != "" {
		t.Errorf("permission (-want +got):\n%s", diff)
	}
	// No source at all also forbids publishing (LiveKit reads [] as "any").
	expect(t, post(map[string]any{"participant_identity": id, "permission": map[string]any{"can_publish_sources": []string{}}}), 200, okBody)
	want = rooms.CallPermission{CanSubscribe: true, CanPublishData: true, CanPublishSources: []string{}}
	if diff := cmp.Diff(want, ce.call.get(room, id).Permission); diff != "" {
		t.Errorf("permission (-want +got):\n%s", diff)
	}
	// The full form the reference front end sends.
	expect(t, post(map[string]any{"participant_identity": id, "metadata": map[string]any{"role": "presenter"}, "name": "Gail G.", "permission": map[string]any{
		"can_subscribe": true, "can_publish": true, "can_publish_data": false, "can_publish_sources": []string{"camera", "microphone"},
		"can_update_metadata": false, "can_subscribe_metrics": true,
	}}), 200, okBody)
	got := ce.call.get(room, id)
	want = rooms.CallPermission{CanSubscribe: true, CanPublish: true, CanPublishSources: []string{"camera", "microphone"}, CanSubscribeMetrics: true}
	if diff := cmp.Diff(want, got.Permission); diff != "" || got.Name != "Gail G." {
		t.Errorf("name %q, permission (-want +got):\n%s", got.Name, diff)
	}

	ce.call.setErr(apperr.New(apperr.Unavailable, "The media server is unavailable."))
	expect(t, post(map[string]any{"participant_identity": id, "name": "x"}), 503, map[string]any{"error": "Failed to update participant"})
}
