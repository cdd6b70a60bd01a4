package livekittest

import (
	"strings"
	"testing"
	"time"

	lkproto "github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// What a participant sees of its call, read from its SDK client's state:
// tests check that an action of the API reached the other participants.

// RoomMetadata is the room metadata as this participant received it.
func (p *Participant) RoomMetadata() string { return p.room.Metadata() }

// Sees reports whether identity is among the participants this one sees.
func (p *Participant) Sees(identity string) bool {
	return p.room.GetParticipantByIdentity(identity) != nil
}

// RemoteAttributes are the attributes of another participant as this one
// sees them (nil when it does not see it).
func (p *Participant) RemoteAttributes(identity string) map[string]string {
	if rp := p.room.GetParticipantByIdentity(identity); rp != nil {
		return rp.Attributes()
	}
	return nil
}

// RemoteName is the display name of another participant as this one sees
// it ("" when it does not see it).
func (p *Participant) RemoteName(identity string) string {
	if rp := p.room.GetParticipantByIdentity(identity); rp != nil {
		return rp.Name()
	}
	return ""
}

// RemoteTrackMuted reports whether this participant sees the track of
// another participant as muted.
func (p *Participant) RemoteTrackMuted(identity, trackSID string) bool {
	rp := p.room.GetParticipantByIdentity(identity)
	if rp == nil {
		return false
	}
	for _, pub := range rp.TrackPublications() {
		if pub.SID() == trackSID {
			return pub.IsMuted()
		}
	}
	return false
}

// TrackSID is the SID of the track this participant publishes from source
// ("microphone", "camera"...), "" when it publishes none.
func (p *Participant) TrackSID(source string) string {
	v, ok := lkproto.TrackSource_value[strings.ToUpper(source)]
	if !ok {
		return ""
	}
	if pub := p.room.LocalParticipant.GetTrackPublication(lkproto.TrackSource(v)); pub != nil {
		return pub.SID()
	}
	return ""
}

// LocalTrackMuted reports whether this participant's own track is muted
// (the SFU tells a client when it mutes one of its tracks).
func (p *Participant) LocalTrackMuted(trackSID string) bool {
	for _, pub := range p.room.LocalParticipant.TrackPublications() {
		if pub.SID() == trackSID {
			return pub.IsMuted()
		}
	}
	return false
}

// CanPublishSources are the sources this participant may publish, as the
// SFU last told it (lowercase; empty with can_publish and no list means any).
func (p *Participant) CanPublishSources() (canPublish bool, sources []string) {
	perm := p.room.LocalParticipant.Permissions()
	if perm == nil {
		return false, nil
	}
	for _, s := range perm.CanPublishSources {
		sources = append(sources, strings.ToLower(s.String()))
	}
	return perm.CanPublish, sources
}

// WaitUntil checks cond every 10 ms until it holds, failing the test after
// d. SDK clients apply the SFU's updates asynchronously and some (names)
// raise no callback, so tests look at the state until a deadline.
func WaitUntil(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("livekittest: timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Connected reports whether this participant is still connected to its
// room (false once the server removed it or ended the room).
func (p *Participant) Connected() bool {
	return p.room.ConnectionState() == lksdk.ConnectionStateConnected
}
