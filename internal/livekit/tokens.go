package livekit

import (
	"fmt"
	"time"

	lkauth "github.com/livekit/protocol/auth"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// DefaultTokenTTL is how long a join token stays valid when TokenOptions.TTL
// is zero: ten minutes, not the reference's six hours, so that a removal or
// a demotion also ends what a token allows soon. Connected participants do
// not need long tokens: LiveKit (1.13.5, service/roommanager.go) sends each
// one a fresh token every 5 minutes, valid 10 minutes, built from its
// current grants; a client reconnecting or resuming uses the newest one.
// Ten minutes is also that refreshed token's lifetime, so the longest any
// token outlives a removal is the same whether it was issued by meet or
// refreshed by LiveKit (see rooms.DenyTTLFor).
const DefaultTokenTTL = 10 * time.Minute

// TokenOptions configures a TokenIssuer.
type TokenOptions struct {
	APIKey    string
	APISecret string
	// PublicURL is the WebSocket URL browsers connect to (ws:// or wss://),
	// returned to clients in the "livekit" block.
	PublicURL string
	// TTL is the token lifetime; zero means DefaultTokenTTL.
	TTL time.Duration
}

// TokenIssuer signs join grants into LiveKit access tokens (HS256 JWTs whose
// issuer is the API key).
type TokenIssuer struct {
	opts TokenOptions
}

var _ rooms.TokenIssuer = (*TokenIssuer)(nil)

// NewTokenIssuer returns a TokenIssuer for opts.
func NewTokenIssuer(opts TokenOptions) *TokenIssuer {
	if opts.TTL <= 0 {
		opts.TTL = DefaultTokenTTL
	}
	return &TokenIssuer{opts: opts}
}

// Issue signs g. Every permission is set explicitly, so no SDK or server
// default ("everything allowed when nothing is set") can widen the grant; in
// particular RoomAdmin comes only from the grant and CanUpdateOwnMetadata is
// always false. It fails with apperr.Internal only when signing fails.
func (t *TokenIssuer) Issue(g rooms.JoinGrant) (rooms.LiveKitInfo, error) {
	tok, err := t.sign(g, t.opts.TTL)
	if err != nil {
		return rooms.LiveKitInfo{}, err
	}
	return rooms.LiveKitInfo{URL: t.opts.PublicURL, Room: g.Room, Token: tok}, nil
}

// IssueFor signs g with a specific lifetime, for short-lived tokens such as
// the connection test's.
func (t *TokenIssuer) IssueFor(g rooms.JoinGrant, ttl time.Duration) (rooms.LiveKitInfo, error) {
	tok, err := t.sign(g, ttl)
	if err != nil {
		return rooms.LiveKitInfo{}, err
	}
	return rooms.LiveKitInfo{URL: t.opts.PublicURL, Room: g.Room, Token: tok}, nil
}

func (t *TokenIssuer) sign(g rooms.JoinGrant, ttl time.Duration) (string, error) {
	grant := &lkauth.VideoGrant{
		RoomJoin:  true,
		Room:      g.Room,
		RoomAdmin: g.RoomAdmin,
		// An empty list is dropped by omitempty, which LiveKit reads as "any
		// source"; CanPublish=false (set below) still forbids publishing.
		CanPublishSources: append([]string(nil), g.CanPublishSources...),
	}
	grant.SetCanSubscribe(g.CanSubscribe)
	grant.SetCanPublish(g.CanPublish)
	grant.SetCanPublishData(g.CanPublishData)
	grant.SetCanUpdateOwnMetadata(false)

	at := lkauth.NewAccessToken(t.opts.APIKey, t.opts.APISecret).
		SetIdentity(g.Identity).
		SetName(g.Name).
		SetValidFor(ttl).
		SetVideoGrant(grant)
	if len(g.Attributes) > 0 {
		at.SetAttributes(g.Attributes)
	}
	jwt, err := at.ToJWT()
	if err != nil {
		return "", apperr.Wrap(apperr.Internal, "Could not create the media token.", fmt.Errorf("livekit: sign token: %w", err))
	}
	return jwt, nil
}
