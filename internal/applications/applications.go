package applications

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"meet/internal/apperr"
)

// Scope is a right an application's tokens carry.
type Scope string

// The scopes of the external API, one per route.
const (
	ScopeRoomsList     Scope = "rooms:list"
	ScopeRoomsCreate   Scope = "rooms:create"
	ScopeRoomsRetrieve Scope = "rooms:retrieve"
)

// Scopes lists every scope an application may be granted, in the order they
// are shown.
var Scopes = []Scope{ScopeRoomsList, ScopeRoomsCreate, ScopeRoomsRetrieve}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// Lengths of generated credentials (APPLICATION_CLIENT_ID_LENGTH and
// APPLICATION_CLIENT_SECRET_LENGTH of the reference).
const (
	ClientIDLength     = 40
	ClientSecretLength = 128
)

// Application is a program allowed to act on behalf of users.
type Application struct {
	ID       string
	Name     string
	ClientID string
	// SecretHash is HashSecret of the client secret; the secret itself is
	// never stored.
	SecretHash string
	Scopes     []Scope
	// Domains are the e-mail domains (lower-case) whose users the
	// application may act for; none means any.
	Domains   []string
	IsActive  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CanDelegate reports whether the application may act for the user with
// this e-mail address: yes when it has no domains, else when the address's
// domain is one of them (compared case-insensitively, subdomains excluded).
func (a *Application) CanDelegate(email string) bool {
	if len(a.Domains) == 0 {
		return true
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	return slices.Contains(a.Domains, strings.ToLower(email[at+1:]))
}

// ScopeString is the application's scopes, space-separated, as tokens carry them.
func (a *Application) ScopeString() string {
	parts := make([]string, len(a.Scopes))
	for i, s := range a.Scopes {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

// Store keeps applications.
//
// ApplicationByClientID returns apperr.NotFound when no application has the
// client id. CreateApplication returns apperr.Conflict when the client id is
// taken. UpdateApplication saves the name, secret hash, scopes, domains and
// active flag, and returns apperr.NotFound for an unknown application.
type Store interface {
	CreateApplication(ctx context.Context, a *Application) error
	UpdateApplication(ctx context.Context, a *Application) error
	ApplicationByClientID(ctx context.Context, clientID string) (*Application, error)
	// ListApplications lists every application, newest first.
	ListApplications(ctx context.Context) ([]Application, error)
}

// alphanumeric is the alphabet of generated client ids and secrets.
const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString returns n characters drawn uniformly from alphabet.
func randomString(n int, alphabet string) string {
	out := make([]byte, n)
	// Rejection sampling keeps every character equally likely.
	limit := byte(256 - 256%len(alphabet))
	buf := make([]byte, 2*n)
	for i := 0; i < n; {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go ≥ 1.24)
		for _, b := range buf {
			if b >= limit {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out)
}

// NewClientSecret returns a new random client secret.
func NewClientSecret() string { return randomString(ClientSecretLength, alphanumeric) }

// newClientID returns a new random client id.
func newClientID() string { return randomString(ClientIDLength, alphanumeric) }

// secretHashPrefix names the hash of a stored secret, so another can follow.
const secretHashPrefix = "sha256$"

// HashSecret returns the stored form of a client secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return secretHashPrefix + hex.EncodeToString(sum[:])
}

// unknownClientHash is compared against when the client id is unknown, so
// that a wrong client id takes as long as a wrong secret.
var unknownClientHash = HashSecret("no application has this client id")

// SecretMatches reports, in constant time, whether secret is the one whose
// hash is stored.
func SecretMatches(secret, storedHash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(storedHash)) == 1
}

// Messages of the application commands.
const (
	noApplicationMessage = "No application has this client id."
	noScopeMessage       = "Give at least one scope."
)

// normalizeDomain returns a domain as stored (trimmed, lower-case) and
// whether it is a plausible DNS name: labels of letters, digits and hyphens,
// not starting or ending with a hyphen, at most 253 characters.
func normalizeDomain(d string) (string, bool) {
	d = strings.ToLower(strings.TrimSpace(d))
	if d == "" || len(d) > 253 {
		return d, false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return d, false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return d, false
			}
		}
	}
	return d, true
}

// parseScopes validates a list of scope names, dropping duplicates.
func parseScopes(names []string) ([]Scope, error) {
	var out []Scope
	for _, n := range names {
		s := Scope(strings.ToLower(strings.TrimSpace(n)))
		if !s.Valid() {
			return nil, apperr.Field("scopes", `"`+n+`" is not a valid choice.`)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, apperr.Field("scopes", noScopeMessage)
	}
	return out, nil
}
