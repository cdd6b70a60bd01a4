package httpapi

import (
	"net/http"
	"strings"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// LiveKitTokenVerifier checks the LiveKit access token a participant sends
// to prove who it is in a call (the livekit adapter's TokenVerifier
// implements it). VerifyToken returns what the token says, or
// apperr.Forbidden with the reference's "Invalid LiveKit token: <reason>"
// message.
type LiveKitTokenVerifier interface {
	VerifyToken(raw string) (rooms.CallToken, error)
}

// liveKitCaller is a participant authenticated by its LiveKit token.
type liveKitCaller = rooms.CallToken

// liveKitSchemes are the Authorization schemes that carry a LiveKit token:
// "Bearer" (La Suite Meet's clients up to 1.27) and "X-LiveKit-Token"
// (later clients, which keep Bearer for other credentials).
var liveKitSchemes = []string{"bearer", "x-livekit-token"}

// liveKitCallerOf authenticates r by the LiveKit token in its Authorization
// header, as the reference's LiveKitTokenAuthentication does: no header
// means no token (ok false, nil error); a header that is not "Bearer <jwt>"
// or a token that does not verify is refused with 403 and the reference's
// body. A session cookie, if any, plays no part.
func (s *Server) liveKitCallerOf(r *http.Request) (c liveKitCaller, ok bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return liveKitCaller{}, false, nil
	}
	parts := strings.Fields(h)
	if len(parts) != 2 || !isLiveKitScheme(parts[0]) {
		return liveKitCaller{}, false, apperr.New(apperr.Forbidden, "Authorization header must be: Bearer <token>")
	}
	if s.LiveKitTokens == nil {
		return liveKitCaller{}, false, apperr.New(apperr.Forbidden, "Invalid LiveKit token: no LiveKit server is configured")
	}
	tok, err := s.LiveKitTokens.VerifyToken(parts[1])
	if err != nil {
		return liveKitCaller{}, false, err
	}
	return tok, true, nil
}

func isLiveKitScheme(s string) bool {
	for _, k := range liveKitSchemes {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}

// errNoLiveKitToken is the reference's answer to a token-only action called
// without a token: 403, since LiveKit-token authentication sends no
// WWW-Authenticate challenge.
var errNoLiveKitToken = apperr.New(apperr.Forbidden, "Authentication credentials were not provided.")

// roomByToken authenticates a token-only action (toggle-hand/, rename/) in
// the reference's order: the token is checked first (403), then the room is
// looked up (404), then the token must exist (403 "Authentication
// credentials were not provided.") and admit to this room's call (403 "You
// do not have permission...", the reference's HasLiveKitRoomAccess).
func (s *Server) roomByToken(r *http.Request) (*rooms.Room, liveKitCaller, error) {
	c, ok, err := s.liveKitCallerOf(r)
	if err != nil {
		return nil, liveKitCaller{}, err
	}
	room, err := s.Rooms.Lookup(r.Context(), r.PathValue("id"))
	switch {
	case err != nil:
		return nil, liveKitCaller{}, err
	case !ok:
		return nil, liveKitCaller{}, errNoLiveKitToken
	case c.Room != room.ID:
		return nil, liveKitCaller{}, errNotThisCall
	}
	return room, c, nil
}

// errNotThisCall refuses a LiveKit token of another room's call.
var errNotThisCall = apperr.New(apperr.Forbidden, "You do not have permission to perform this action.")
