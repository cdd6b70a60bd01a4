package rooms

import (
	"context"
	"slices"
	"strconv"
)

// JoinGrant is everything a LiveKit join token says: who joins which LiveKit
// room, under which name, and with which capabilities. It is computed here, by
// the domain, so the grant rules are testable without LiveKit; the livekit
// adapter only signs it.
type JoinGrant struct {
	Room     string // LiveKit room name: the room id, or the slug of an unregistered room
	Identity string
	Name     string
	// Attributes are the participant attributes: color, room_role (absent for
	// participants without a role) and is_authenticated ("true"/"false").
	Attributes        map[string]string
	CanSubscribe      bool
	CanPublish        bool
	CanPublishSources []string
	CanPublishData    bool
	RoomAdmin         bool
	// CanUpdateOwnMetadata is always false: names and hands change through the API.
	CanUpdateOwnMetadata bool
}

// LiveKitInfo is the "livekit" block of the API: where to connect and with what token.
type LiveKitInfo struct {
	URL   string `json:"url"`
	Room  string `json:"room"`
	Token string `json:"token"`
}

// TokenIssuer signs join grants. Implemented by the livekit adapter; Issue
// fails with apperr.Internal only when signing itself fails.
type TokenIssuer interface {
	Issue(g JoinGrant) (LiveKitInfo, error)
}

// MediaServer is what rooms needs from the media server. MergeRoomMetadata
// overlays keys onto a LiveKit room's JSON metadata; it returns
// apperr.NotFound when the LiveKit room does not exist.
type MediaServer interface {
	MergeRoomMetadata(ctx context.Context, room string, set map[string]any) error
}

// Joiner is the participant a grant is for.
type Joiner struct {
	Identity      string
	Name          string
	Color         string // derived from Identity when empty
	Role          Role
	Authenticated bool
}

// GrantFor computes the grant for a participant joining a LiveKit room whose
// configuration is cfg:
//
//   - everyone may join, subscribe and publish data;
//   - owners and administrators may publish every default source and act as
//     LiveKit room admins;
//   - anyone else publishes only the sources the configuration allows (all of
//     them when it says nothing; none with an empty list) and is never admin.
func GrantFor(lkRoom string, cfg Configuration, j Joiner) JoinGrant {
	sources := slices.Clone(DefaultSources)
	if !j.Role.CanManage() {
		if s, ok := cfg.PublishSources(); ok {
			sources = s
		}
	}
	color := j.Color
	if color == "" {
		color = ColorFor(j.Identity)
	}
	attrs := map[string]string{
		"color":            color,
		"is_authenticated": strconv.FormatBool(j.Authenticated),
	}
	if j.Role != NoRole {
		attrs["room_role"] = string(j.Role)
	}
	return JoinGrant{
		Room:              lkRoom,
		Identity:          j.Identity,
		Name:              j.Name,
		Attributes:        attrs,
		CanSubscribe:      true,
		CanPublish:        len(sources) > 0,
		CanPublishSources: sources,
		CanPublishData:    true,
		RoomAdmin:         j.Role.CanManage(),
	}
}
