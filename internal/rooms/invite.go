package rooms

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"meet/internal/apperr"
)

// MaxInvitees bounds the addresses of one invitation request, so one call
// cannot turn meet into a bulk mailer.
const MaxInvitees = 50

// Invitation is a meeting invitation e-mailed to one person.
type Invitation struct {
	To          string
	InviterName string
	// Language is the inviter's language, which the message is written in.
	Language string
	RoomName string
	// Link is the meeting's address.
	Link string
}

// Inviter delivers one invitation. Implemented by internal/mail; any error
// means this invitation was not sent.
type Inviter interface {
	SendInvitation(ctx context.Context, inv Invitation) error
}

// ParseInvitees validates the "emails" field of an invitation request: a
// non-empty list of at most MaxInvitees e-mail addresses (bare addresses, no
// display names). Addresses that differ only by case are invited once.
func ParseInvitees(emails []string) ([]string, error) {
	switch {
	case len(emails) == 0:
		return nil, apperr.Field("emails", "This list may not be empty.")
	case len(emails) > MaxInvitees:
		return nil, apperr.Field("emails", fmt.Sprintf("Ensure this field has no more than %d elements.", MaxInvitees))
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(emails))
	for _, e := range emails {
		e = strings.TrimSpace(e)
		if !ValidEmail(e) {
			return nil, apperr.Field("emails", "Enter a valid email address.")
		}
		if key := strings.ToLower(e); !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// ValidEmail reports whether s is a bare e-mail address whose domain has a
// dot, as Django's EmailValidator accepts for public domains.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// InviteError reports invitations cut short by a delivery failure: who
// received theirs and who did not, so nothing half-sent is reported as sent.
type InviteError struct {
	Sent, NotSent []string
	Err           error
}

// Error describes the interruption.
func (e *InviteError) Error() string {
	return fmt.Sprintf("rooms: invitations: sent to %d, not to %d: %v", len(e.Sent), len(e.NotSent), e.Err)
}

// Unwrap returns the delivery failure.
func (e *InviteError) Unwrap() error { return e.Err }

// SendInvitations sends base to every address in order and stops at the
// first failure, which it returns as an apperr.BadGateway error whose public
// message names who got the invitation and who did not (cause *InviteError).
func SendInvitations(ctx context.Context, inviter Inviter, base Invitation, to []string) error {
	for i, addr := range to {
		inv := base
		inv.To = addr
		if err := inviter.SendInvitation(ctx, inv); err != nil {
			ie := &InviteError{Sent: to[:i], NotSent: to[i:], Err: err}
			msg := "The mail server did not accept the invitations; none was sent."
			if i > 0 {
				msg = "The mail server stopped accepting the invitations. Sent to: " + strings.Join(ie.Sent, ", ") +
					". Not sent to: " + strings.Join(ie.NotSent, ", ") + "."
			}
			return apperr.Wrap(apperr.BadGateway, msg, ie)
		}
	}
	return nil
}
