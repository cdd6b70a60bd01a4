package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// handleMuteParticipant is POST rooms/{id}/mute-participant/
// {participant_identity, track_sid}: mutes one published track at the SFU.
// As in the reference (CanMuteParticipant), a room's owner or administrator
// signed in by session may always; anyone else needs the room's
// everyone_can_mute (true when unset) and a LiveKit token of this room whose
// identity is connected to the call. A LiveKit token never grants the host
// shortcut, even one issued to a host: tokens can be replayed off-host.
func (s *Server) handleMuteParticipant() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		caller, byToken, err := s.liveKitCallerOf(r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		room, err := s.Rooms.Lookup(ctx, r.PathValue("id"))
		if err != nil {
			return err
		}
		p := auth.FromContext(ctx)
		host := false
		if !byToken && p.Authenticated() {
			role, err := s.Rooms.RoleOf(ctx, p, room.ID)
			if err != nil {
				return err
			}
			host = role.CanManage()
		}
		if !host {
			switch {
			case !byToken && !p.Authenticated():
				return errNoLiveKitToken
			case !byToken || !room.Configuration.EveryoneCanMute() || caller.Room != room.ID:
				return errNotThisCall
			}
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		problems := apperr.Fields{}
		identity := requiredString(body, "participant_identity", problems)
		trackSID := requiredString(body, "track_sid", problems)
		if err := problems.Err(); err != nil {
			return err
		}
		if byToken {
			// The token proves the call was joinable, not that its bearer is
			// in it: check, and deny on any doubt.
			c, err := s.InCall.GetParticipant(ctx, room.ID, caller.Identity)
			if err != nil || !c.Present {
				if err != nil && !apperr.Is(err, apperr.NotFound) {
					s.log.WarnContext(ctx, "caller presence not verified for a mute", "room_id", room.ID, "err", err)
				}
				return apperr.Keyed(apperr.Forbidden, "error", "Could not verify caller presence")
			}
		}
		if err := s.InCall.MuteTrack(ctx, room.ID, identity, trackSID); err != nil {
			return callFailure(err, "Failed to mute participant")
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return nil
	})
}

// requiredString decodes a required, non-blank string field of at most 255
// characters, recording what is wrong with it in problems.
func requiredString(body jsonObject, field string, problems apperr.Fields) string {
	v, ok, err := body.str(field)
	switch {
	case err != nil:
		problems.Merge(err)
	case !ok:
		problems.Add(field, "This field is required.")
	case v == "":
		problems.Add(field, "This field may not be blank.")
	case utf8.RuneCountInString(v) > 255:
		problems.Add(field, "Ensure this field has no more than 255 characters.")
	}
	return v
}

// forbiddenPermissions may never be set through the API: they would hide a
// participant, make it look like a recorder or an agent.
var forbiddenPermissions = []string{"hidden", "recorder", "agent"}

// permissionFlags are the boolean fields of a participant permission.
var permissionFlags = []string{"can_subscribe", "can_publish", "can_publish_data", "can_update_metadata", "can_subscribe_metrics"}

// handleUpdateParticipant is POST rooms/{id}/update-participant/
// {participant_identity, metadata?, attributes?, permission?, name?}: a
// room's owner or administrator changes a connected participant — lowers
// its hand (attributes), changes what it may publish (permission), renames
// it. Permission fields left out keep their current value, where the
// reference reset them; meet's own attributes (room_role, is_authenticated)
// are not taken from the request.
func (s *Server) handleUpdateParticipant() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		room, _, err := s.Rooms.Authorize(ctx, auth.FromContext(ctx), r.PathValue("id"))
		if err != nil {
			return err
		}
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		in, err := parseParticipantUpdate(body)
		if err != nil {
			return err
		}
		const fail = "Failed to update participant"
		current, err := s.InCall.GetParticipant(ctx, room.ID, in.identity)
		if err != nil {
			return callFailure(err, fail)
		}
		if !current.Present {
			return errParticipantNotFound
		}
		u := rooms.CallParticipantUpdate{Metadata: in.metadata, Name: in.name}
		for k, v := range in.attributes {
			if slices.Contains(rooms.ServerAttributes, k) {
				continue
			}
			if u.Attributes == nil {
				u.Attributes = map[string]string{}
			}
			u.Attributes[k] = v
		}
		if in.permission != nil {
			perm := in.permission.over(current.Permission)
			u.Permission = &perm
		}
		if u.Metadata == nil && u.Attributes == nil && u.Permission == nil && u.Name == "" {
			writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
			return nil
		}
		if err := s.InCall.UpdateParticipant(ctx, room.ID, in.identity, u); err != nil {
			return callFailure(err, fail)
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return nil
	})
}

// participantUpdate is a validated update-participant/ body.
type participantUpdate struct {
	identity   string
	metadata   map[string]any
	attributes map[string]string
	permission *permissionPatch
	name       string
}

// permissionPatch holds the permission fields a request set.
type permissionPatch struct {
	flags   map[string]bool
	sources []string
	hasSrc  bool
}

// over returns cur with the patch applied. Sending an empty source list
// also forbids publishing, since LiveKit reads an empty list as "any source".
func (pp *permissionPatch) over(cur rooms.CallPermission) rooms.CallPermission {
	out := cur
	out.CanPublishSources = slices.Clone(cur.CanPublishSources)
	set := map[string]*bool{
		"can_subscribe": &out.CanSubscribe, "can_publish": &out.CanPublish, "can_publish_data": &out.CanPublishData,
		"can_update_metadata": &out.CanUpdateMetadata, "can_subscribe_metrics": &out.CanSubscribeMetrics,
	}
	for k, v := range pp.flags {
		*set[k] = v
	}
	if pp.hasSrc {
		out.CanPublishSources = pp.sources
		if len(pp.sources) == 0 {
			out.CanPublish = false
		}
	}
	return out
}

// parseParticipantUpdate validates an update-participant/ body as the
// reference's UpdateParticipantSerializer does.
func parseParticipantUpdate(body jsonObject) (participantUpdate, error) {
	var in participantUpdate
	problems := apperr.Fields{}
	in.identity = requiredString(body, "participant_identity", problems)
	given := false
	if raw, ok := body["metadata"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &in.metadata); err != nil || in.metadata == nil {
			problems.Add("metadata", `Expected a dictionary of items but got type "`+jsonType(raw)+`".`)
		}
		given = true
	}
	if raw, ok := body["attributes"]; ok && string(raw) != "null" {
		var attrs map[string]any
		if err := json.Unmarshal(raw, &attrs); err != nil || attrs == nil {
			problems.Add("attributes", `Expected a dictionary of items but got type "`+jsonType(raw)+`".`)
		} else {
			in.attributes = map[string]string{}
			for k, v := range attrs {
				str, ok := v.(string)
				if !ok {
					problems.Add("attributes", k+": Attribute values must be strings.")
					continue
				}
				in.attributes[k] = str
			}
		}
		given = true
	}
	if raw, ok := body["permission"]; ok && string(raw) != "null" {
		pp, err := parsePermission(raw)
		if err != nil {
			problems.Merge(err)
		}
		in.permission = pp
		given = true
	}
	if name, ok, err := body.str("name"); err != nil && !body.isNull("name") {
		problems.Merge(err)
	} else if ok && name != "" {
		if utf8.RuneCountInString(name) > 255 {
			problems.Add("name", "Ensure this field has no more than 255 characters.")
		}
		in.name = name
		given = true
	}
	if err := problems.Err(); err != nil {
		return in, err
	}
	if !given {
		return in, apperr.Field("non_field_errors", "At least one of the following fields must be provided: metadata, attributes, permission, name.")
	}
	return in, nil
}

// parsePermission validates a permission object: known fields only,
// booleans or null, lowercase source names, and none of the forbidden
// fields (even false, as the reference refuses any value but null).
func parsePermission(raw json.RawMessage) (*permissionPatch, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, apperr.Field("permission", "Input should be a valid dictionary or instance of ParticipantPermission.")
	}
	var suspicious []string
	for _, f := range forbiddenPermissions {
		if v, ok := obj[f]; ok && string(v) != "null" {
			suspicious = append(suspicious, f)
		}
	}
	if len(suspicious) > 0 {
		return nil, apperr.Field("permission", "Setting the following participant permissions is not allowed: "+strings.Join(suspicious, ", ")+".")
	}
	pp := &permissionPatch{flags: map[string]bool{}}
	problems := apperr.Fields{}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := obj[k]
		switch {
		case slices.Contains(forbiddenPermissions, k):
		case slices.Contains(permissionFlags, k):
			if string(v) == "null" {
				continue
			}
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				problems.Add("permission", k+": Input should be a valid boolean.")
				continue
			}
			pp.flags[k] = b
		case k == "can_publish_sources":
			var list []string
			if err := json.Unmarshal(v, &list); err != nil {
				problems.Add("permission", k+": Input should be a valid list of sources.")
				continue
			}
			pp.hasSrc = true
			pp.sources = []string{}
			for _, src := range list {
				if !slices.Contains(rooms.DefaultSources, src) {
					problems.Add("permission", k+": Input should be 'camera', 'microphone', 'screen_share' or 'screen_share_audio'.")
					break
				}
				if !slices.Contains(pp.sources, src) {
					pp.sources = append(pp.sources, src)
				}
			}
		default:
			problems.Add("permission", k+": Extra inputs are not permitted.")
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return pp, nil
}

// jsonType names the Python type of a JSON value, for DRF's messages.
func jsonType(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "":
		return "NoneType"
	case s[0] == '"':
		return "str"
	case s[0] == '[':
		return "list"
	case s == "true" || s == "false":
		return "bool"
	case strings.ContainsAny(s, ".eE"):
		return "float"
	}
	return "int"
}
