package recordings

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"

	"meet/internal/mail"
)

// SMTPConfig configures the SMTP mailer (MEET_SMTP_*).
type SMTPConfig struct {
	mail.Config
	// Brand is the product name in the message (default "Meet").
	Brand string
	// SupportEmail is shown in the footer when set.
	SupportEmail string
}

// SMTPMailer sends notifications over SMTP (internal/mail).
type SMTPMailer struct {
	cfg  SMTPConfig
	smtp *mail.SMTP
}

var _ Mailer = (*SMTPMailer)(nil)

// NewSMTPMailer returns a mailer; it does not connect.
func NewSMTPMailer(cfg SMTPConfig) *SMTPMailer {
	if cfg.Brand == "" {
		cfg.Brand = "Meet"
	}
	return &SMTPMailer{cfg: cfg, smtp: mail.NewSMTP(cfg.Config)}
}

// SendRecordingReady sends the "your recording is ready" message of p in
// the owner's language (French for fr-*, English otherwise) as
// multipart/alternative text and HTML.
func (m *SMTPMailer) SendRecordingReady(ctx context.Context, p EmailPayload) error {
	msg, err := m.compose(p)
	if err != nil {
		return &PermanentError{Err: err}
	}
	if err := m.smtp.Send(ctx, msg); err != nil {
		if errors.Is(err, mail.ErrConfig) {
			return &PermanentError{Err: err}
		}
		return err
	}
	return nil
}

// compose renders the message of p.
func (m *SMTPMailer) compose(p EmailPayload) (mail.Message, error) {
	lang := "en"
	if shortLanguage(p.Language) == "fr" {
		lang = "fr"
	}
	t := mailTemplates[lang]
	at := p.RecordedAt
	if loc, err := time.LoadLocation(p.Timezone); err == nil && p.Timezone != "" {
		at = at.In(loc)
	} else {
		at = at.UTC()
	}
	data := mailData{
		Brand: m.cfg.Brand, Support: m.cfg.SupportEmail, Room: p.RoomName, Link: p.Link,
		Date: at.Format("2006-01-02"), Time: at.Format("15:04"), ExpirationDays: p.ExpirationDays,
	}
	var text, html bytes.Buffer
	if err := t.text.Execute(&text, data); err != nil {
		return mail.Message{}, fmt.Errorf("recordings: render mail: %w", err)
	}
	if err := t.html.Execute(&html, data); err != nil {
		return mail.Message{}, fmt.Errorf("recordings: render mail: %w", err)
	}
	return mail.Message{To: p.To, Subject: t.subject, Text: text.String(), HTML: html.String()}, nil
}

// mailData is what the templates see.
type mailData struct {
	Brand, Support, Room, Link, Date, Time string
	ExpirationDays                         int
}

type mailTemplate struct {
	subject string
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

var mailTemplates = map[string]mailTemplate{
	"en": {
		subject: "Your recording is ready",
		text: texttemplate.Must(texttemplate.New("en").Parse(`Your recording is ready

The recording of the meeting "{{.Room}}" of {{.Date}} at {{.Time}} is ready.

Download it here: {{.Link}}
{{if .ExpirationDays}}
The recording will be deleted after {{.ExpirationDays}} days.
{{end}}{{if .Support}}
Questions? Write to {{.Support}}.
{{end}}
-- {{.Brand}}
`)),
		html: htmltemplate.Must(htmltemplate.New("en").Parse(`<!doctype html>
<html lang="en"><body>
<h1>Your recording is ready</h1>
<p>The recording of the meeting “{{.Room}}” of {{.Date}} at {{.Time}} is ready.</p>
<p><a href="{{.Link}}">Download the recording</a></p>
{{if .ExpirationDays}}<p>The recording will be deleted after {{.ExpirationDays}} days.</p>{{end}}
{{if .Support}}<p>Questions? Write to <a href="mailto:{{.Support}}">{{.Support}}</a>.</p>{{end}}
<p>{{.Brand}}</p>
</body></html>
`)),
	},
	"fr": {
		subject: "Votre enregistrement est prêt",
		text: texttemplate.Must(texttemplate.New("fr").Parse(`Votre enregistrement est prêt

L'enregistrement de la réunion « {{.Room}} » du {{.Date}} à {{.Time}} est prêt.

Téléchargez-le ici : {{.Link}}
{{if .ExpirationDays}}
L'enregistrement sera supprimé après {{.ExpirationDays}} jours.
{{end}}{{if .Support}}
Une question ? Écrivez à {{.Support}}.
{{end}}
-- {{.Brand}}
`)),
		html: htmltemplate.Must(htmltemplate.New("fr").Parse(`<!doctype html>
<html lang="fr"><body>
<h1>Votre enregistrement est prêt</h1>
<p>L'enregistrement de la réunion « {{.Room}} » du {{.Date}} à {{.Time}} est prêt.</p>
<p><a href="{{.Link}}">Télécharger l'enregistrement</a></p>
{{if .ExpirationDays}}<p>L'enregistrement sera supprimé après {{.ExpirationDays}} jours.</p>{{end}}
{{if .Support}}<p>Une question ? Écrivez à <a href="mailto:{{.Support}}">{{.Support}}</a>.</p>{{end}}
<p>{{.Brand}}</p>
</body></html>
`)),
	},
}
