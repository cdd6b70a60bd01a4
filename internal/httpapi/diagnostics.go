package httpapi

import (
	"net/http"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/config"
	"meet/internal/rooms"
)

// ConnectionTokens signs a grant with a given lifetime (the livekit
// adapter's TokenIssuer implements it).
type ConnectionTokens interface {
	IssueFor(g rooms.JoinGrant, ttl time.Duration) (rooms.LiveKitInfo, error)
}

// ConnectionTest is what diagnostics/connection/ needs.
type ConnectionTest struct {
	Settings config.ConnectionTest
	Tokens   ConnectionTokens
}

// connectionTestBody is the "livekit" block of a connection test: the
// join block plus the token's lifetime in seconds.
type connectionTestBody struct {
	rooms.LiveKitInfo
	ExpiresIn int `json:"expires_in"`
}

var errFeatureOff = apperr.New(apperr.NotFound, "Not found.")

// handleConnectionTest is POST diagnostics/connection/: anyone, signed in or
// not, gets a short-lived token for a throwaway LiveKit room, to check that
// the browser reaches the media server before a real call. 404 when the
// feature is off, as the reference's feature flag answers.
func (s *Server) handleConnectionTest() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		ct := s.ConnectionTest
		if ct == nil || !ct.Settings.Enabled {
			return errFeatureOff
		}
		if err := s.throttle(r, "connection_test", ct.Settings.PerMinute); err != nil {
			return err
		}
		info, err := ct.Tokens.IssueFor(rooms.ConnectionTestGrant(ct.Settings.RoomPrefix, auth.FromContext(r.Context())), ct.Settings.TokenTTL)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]any{
			"livekit": connectionTestBody{LiveKitInfo: info, ExpiresIn: int(ct.Settings.TokenTTL / time.Second)},
		})
		return nil
	})
}
