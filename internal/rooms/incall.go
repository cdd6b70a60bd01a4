package rooms

// HandRaisedAttribute is the participant attribute that carries a raised
// hand, as La Suite Meet's clients read it: an RFC 3339 timestamp of when
// the hand went up (so clients can list hands in the order they were
// raised), or "" when the hand is down.
const HandRaisedAttribute = "handRaisedAt"

// ServerAttributes are the participant attributes only meet sets (from the
// join grant, or on a role change): hosts may not rewrite them through
// update-participant/.
var ServerAttributes = []string{"room_role", "is_authenticated"}

// CallParticipant is someone connected to a room's call, as the media
// server reports it.
type CallParticipant struct {
	Identity   string
	Name       string
	Attributes map[string]string
	Permission CallPermission
	// Present is false once the participant is disconnecting.
	Present bool
}

// CallPermission is what a participant may do in the call. It has no hidden,
// recorder or agent flags: meet never grants them through the API.
type CallPermission struct {
	CanSubscribe        bool
	CanPublish          bool
	CanPublishData      bool
	CanPublishSources   []string // lowercase source names (camera, microphone…)
	CanUpdateMetadata   bool
	CanSubscribeMetrics bool
}

// CallParticipantUpdate changes a connected participant. Nil or empty fields
// are left alone; an attribute set to "" is removed.
type CallParticipantUpdate struct {
	Metadata   map[string]any // JSON-encoded into the participant's metadata
	Attributes map[string]string
	Permission *CallPermission // replaces the whole permission when set
	Name       string
}

// CallToken is what a verified LiveKit access token says about its bearer.
type CallToken struct {
	Identity string
	// Room is the LiveKit room the token admits to: a registered room's id,
	// or an unregistered room's slug.
	Room string
	// Attributes are the participant attributes meet signed into the token
	// (color, room_role, is_authenticated).
	Attributes map[string]string
}

// Authenticated reports whether the token was issued to a signed-in user.
func (t CallToken) Authenticated() bool { return t.Attributes["is_authenticated"] == "true" }
