package main

import (
	"crypto/hmac"
	"crypto/sha256"

	"meet/internal/applications"
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage"
)

// wireExternalAPI turns on the external API when configured: applications
// act for users with delegated tokens, signed with MEET_APPLICATION_JWT_SECRET_KEY
// or a key derived from the instance secret key.
func wireExternalAPI(cfg *config.Config, deps *httpapi.Deps, db *storage.DB, roomSvc *rooms.Service, secretKey string) {
	if !cfg.External.Enabled {
		return
	}
	e := cfg.External
	key := []byte(e.SigningKey)
	if len(key) == 0 {
		key = tokenSigningKey(secretKey)
	}
	deps.ExternalTokenPerMinute = e.TokenPerMinute
	deps.External = applications.NewService(applications.Deps{Store: db, Users: db, Rooms: roomSvc, RoomStore: db}, applications.Options{
		SigningKey: key, Issuer: e.Issuer, Audience: e.Audience, TokenTTL: e.TokenTTL, BaseURL: e.BaseURL,
		DefaultAccessLevel: rooms.AccessLevel(e.DefaultAccessLevel), AllowPublic: e.AllowPublic,
		// A user made without identity is bound to it at its first sign-in
		// only when sign-in matches users by e-mail; otherwise it would
		// stay an orphan and the person would get a second account.
		AllowUserCreation: e.AllowUserCreation && cfg.OIDC.FallbackToEmail,
	})
}

// tokenSigningKey derives the delegated tokens' key from the instance secret
// key, so that the same secret never signs two kinds of thing (lobby
// cookies, media URLs) and every replica derives the same key.
func tokenSigningKey(secretKey string) []byte {
	return derivedKey(secretKey, "meet external API delegated tokens")
}

// derivedKey is the key of one purpose, derived from the instance secret
// key: HMAC-SHA256(secret, purpose).
func derivedKey(secretKey, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
