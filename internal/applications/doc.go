// Package applications holds the external applications that manage rooms on
// behalf of users through the external API (/external-api/v1.0/): the
// Application with its client id, hashed secret, scopes and allowed e-mail
// domains; the client-credentials exchange that turns an application's
// credentials and a user's e-mail address into a short-lived delegated
// token (HS256 JWT); the verification of those tokens; and the room rules of
// the external API (random names, no public rooms unless allowed, scopes).
//
// Secrets are random 128-character strings, so a single SHA-256 is enough
// to keep them unusable if the table leaks (no password stretching, which
// would also make the token endpoint a CPU sink); they are compared in
// constant time.
//
// It imports only the standard library, apperr, auth, rooms, users and
// golang-jwt (for the tokens). Adapters (storage, httpapi) import it, never
// the reverse.
package applications
