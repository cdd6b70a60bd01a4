package rooms_test

import (
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

func asError(err error, target **apperr.Error) bool { return errors.As(err, target) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// TestCanJoinDirectlyEveryCase covers every access level × signed-in state
// × role: anyone joins a public room, signed-in users a trusted one, and
// users with a role any room; everyone else goes through the lobby.
func TestCanJoinDirectlyEveryCase(t *testing.T) {
	levels := []rooms.AccessLevel{rooms.Public, rooms.Trusted, rooms.Restricted}
	roles := []rooms.Role{rooms.NoRole, rooms.Member, rooms.Administrator, rooms.Owner}
	want := map[rooms.AccessLevel]map[bool]map[rooms.Role]bool{
		rooms.Public: {
			false: {rooms.NoRole: true, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
			true:  {rooms.NoRole: true, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
		},
		rooms.Trusted: {
			false: {rooms.NoRole: false, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
			true:  {rooms.NoRole: true, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
		},
		rooms.Restricted: {
			false: {rooms.NoRole: false, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
			true:  {rooms.NoRole: false, rooms.Member: true, rooms.Administrator: true, rooms.Owner: true},
		},
	}
	n := 0
	for _, level := range levels {
		for _, authenticated := range []bool{false, true} {
			for _, role := range roles {
				n++
				name := fmt.Sprintf("%s/authenticated=%v/role=%q", level, authenticated, role)
				t.Run(name, func(t *testing.T) {
					if got := rooms.CanJoinDirectly(level, authenticated, role); got != want[level][authenticated][role] {
						t.Errorf("CanJoinDirectly = %v, want %v", got, want[level][authenticated][role])
					}
				})
			}
		}
	}
	if n != 24 {
		t.Fatalf("%d cases, want 24", n)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role             rooms.Role
		valid, canManage bool
	}{
		{rooms.NoRole, false, false},
		{rooms.Member, true, false},
		{rooms.Administrator, true, true},
		{rooms.Owner, true, true},
		{"superuser", false, false},
	}
	for _, tt := range tests {
		if tt.role.Valid() != tt.valid || tt.role.CanManage() != tt.canManage {
			t.Errorf("%q: Valid %v CanManage %v, want %v %v", tt.role, tt.role.Valid(), tt.role.CanManage(), tt.valid, tt.canManage)
		}
	}
	order := []rooms.Role{rooms.NoRole, rooms.Member, rooms.Administrator, rooms.Owner}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			if got := a.Higher(b); got != want {
				t.Errorf("%q.Higher(%q) = %q, want %q", a, b, got, want)
			}
		}
	}
	for _, l := range []rooms.AccessLevel{rooms.Public, rooms.Trusted, rooms.Restricted} {
		if !l.Valid() {
			t.Errorf("%q not valid", l)
		}
	}
	for _, l := range []rooms.AccessLevel{"", "private", "PUBLIC"} {
		if l.Valid() {
			t.Errorf("%q valid", l)
		}
	}
}

func TestNewServiceDefaultsToPublic(t *testing.T) {
	s := rooms.NewService(nil, nil, nil, nil, rooms.Options{}, slog.New(slog.DiscardHandler))
	if got := s.Options().DefaultAccessLevel; got != rooms.Public {
		t.Fatalf("default access level %q, want public", got)
	}
}

// TestDenyTTLForCoversEveryToken: a removal outlives both meet's tokens and
// the ones LiveKit refreshes (10 minutes), with LiveKit's clock leeway.
func TestDenyTTLForCoversEveryToken(t *testing.T) {
	for ttl, want := range map[time.Duration]time.Duration{
		time.Minute:      12 * time.Minute,
		10 * time.Minute: 12 * time.Minute,
		30 * time.Minute: 32 * time.Minute,
	} {
		if got := rooms.DenyTTLFor(ttl); got != want {
			t.Errorf("DenyTTLFor(%v) = %v, want %v", ttl, got, want)
		}
	}
}
