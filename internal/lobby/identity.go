package lobby

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"meet/internal/rooms"
)

// A guest's participant id is its LiveKit identity, so it must be something
// only the server can hand out: a guest that could choose it could join as
// anyone (LiveKit evicts the older of two participants with one identity).
// The lobby cookie therefore carries the id with a MAC of it under the
// instance's secret key, "<uuid>.<base64url HMAC-SHA256>", and a cookie whose
// MAC does not verify names nobody: its bearer gets a fresh id. The id itself
// stays a bare UUID, as the reference's clients see it in request-entry and
// enter.
//
// Ids come only from crypto/rand (122 random bits, rooms.NewID), never from a
// request, so a guest id cannot be made equal to a user's LiveKit identity (a
// sub): local accounts' subs are server-made random UUIDs too, and an
// identity provider's subs are not chosen by guests. A coincidence is as
// likely as guessing a random UUID, which is why ids are not namespaced: a
// prefix would only break the reference's rule that a guest's identity is
// its lobby id.

// cookieMACLabel separates these MACs from every other use of the instance
// key (recording URLs sign "recording-media\x00…").
const cookieMACLabel = "lobby-participant\x00"

// signer mints and checks lobby cookies.
type signer struct{ key []byte }

// newSigner returns a signer keyed by key; with no key it draws a random one,
// so cookies then verify only on this process until it restarts.
func newSigner(key []byte) signer {
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	return signer{key: key}
}

func (s signer) mac(id string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(cookieMACLabel + id))
	return m.Sum(nil)
}

// cookie returns the cookie value naming id.
func (s signer) cookie(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(s.mac(id))
}

// verify returns the id a cookie names when its MAC verifies. The id must be
// spelled as minted (a canonical UUID), so one id has exactly one cookie.
func (s signer) verify(cookie string) (string, bool) {
	id, sig, ok := strings.Cut(cookie, ".")
	if !ok {
		return "", false
	}
	if canon, isUUID := rooms.CanonicalUUID(id); !isUUID || canon != id {
		return "", false
	}
	// Comparing encodings rather than decoded bytes also refuses the other
	// spellings a base64 decoder tolerates (line breaks, stray padding bits).
	want := base64.RawURLEncoding.EncodeToString(s.mac(id))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return "", false
	}
	return id, true
}

// ParticipantID returns the participant id a lobby cookie names when the
// server minted that cookie, or a new random id when the cookie is missing,
// malformed, forged or tampered with (fresh is then true). The new id is
// never the one the cookie asked for.
func (s *Service) ParticipantID(cookie string) (id string, fresh bool) {
	if id, ok := s.signer.verify(cookie); ok {
		return id, false
	}
	return rooms.NewID(), true
}

// Cookie returns the lobby cookie value that names participant id. Give it
// only ids that ParticipantID returned.
func (s *Service) Cookie(id string) string { return s.signer.cookie(id) }
