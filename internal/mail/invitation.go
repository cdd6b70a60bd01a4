package mail

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"meet/internal/rooms"
)

// Invitations e-mails meeting invitations, in the inviter's language
// (French for fr-*, English otherwise).
type Invitations struct {
	smtp  *SMTP
	brand string
}

var _ rooms.Inviter = (*Invitations)(nil)

// NewInvitations returns an invitation sender; brand names the product in
// the message ("Meet" when empty).
func NewInvitations(s *SMTP, brand string) *Invitations {
	if brand == "" {
		brand = "Meet"
	}
	return &Invitations{smtp: s, brand: brand}
}

// SendInvitation sends inv as multipart text and HTML.
func (i *Invitations) SendInvitation(ctx context.Context, inv rooms.Invitation) error {
	m, err := i.compose(inv)
	if err != nil {
		return err
	}
	return i.smtp.Send(ctx, m)
}

func (i *Invitations) compose(inv rooms.Invitation) (Message, error) {
	t := invitationTemplates["en"]
	if strings.HasPrefix(strings.ToLower(inv.Language), "fr") {
		t = invitationTemplates["fr"]
	}
	name := inv.InviterName
	if name == "" {
		name = i.brand
	}
	data := struct{ Inviter, Room, Link, Brand string }{name, inv.RoomName, inv.Link, i.brand}
	var subject, text, html bytes.Buffer
	err := t.subject.Execute(&subject, data)
	if err == nil {
		err = t.text.Execute(&text, data)
	}
	if err == nil {
		err = t.html.Execute(&html, data)
	}
	if err != nil {
		return Message{}, fmt.Errorf("mail: render invitation: %w", err)
	}
	return Message{To: inv.To, Subject: subject.String(), Text: text.String(), HTML: html.String()}, nil
}

type invitationTemplate struct {
	subject, text *texttemplate.Template
	html          *htmltemplate.Template
}

var invitationTemplates = map[string]invitationTemplate{
	"en": {
		subject: texttemplate.Must(texttemplate.New("s").Parse(`{{.Inviter}} invites you to a meeting: {{.Room}}`)),
		text: texttemplate.Must(texttemplate.New("t").Parse(`{{.Inviter}} invites you to the meeting "{{.Room}}".

Join it here: {{.Link}}

-- {{.Brand}}
`)),
		html: htmltemplate.Must(htmltemplate.New("h").Parse(`<!doctype html>
<html lang="en"><body>
<p>{{.Inviter}} invites you to the meeting “{{.Room}}”.</p>
<p><a href="{{.Link}}">Join the meeting</a></p>
<p>Or copy this address into your browser: {{.Link}}</p>
<p>{{.Brand}}</p>
</body></html>
`)),
	},
	"fr": {
		subject: texttemplate.Must(texttemplate.New("s").Parse(`{{.Inviter}} vous invite à une réunion : {{.Room}}`)),
		text: texttemplate.Must(texttemplate.New("t").Parse(`{{.Inviter}} vous invite à la réunion « {{.Room}} ».

Rejoignez-la ici : {{.Link}}

-- {{.Brand}}
`)),
		html: htmltemplate.Must(htmltemplate.New("h").Parse(`<!doctype html>
<html lang="fr"><body>
<p>{{.Inviter}} vous invite à la réunion « {{.Room}} ».</p>
<p><a href="{{.Link}}">Rejoindre la réunion</a></p>
<p>Ou copiez cette adresse dans votre navigateur : {{.Link}}</p>
<p>{{.Brand}}</p>
</body></html>
`)),
	},
}
