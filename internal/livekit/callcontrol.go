package livekit

import (
	"context"

	"meet/internal/rooms"
)

// CallControl is the participant side of Client in the domain's terms
// (rooms.CallParticipant...), for consumers that must not depend on this
// package's types: the HTTP API's in-call actions.
type CallControl struct {
	c *Client
}

// NewCallControl returns the in-call participant controls of c.
func NewCallControl(c *Client) *CallControl { return &CallControl{c: c} }

// GetParticipant returns a participant of room; apperr.NotFound when the
// room or the participant does not exist.
func (cc *CallControl) GetParticipant(ctx context.Context, room, identity string) (rooms.CallParticipant, error) {
	p, err := cc.c.GetParticipant(ctx, room, identity)
	if err != nil {
		return rooms.CallParticipant{}, err
	}
	return callParticipant(p), nil
}

// ListParticipants returns the participants of room (none when the call is
// not running).
func (cc *CallControl) ListParticipants(ctx context.Context, room string) ([]rooms.CallParticipant, error) {
	ps, err := cc.c.ListParticipants(ctx, room)
	if err != nil {
		return nil, err
	}
	out := make([]rooms.CallParticipant, 0, len(ps))
	for _, p := range ps {
		out = append(out, callParticipant(p))
	}
	return out, nil
}

// UpdateParticipant applies u; apperr.NotFound when the participant is not
// in the room, apperr.Invalid for an unknown publish source.
func (cc *CallControl) UpdateParticipant(ctx context.Context, room, identity string, u rooms.CallParticipantUpdate) error {
	up := ParticipantUpdate{Metadata: u.Metadata, Attributes: u.Attributes, Name: u.Name}
	if u.Permission != nil {
		up.Permission = &Permission{
			CanSubscribe: u.Permission.CanSubscribe, CanPublish: u.Permission.CanPublish,
			CanPublishData: u.Permission.CanPublishData, CanPublishSources: u.Permission.CanPublishSources,
			CanUpdateMetadata: u.Permission.CanUpdateMetadata, CanSubscribeMetrics: u.Permission.CanSubscribeMetrics,
		}
	}
	_, err := cc.c.UpdateParticipant(ctx, room, identity, up)
	return err
}

// MuteTrack mutes one published track of a participant at the SFU (the
// participant's client is told and shows it muted); apperr.NotFound when
// the participant or the track does not exist.
func (cc *CallControl) MuteTrack(ctx context.Context, room, identity, trackSID string) error {
	return cc.c.MutePublishedTrack(ctx, room, identity, trackSID, true)
}

func callParticipant(p Participant) rooms.CallParticipant {
	return rooms.CallParticipant{
		Identity:   p.Identity,
		Name:       p.Name,
		Attributes: p.Attributes,
		Present:    p.Present(),
		Permission: rooms.CallPermission{
			CanSubscribe: p.Permission.CanSubscribe, CanPublish: p.Permission.CanPublish,
			CanPublishData: p.Permission.CanPublishData, CanPublishSources: p.Permission.CanPublishSources,
			CanUpdateMetadata: p.Permission.CanUpdateMetadata, CanSubscribeMetrics: p.Permission.CanSubscribeMetrics,
		},
	}
}
