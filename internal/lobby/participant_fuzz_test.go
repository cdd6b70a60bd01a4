package lobby_test

import (
	"testing"

	"meet/internal/lobby"
	"meet/internal/rooms"
)

// FuzzParticipantID: any lobby cookie value gives a canonical UUID; a value
// that is not a UUID gets a fresh one, and a returned id read back as a
// cookie is kept as is (the round trip a browser makes).
func FuzzParticipantID(f *testing.F) {
	for _, s := range []string{
		"", "123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000", "sub-of-a-user",
		"\x00", "\xff\xfe", "123e4567-e89b-12d3-a456-42661417400\x00", "{123e4567-e89b-12d3-a456-426614174000}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		id, fresh := lobby.ParticipantID(cookie)
		canon, ok := rooms.CanonicalUUID(id)
		if !ok || canon != id {
			t.Fatalf("ParticipantID(%q) = %q, not a canonical UUID", cookie, id)
		}
		if _, isUUID := rooms.CanonicalUUID(cookie); !isUUID && !fresh {
			t.Fatalf("ParticipantID(%q) kept a value that is not a UUID", cookie)
		}
		if again, fresh := lobby.ParticipantID(id); fresh || again != id {
			t.Fatalf("ParticipantID(%q) = %q, %v: the id handed out is not kept", id, again, fresh)
		}
	})
}
