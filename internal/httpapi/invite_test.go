package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"meet/internal/httpapi"
	meetmail "meet/internal/mail"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// inviteEnv is an API server whose invitations go to an SMTP sink on loopback.
func inviteEnv(t *testing.T, e storagetest.Engine) (*apiEnv, *smtpSink) {
	sink := newSMTPSink(t)
	smtp := meetmail.NewSMTP(meetmail.Config{Addr: sink.ln.Addr().String(), From: "meet@example.com", Timeout: 5 * time.Second})
	env := newAPIEnv(t, e, withDeps(func(d *httpapi.Deps) { d.Inviter = meetmail.NewInvitations(smtp, "Visio") }))
	return env, sink
}

func invitePath(c *cast) string { return "/rooms/" + c.room.ID + "/invite/" }

var invitationsSent = map[string]any{"status": "success", "message": "invitations sent"}

func TestInvitePermissions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env, sink := inviteEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		for _, who := range personas {
			t.Run(who, func(t *testing.T) {
				r := c.clients[who].do(t, http.MethodPost, invitePath(c), map[string]any{"emails": []string{"guest@example.org"}})
				switch who {
				case anonymous:
					expect(t, r, http.StatusUnauthorized, detail(noCredentials))
				case outsider, asMember:
					expect(t, r, http.StatusForbidden, detail(genericForbidden))
				default:
					expect(t, r, http.StatusOK, invitationsSent)
					select {
					case m := <-sink.msgs:
						if m.to != "guest@example.org" {
							t.Fatalf("mail to %q", m.to)
						}
					case <-time.After(5 * time.Second):
						t.Fatal("no invitation received")
					}
				}
			})
		}
		expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+unknownUUIDAccess+"/invite/", map[string]any{"emails": []string{"a@example.org"}}),
			http.StatusNotFound, detail(rooms.NoRoomMessage))
		select {
		case m := <-sink.msgs:
			t.Fatalf("unexpected mail to %s", m.to)
		default:
		}
	})
}

func TestInviteBadBodies(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env, sink := inviteEnv(t, e)
		c := env.newCast(t, rooms.Public, nil)
		for name, tc := range map[string]struct {
			body   any
			reason string
		}{
			"missing":        {`{}`, "This field is required."},
			"empty":          {`{"emails":[]}`, "This list may not be empty."},
			"not a list":     {`{"emails":"a@example.org"}`, "Expected a list of email addresses."},
			"null":           {`{"emails":null}`, "Expected a list of email addresses."},
			"numbers":        {`{"emails":[1]}`, "Expected a list of email addresses."},
			"one invalid":    {`{"emails":["a@example.org","nope"]}`, "Enter a valid email address."},
			"header smuggle": {`{"emails":["a@example.org\r\nBcc: b@example.org"]}`, "Enter a valid email address."},
		} {
			t.Run(name, func(t *testing.T) {
				expect(t, c.clients[asOwner].do(t, http.MethodPost, invitePath(c), tc.body), http.StatusBadRequest,
					map[string][]string{"emails": {tc.reason}})
			})
		}
		select {
		case m := <-sink.msgs:
			t.Fatalf("a refused request sent mail to %s", m.to)
		default:
		}
	})
}

// The message is in the inviter's language, names the inviter and the room,
// and links to the meeting.
func TestInvitationContent(t *testing.T) {
	env, sink := inviteEnv(t, storagetest.SQLite)
	c := env.newCast(t, rooms.Public, nil)
	owner := c.users[asOwner]
	owner.Language = "fr-fr"
	if err := env.db.UpdateUser(context.Background(), owner); err != nil {
		t.Fatal(err)
	}
	expect(t, c.clients[asOwner].do(t, http.MethodPost, invitePath(c),
		map[string]any{"emails": []string{"zoe@example.org", "Zoe@Example.org", "yann@example.net"}}), http.StatusOK, invitationsSent)
	got := map[string]sunkMail{}
	for range 2 {
		select {
		case m := <-sink.msgs:
			got[m.to] = m
		case <-time.After(5 * time.Second):
			t.Fatalf("received %d invitations, want 2 (duplicates by case sent once)", len(got))
		}
	}
	link := testPublic + "/" + c.room.Slug
	for _, to := range []string{"zoe@example.org", "yann@example.net"} {
		m, ok := got[to]
		if !ok {
			t.Fatalf("no invitation to %s: %v", to, got)
		}
		subject, text, html := parseMail(t, m.data)
		name := owner.DisplayName()
		if want := name + " vous invite à une réunion : " + c.room.Name; subject != want || m.from != "meet@example.com" {
			t.Errorf("subject %q from %q, want %q", subject, m.from, want)
		}
		for _, part := range []string{name + " vous invite à la réunion « " + c.room.Name + " ».", "Rejoignez-la ici : " + link, "-- Visio"} {
			if !strings.Contains(text, part) {
				t.Errorf("text lacks %q:\n%s", part, text)
			}
		}
		if !strings.Contains(html, `<a href="`+link+`">Rejoindre la réunion</a>`) {
			t.Errorf("html lacks the link:\n%s", html)
		}
	}
}

// A mail server that refuses one address: the answer says who got the
// invitation and who did not.
func TestInviteMailServerFailure(t *testing.T) {
	env, sink := inviteEnv(t, storagetest.SQLite)
	sink.refuse = "bad@example.org"
	c := env.newCast(t, rooms.Public, nil)
	expect(t, c.clients[asAdmin].do(t, http.MethodPost, invitePath(c),
		map[string]any{"emails": []string{"ok@example.org", "bad@example.org", "later@example.org"}}), http.StatusBadGateway,
		detail("The mail server stopped accepting the invitations. Sent to: ok@example.org. Not sent to: bad@example.org, later@example.org."))
	if m := <-sink.msgs; m.to != "ok@example.org" {
		t.Fatalf("delivered to %s", m.to)
	}
	select {
	case m := <-sink.msgs:
		t.Fatalf("delivered after the failure to %s", m.to)
	default:
	}

	noSMTP := newAPIEnv(t, storagetest.SQLite)
	c2 := noSMTP.newCast(t, rooms.Public, nil)
	expect(t, c2.clients[asOwner].do(t, http.MethodPost, invitePath(c2), map[string]any{"emails": []string{"a@example.org"}}),
		http.StatusServiceUnavailable, detail("E-mail is not configured on this server: invitations cannot be sent."))
}
