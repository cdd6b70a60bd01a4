// Package oidc signs people in through an OpenID Connect provider: meet is the
// relying party.
//
// It discovers the provider from its issuer URL, builds authorization-code
// requests with PKCE (S256), state and nonce, exchanges codes and verifies ID
// tokens (signature, issuer, audience, expiry, nonce) with go-oidc, reads
// userinfo, builds end-session URLs, and verifies back-channel logout tokens
// (refusing replays by jti). Users turns a verified identity into a meet user
// (match by issuer and subject, optional e-mail fallback, claims mapped to
// names).
//
// Where state, nonce and PKCE verifier are kept between the two legs of the
// flow (the pre-login session) is the HTTP adapter's business, not this
// package's. Every outbound call uses the caller's context plus a timeout.
//
// It is an adapter: it imports users, apperr and auth, never httpapi or
// storage.
package oidc
