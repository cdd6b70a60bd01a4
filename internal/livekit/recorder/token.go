package recorder

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/livekit/protocol/auth"
)

// IdentityPrefix starts the identity of every recorder participant
// ("meet-recorder-<id>"). Participant lists, webhook handlers and this
// package ignore identities with this prefix.
const IdentityPrefix = "meet-recorder-"

// IsRecorderIdentity reports whether identity belongs to a recorder.
func IsRecorderIdentity(identity string) bool {
	return strings.HasPrefix(identity, IdentityPrefix)
}

// NewToken mints the JWT a recorder joins room with. The grant is hidden
// (other participants don't see it), recorder (clients show the room as
// being recorded) and subscribe-only. The identity is IdentityPrefix+id;
// id should be unique per recording, e.g. the recording's UUID.
func NewToken(apiKey, apiSecret, room, id string, ttl time.Duration) (string, error) {
	if apiKey == "" || apiSecret == "" || room == "" || id == "" {
		return "", errors.New("recorder: token: api key, secret, room and id are required")
	}
	grant := &auth.VideoGrant{
		RoomJoin: true,
		Room:     room,
		Hidden:   true,
		Recorder: true,
	}
	grant.SetCanSubscribe(true)
	grant.SetCanPublish(false)
	grant.SetCanPublishData(false)
	jwt, err := auth.NewAccessToken(apiKey, apiSecret).
		SetIdentity(IdentityPrefix + id).
		SetName("Recorder").
		SetVideoGrant(grant).
		SetValidFor(ttl).
		ToJWT()
	if err != nil {
		return "", fmt.Errorf("recorder: token: %w", err)
	}
	return jwt, nil
}
