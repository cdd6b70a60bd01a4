package livekit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	lkauth "github.com/livekit/protocol/auth"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// TokenVerifier checks the LiveKit access tokens participants send back to
// the API (Authorization: Bearer <jwt>) to prove who they are in a call: an
// HS256 signature with the API secret, the API key as issuer, and the
// validity window with LiveKit's one-minute leeway (the reference's 60 s).
type TokenVerifier struct {
	apiKey, apiSecret string
}

// NewTokenVerifier returns a verifier for tokens signed with apiKey and
// apiSecret, the pair meet's TokenIssuer signs join tokens with.
func NewTokenVerifier(apiKey, apiSecret string) *TokenVerifier {
	return &TokenVerifier{apiKey: apiKey, apiSecret: apiSecret}
}

// VerifyToken returns what a valid token says: the participant identity, the
// LiveKit room and the attributes. A token that does not verify gives
// apperr.Forbidden whose message is the reference's "Invalid LiveKit token:
// <reason>".
func (v *TokenVerifier) VerifyToken(raw string) (rooms.CallToken, error) {
	invalid := func(reason string, cause error) error {
		return apperr.Wrap(apperr.Forbidden, "Invalid LiveKit token: "+reason, fmt.Errorf("livekit: verify token: %w", cause))
	}
	parsed, err := lkauth.ParseAPIToken(raw)
	if err != nil {
		return rooms.CallToken{}, invalid(tokenErrorReason(raw, err), err)
	}
	if parsed.APIKey() != v.apiKey {
		// Checked before the signature so that a token of another key pair
		// says why it fails, as PyJWT's issuer check does.
		return rooms.CallToken{}, invalid("Invalid issuer", errors.New("issuer is not the API key"))
	}
	_, grants, err := parsed.Verify(v.apiSecret)
	if err != nil {
		return rooms.CallToken{}, invalid(tokenErrorReason(raw, err), err)
	}
	if grants.Identity == "" {
		return rooms.CallToken{}, invalid("Token missing user identity", errors.New("no identity"))
	}
	tok := rooms.CallToken{Identity: grants.Identity, Attributes: grants.Attributes}
	if grants.Video != nil {
		tok.Room = grants.Video.Room
	}
	return tok, nil
}

// tokenErrorReason words a JWT failure as PyJWT does, the library behind
// the reference's messages.
func tokenErrorReason(raw string, err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "Signature has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "The token is not yet valid (nbf)"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "The token is not yet valid (iat)"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "Signature verification failed"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "Invalid issuer"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "The specified alg value is not allowed"
	case errors.Is(err, jwt.ErrTokenMalformed) && strings.Count(raw, ".") != 2:
		return "Not enough segments"
	}
	return "Invalid token"
}
