package livekit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	lkproto "github.com/livekit/protocol/livekit"

	"meet/internal/apperr"
)

// Participant is a participant of a LiveKit room as the server API reports it.
type Participant struct {
	SID        string
	Identity   string
	Name       string
	State      string // JOINING, JOINED, ACTIVE or DISCONNECTED
	Metadata   string
	Attributes map[string]string
	Permission Permission
	Tracks     []Track
	JoinedAt   time.Time
}

// Present reports whether the participant is (still) connected, the
// reference's presence check: it exists and is not DISCONNECTED.
func (p Participant) Present() bool {
	return p.State != "" && p.State != lkproto.ParticipantInfo_DISCONNECTED.String()
}

// Track is a published track.
type Track struct {
	SID    string
	Name   string
	Kind   string // "audio" or "video"
	Source string // camera, microphone, screen_share, screen_share_audio or unknown
	Muted  bool
}

// Permission is what a participant may do in its room. It deliberately has
// no hidden, recorder or agent flags: meet never grants them through the API.
type Permission struct {
	CanSubscribe        bool
	CanPublish          bool
	CanPublishData      bool
	CanPublishSources   []string // lowercase source names
	CanUpdateMetadata   bool
	CanSubscribeMetrics bool
}

// ParticipantUpdate changes a participant. Nil or empty fields are left
// alone; an attribute set to "" is deleted.
type ParticipantUpdate struct {
	Metadata   map[string]any // JSON-encoded into the participant metadata
	Attributes map[string]string
	Permission *Permission
	Name       string
}

// GetParticipant returns a participant of room; apperr.NotFound when the
// room or the participant does not exist.
func (c *Client) GetParticipant(ctx context.Context, room, identity string) (Participant, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p, err := c.rs.GetParticipant(ctx, &lkproto.RoomParticipantIdentity{Room: room, Identity: identity})
	if err != nil {
		return Participant{}, mapErr("get participant", err)
	}
	return participantFromProto(p), nil
}

// ListParticipants returns the participants of room (none when it is not
// active).
func (c *Client) ListParticipants(ctx context.Context, room string) ([]Participant, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := c.rs.ListParticipants(ctx, &lkproto.ListParticipantsRequest{Room: room})
	if err != nil {
		return nil, mapErr("list participants", err)
	}
	out := make([]Participant, 0, len(res.Participants))
	for _, p := range res.Participants {
		out = append(out, participantFromProto(p))
	}
	return out, nil
}

// UpdateParticipant applies u to a participant of room and returns it as
// updated; apperr.NotFound when the participant is not in the room.
func (c *Client) UpdateParticipant(ctx context.Context, room, identity string, u ParticipantUpdate) (Participant, error) {
	req := &lkproto.UpdateParticipantRequest{Room: room, Identity: identity, Name: u.Name, Attributes: u.Attributes}
	if u.Metadata != nil {
		b, err := json.Marshal(u.Metadata)
		if err != nil {
			return Participant{}, apperr.Wrap(apperr.Invalid, "Invalid participant metadata.", fmt.Errorf("livekit: update participant: %w", err))
		}
		req.Metadata = string(b)
	}
	if u.Permission != nil {
		perm, err := permissionToProto(*u.Permission)
		if err != nil {
			return Participant{}, err
		}
		req.Permission = perm
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p, err := c.rs.UpdateParticipant(ctx, req)
	if err != nil {
		return Participant{}, mapErr("update participant", err)
	}
	return participantFromProto(p), nil
}

// MutePublishedTrack mutes (or unmutes, when the SFU allows remote unmute)
// one track of a participant; apperr.NotFound when the participant or the
// track does not exist.
func (c *Client) MutePublishedTrack(ctx context.Context, room, identity, trackSID string, muted bool) error {
	// LiveKit forwards the mute to the participant's node without checking
	// the participant exists; for a missing one the call then fails after
	// a 3 s routing timeout as "unavailable". Looking it up first answers
	// not_found at once.
	if _, err := c.GetParticipant(ctx, room, identity); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	_, err := c.rs.MutePublishedTrack(ctx, &lkproto.MuteRoomTrackRequest{Room: room, Identity: identity, TrackSid: trackSID, Muted: muted})
	return mapErr("mute published track", err)
}

// RemoveParticipant disconnects a participant from room; apperr.NotFound
// when it is not there. It does not stop the participant from joining again
// with a still-valid token.
func (c *Client) RemoveParticipant(ctx context.Context, room, identity string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	_, err := c.rs.RemoveParticipant(ctx, &lkproto.RoomParticipantIdentity{Room: room, Identity: identity})
	return mapErr("remove participant", err)
}

func participantFromProto(p *lkproto.ParticipantInfo) Participant {
	out := Participant{
		SID:        p.Sid,
		Identity:   p.Identity,
		Name:       p.Name,
		State:      p.State.String(),
		Metadata:   p.Metadata,
		Attributes: p.Attributes,
	}
	if p.JoinedAtMs != 0 {
		out.JoinedAt = time.UnixMilli(p.JoinedAtMs).UTC()
	} else if p.JoinedAt != 0 {
		out.JoinedAt = time.Unix(p.JoinedAt, 0).UTC()
	}
	if perm := p.Permission; perm != nil {
		out.Permission = Permission{
			CanSubscribe:        perm.CanSubscribe,
			CanPublish:          perm.CanPublish,
			CanPublishData:      perm.CanPublishData,
			CanUpdateMetadata:   perm.CanUpdateMetadata,
			CanSubscribeMetrics: perm.CanSubscribeMetrics,
		}
		for _, s := range perm.CanPublishSources {
			out.Permission.CanPublishSources = append(out.Permission.CanPublishSources, sourceName(s))
		}
	}
	for _, t := range p.Tracks {
		out.Tracks = append(out.Tracks, Track{
			SID:    t.Sid,
			Name:   t.Name,
			Kind:   strings.ToLower(t.Type.String()),
			Source: sourceName(t.Source),
			Muted:  t.Muted,
		})
	}
	return out
}

// permissionToProto refuses unknown source names rather than dropping them:
// LiveKit reads an empty source list as "every source".
func permissionToProto(p Permission) (*lkproto.ParticipantPermission, error) {
	out := &lkproto.ParticipantPermission{
		CanSubscribe:        p.CanSubscribe,
		CanPublish:          p.CanPublish,
		CanPublishData:      p.CanPublishData,
		CanUpdateMetadata:   p.CanUpdateMetadata,
		CanSubscribeMetrics: p.CanSubscribeMetrics,
	}
	for _, s := range p.CanPublishSources {
		v, ok := lkproto.TrackSource_value[strings.ToUpper(s)]
		if !ok || v == int32(lkproto.TrackSource_UNKNOWN) {
			return nil, apperr.Field("can_publish_sources", fmt.Sprintf("%q is not a valid source.", s))
		}
		out.CanPublishSources = append(out.CanPublishSources, lkproto.TrackSource(v))
	}
	return out, nil
}

// sourceName is LiveKit's lowercase name of a track source, the form tokens
// and meet's room configuration use.
func sourceName(s lkproto.TrackSource) string { return strings.ToLower(s.String()) }
