package lobby_test

import (
	"testing"

	"meet/internal/lobby"
	"meet/internal/rooms"
)

// FuzzParticipantID: any lobby cookie value gives a canonical UUID; a value
// the server did not sign (a bare UUID, a user's sub, a tampered MAC) gets a
// fresh one, never the id it names; and the cookie handed out for an id is
// read back as that id (the round trip a browser makes).
func FuzzParticipantID(f *testing.F) {
	svc := lobby.NewService(lobby.Deps{Key: []byte("fuzz-instance-key-0123456789abcdef")}, lobby.Options{})
	signed := svc.Cookie("123e4567-e89b-12d3-a456-426614174000")
	for _, s := range []string{
		"", "123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000", "sub-of-a-user",
		"\x00", "\xff\xfe", "123e4567-e89b-12d3-a456-42661417400\x00", "{123e4567-e89b-12d3-a456-426614174000}",
		signed, signed + "x", signed[:len(signed)-1], "123e4567-e89b-12d3-a456-426614174001" + signed[36:],
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		id, fresh := svc.ParticipantID(cookie)
		canon, ok := rooms.CanonicalUUID(id)
		if !ok || canon != id {
			t.Fatalf("ParticipantID(%q) = %q, not a canonical UUID", cookie, id)
		}
		if !fresh && svc.Cookie(id) != cookie {
			t.Fatalf("ParticipantID(%q) kept %q although the cookie is not the one the server signs for it", cookie, id)
		}
		if again, fresh := svc.ParticipantID(svc.Cookie(id)); fresh || again != id {
			t.Fatalf("the cookie of %q reads back as %q (fresh %v)", id, again, fresh)
		}
	})
}
