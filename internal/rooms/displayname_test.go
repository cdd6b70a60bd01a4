package rooms_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// tokenSpy records the grants it is asked to sign.
type tokenSpy struct{ grants []rooms.JoinGrant }

func (s *tokenSpy) Issue(g rooms.JoinGrant) (rooms.LiveKitInfo, error) {
	s.grants = append(s.grants, g)
	return rooms.LiveKitInfo{Token: g.Name}, nil
}

// TestJoinCapsDisplayNames checks that no display name longer than 255
// characters reaches a token, and that the cap counts characters, not bytes,
// after trimming.
func TestJoinCapsDisplayNames(t *testing.T) {
	spy := &tokenSpy{}
	svc := rooms.NewService(nil, nil, spy, nil, rooms.Options{AllowUnregistered: true}, nil)
	for _, c := range []struct {
		name, username string
		ok             bool
	}{
		{"255 ASCII", strings.Repeat("a", 255), true},
		{"255 three-byte characters", strings.Repeat("€", 255), true},
		{"255 with spaces around", " \t" + strings.Repeat("a", 255) + " ", true},
		{"256 ASCII", strings.Repeat("a", 256), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			spy.grants = nil
			_, err := svc.Join(context.Background(), nil, "hall", auth.Principal{}, rooms.NoRole, "", c.username, "")
			if c.ok {
				if err != nil || len(spy.grants) != 1 || spy.grants[0].Name != strings.TrimSpace(c.username) {
					t.Fatalf("got %v, %d grants", err, len(spy.grants))
				}
				return
			}
			var ae *apperr.Error
			want := map[string][]string{"username": {"Ensure this field has no more than 255 characters."}}
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || cmp.Diff(want, map[string][]string(ae.Fields)) != "" || len(spy.grants) != 0 {
				t.Fatalf("got %v, %d grants", err, len(spy.grants))
			}
		})
	}
}
