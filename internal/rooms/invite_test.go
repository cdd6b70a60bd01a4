package rooms

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"meet/internal/apperr"
)

func TestParseInvitees(t *testing.T) {
	many := make([]string, MaxInvitees+1)
	for i := range many {
		many[i] = "p" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "@example.com"
	}
	cases := []struct {
		name   string
		in     []string
		want   []string
		reason string
	}{
		{"two addresses", []string{"ann@example.com", " bob@example.org "}, []string{"ann@example.com", "bob@example.org"}, ""},
		{"duplicates by case sent once", []string{"Ann@Example.com", "ann@example.com"}, []string{"Ann@Example.com"}, ""},
		{"empty list", nil, nil, "This list may not be empty."},
		{"too many", many, nil, "Ensure this field has no more than 50 elements."},
		{"display name", []string{"Ann <ann@example.com>"}, nil, "Enter a valid email address."},
		{"no domain dot", []string{"ann@localhost"}, nil, "Enter a valid email address."},
		{"not an address", []string{"ann"}, nil, "Enter a valid email address."},
		{"header injection", []string{"ann@example.com\r\nBcc: x@example.com"}, nil, "Enter a valid email address."},
		{"empty string", []string{""}, nil, "Enter a valid email address."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseInvitees(c.in)
			if c.reason == "" {
				if err != nil || !slices.Equal(got, c.want) {
					t.Fatalf("ParseInvitees = %v, %v; want %v", got, err, c.want)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || !slices.Equal(ae.Fields["emails"], []string{c.reason}) {
				t.Fatalf("error %v, want emails: %s", err, c.reason)
			}
		})
	}
}

// failingInviter accepts failAfter invitations, then refuses every other.
type failingInviter struct {
	failAfter int
	sent      []string
}

func (f *failingInviter) SendInvitation(_ context.Context, inv Invitation) error {
	if len(f.sent) >= f.failAfter {
		return errors.New("550 mailbox unavailable")
	}
	f.sent = append(f.sent, inv.To+"|"+inv.RoomName)
	return nil
}

func TestSendInvitationsReportsWhatWasSent(t *testing.T) {
	to := []string{"a@example.com", "b@example.com", "c@example.com"}
	base := Invitation{RoomName: "Weekly", InviterName: "Ann", Link: "http://meet.test/weekly"}

	ok := &failingInviter{failAfter: 10}
	if err := SendInvitations(context.Background(), ok, base, to); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a@example.com|Weekly", "b@example.com|Weekly", "c@example.com|Weekly"}; !slices.Equal(ok.sent, want) {
		t.Fatalf("sent %v, want %v", ok.sent, want)
	}

	half := &failingInviter{failAfter: 1}
	err := SendInvitations(context.Background(), half, base, to)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.BadGateway ||
		ae.Msg != "The mail server stopped accepting the invitations. Sent to: a@example.com. Not sent to: b@example.com, c@example.com." {
		t.Fatalf("half-sent error: %#v", err)
	}
	none := &failingInviter{failAfter: 0}
	err = SendInvitations(context.Background(), none, base, to)
	if !errors.As(err, &ae) || ae.Msg != "The mail server did not accept the invitations; none was sent." {
		t.Fatalf("nothing-sent error: %#v", err)
	}
}
