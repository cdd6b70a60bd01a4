package livekit

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	lkauth "github.com/livekit/protocol/auth"
)

// Denials tells whether an identity was removed from a LiveKit room
// (rooms.DenyList implements it).
type Denials interface {
	Denied(ctx context.Context, lkRoom, identity string) (bool, error)
}

// GuardSignal wraps the in-process SFU's signalling (/rtc, /rtc/v1 and their
// validate endpoints, which clients also use to reconnect and to resume with
// a refreshed token) so that a participant removed from a room cannot come
// back with a token it still holds. It reads the token where LiveKit does
// (an "Authorization: Bearer" header, else the access_token parameter),
// verifies it with the API secret, and answers 403 when its identity is
// denied in its room. Requests without a token go through: the SFU refuses
// them itself. A deny list that cannot answer fails closed (503).
func GuardSignal(next http.Handler, apiKey, apiSecret string, denials Denials, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("access_token")
		if h := r.Header.Get("Authorization"); h != "" {
			token = strings.TrimPrefix(h, "Bearer ")
		}
		if token == "" {
			next.ServeHTTP(w, r)
			return
		}
		v, err := lkauth.ParseAPIToken(token)
		if err != nil || v.APIKey() != apiKey {
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		_, grants, err := v.Verify(apiSecret)
		if err != nil || grants.Video == nil {
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		denied, err := denials.Denied(r.Context(), grants.Video.Room, grants.Identity)
		switch {
		case err != nil:
			log.WarnContext(r.Context(), "livekit: deny list unavailable; signalling refused", "err", err)
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		case denied:
			log.InfoContext(r.Context(), "livekit: removed participant refused", "room", grants.Video.Room)
			http.Error(w, "participant was removed from this room", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
