package rooms

import "meet/internal/auth"

// ConnectionTestName is the display name of a connection test's participant.
const ConnectionTestName = "Connection Test"

// ConnectionTestGrant is the grant of a connection test (the reference's
// diagnostics/connection/): a LiveKit room of its own, named prefix-<uuid>,
// that no stored room can be confused with; the caller's identity when
// signed in, a random one otherwise; the default sources, so camera and
// microphone can be tried; never room admin.
func ConnectionTestGrant(prefix string, p auth.Principal) JoinGrant {
	identity := newUUID()
	if p.Authenticated() {
		identity = p.Sub
	}
	return GrantFor(prefix+"-"+newUUID(), Configuration{}, Joiner{
		Identity: identity, Name: ConnectionTestName, Authenticated: p.Authenticated(),
	})
}
