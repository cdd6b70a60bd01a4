package httpapi

import (
	"context"

	"meet/internal/auth"
	"meet/internal/users"
)

// Analytics records product analytics events. The analytics adapter's
// PostHog client implements it; cmd/meet sets it in Deps when
// MEET_ANALYTICS_POSTHOG_KEY is set. Both methods are called while a request
// is served, so they must return at once and never fail: an implementation
// queues the event and sends it in the background.
//
// distinctID is always a user id, never an e-mail address; anonymous callers
// are not tracked (the caller skips them), as in the reference.
type Analytics interface {
	// Identify records person properties of distinctID.
	Identify(distinctID string, props map[string]any)
	// Track records that distinctID did event, with its properties.
	Track(distinctID, event string, props map[string]any)
}

// noAnalytics is the Analytics of a server without an analytics service.
type noAnalytics struct{}

func (noAnalytics) Identify(string, map[string]any)      {}
func (noAnalytics) Track(string, string, map[string]any) {}

// The events meet records. Names and properties are the reference's where
// it has them (room_created; its June-era "Signed Out" and "Get Room" are
// named here in the snake_case its PostHog events use).
const (
	// eventRoomCreated: {room_id, access_level, from_callback}; the external
	// API adds {external_api: true, client_id, auth_method}.
	eventRoomCreated = "room_created"
	// eventTokenIssued: a signed-in user was handed a LiveKit join token
	// for a room: {room_id, slug, access_level}.
	eventTokenIssued = "room_token_issued"
	// eventSignedOut: a signed-in user signed out: {}.
	eventSignedOut = "signed_out"
	// eventLobbyAdmitted: a host let a waiting participant in: {room_id}.
	eventLobbyAdmitted = "lobby_participant_admitted"
)

// identify records who signed in: the user's id and the keyed hash of their
// e-mail address (users.AnonymizedEmail), never the address.
func (s *Server) identify(u *users.User) {
	props := map[string]any{}
	if h := users.AnonymizedEmail(s.AnalyticsKey, u.Email); h != "" {
		props["email_anonymized"] = h
	}
	s.Analytics.Identify(u.ID, props)
}

// track records event for the signed-in caller of ctx; anonymous callers
// are skipped.
func (s *Server) track(ctx context.Context, event string, props map[string]any) {
	p := auth.FromContext(ctx)
	if !p.Authenticated() {
		return
	}
	if props == nil {
		props = map[string]any{}
	}
	s.Analytics.Track(p.UserID, event, props)
}
