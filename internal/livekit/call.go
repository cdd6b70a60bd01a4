package livekit

import (
	"context"

	lkproto "github.com/livekit/protocol/livekit"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

var _ rooms.Call = (*Client)(nil)

// Members lists the ordinary participants connected to lkRoom: hidden ones
// (the recorder), agents, egress, ingress and SIP participants are left out,
// so that a room-wide permission update never touches them. A room that is
// not live has no members.
func (c *Client) Members(ctx context.Context, lkRoom string) ([]rooms.CallMember, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := c.rs.ListParticipants(ctx, &lkproto.ListParticipantsRequest{Room: lkRoom})
	if err = mapErr("list participants", err); apperr.Is(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := make([]rooms.CallMember, 0, len(res.Participants))
	for _, p := range res.Participants {
		if ordinary(p) {
			out = append(out, memberFromProto(p))
		}
	}
	return out, nil
}

// Member returns one connected ordinary participant; apperr.NotFound when it
// is not connected (or is not an ordinary participant).
func (c *Client) Member(ctx context.Context, lkRoom, identity string) (rooms.CallMember, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	p, err := c.rs.GetParticipant(ctx, &lkproto.RoomParticipantIdentity{Room: lkRoom, Identity: identity})
	if err != nil {
		return rooms.CallMember{}, mapErr("get participant", err)
	}
	if !ordinary(p) || p.State == lkproto.ParticipantInfo_DISCONNECTED {
		return rooms.CallMember{}, apperr.New(apperr.NotFound, notFoundMsg)
	}
	return memberFromProto(p), nil
}

// Regrant sets a connected participant's permissions and room_role
// attribute from g, the grant a join token would carry. LiveKit 1.13.5 has
// no way to change a connected participant's roomAdmin claim: it keeps the
// one of the token it joined with (see rooms.Options.MoveOutOnDemotion).
func (c *Client) Regrant(ctx context.Context, g rooms.JoinGrant) error {
	perm := Permission{
		CanSubscribe: g.CanSubscribe, CanPublish: g.CanPublish, CanPublishData: g.CanPublishData,
		CanPublishSources: g.CanPublishSources, CanUpdateMetadata: g.CanUpdateOwnMetadata,
	}
	// "" deletes the attribute, for participants left without a role.
	attrs := map[string]string{"room_role": g.Attributes["room_role"]}
	_, err := c.UpdateParticipant(ctx, g.Room, g.Identity, ParticipantUpdate{Permission: &perm, Attributes: attrs})
	return err
}

// Remove disconnects a participant; apperr.NotFound when it is not there.
func (c *Client) Remove(ctx context.Context, lkRoom, identity string) error {
	return c.RemoveParticipant(ctx, lkRoom, identity)
}

// ordinary reports whether p is a person's participant that meet manages:
// a standard participant (not an agent, egress, ingress or SIP one) that is
// not hidden (meet's recorder joins hidden).
func ordinary(p *lkproto.ParticipantInfo) bool {
	return p.Kind == lkproto.ParticipantInfo_STANDARD && (p.Permission == nil || !p.Permission.Hidden)
}

func memberFromProto(p *lkproto.ParticipantInfo) rooms.CallMember {
	role := rooms.Role(p.Attributes["room_role"])
	if !role.Valid() {
		role = rooms.NoRole
	}
	return rooms.CallMember{
		Identity:      p.Identity,
		Name:          p.Name,
		Role:          role,
		Authenticated: p.Attributes["is_authenticated"] == "true",
		Color:         p.Attributes["color"],
	}
}
