package recordings

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	texttemplate "text/template"
	"time"
)

// SMTPConfig configures the SMTP mailer (MEET_SMTP_*).
type SMTPConfig struct {
	// Addr is host:port of the SMTP server.
	Addr string
	// From is the sender address.
	From string
	// Username and Password enable AUTH PLAIN (only over TLS, or to localhost).
	Username string
	Password string
	// Brand is the product name in the message (default "Meet").
	Brand string
	// SupportEmail is shown in the footer when set.
	SupportEmail string
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
	// InsecureSkipVerify accepts any certificate on STARTTLS (tests, lab setups).
	InsecureSkipVerify bool
}

// SMTPMailer sends notifications with net/smtp, upgrading to TLS with
// STARTTLS when the server offers it.
type SMTPMailer struct {
	cfg SMTPConfig
}

var _ Mailer = (*SMTPMailer)(nil)

// NewSMTPMailer returns a mailer; it does not connect.
func NewSMTPMailer(cfg SMTPConfig) *SMTPMailer {
	if cfg.Brand == "" {
		cfg.Brand = "Meet"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPMailer{cfg: cfg}
}

// SendRecordingReady sends the "your recording is ready" message of p in
// the owner's language (French for fr-*, English otherwise) as
// multipart/alternative text and HTML.
func (m *SMTPMailer) SendRecordingReady(ctx context.Context, p EmailPayload) error {
	msg, err := m.compose(p)
	if err != nil {
		return &PermanentError{Err: err}
	}
	return m.send(ctx, p.To, msg)
}

// compose renders the full RFC 5322 message.
func (m *SMTPMailer) compose(p EmailPayload) ([]byte, error) {
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
		return nil, fmt.Errorf("recordings: render mail: %w", err)
	}
	if err := t.html.Execute(&html, data); err != nil {
		return nil, fmt.Errorf("recordings: render mail: %w", err)
	}
	boundary := randomBoundary()
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", m.cfg.From)
	hdr("To", p.To)
	hdr("Subject", mime.QEncoding.Encode("utf-8", t.subject))
	hdr("Date", time.Now().UTC().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+boundary+"@meet>")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ct, body string }{
		{"text/plain; charset=utf-8", text.String()},
		{"text/html; charset=utf-8", html.String()},
	} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.ct)
		qp := quotedprintable.NewWriter(&b)
		_, _ = qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n")))
		_ = qp.Close()
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}

func randomBoundary() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// send delivers msg to one recipient. net/smtp's SendMail takes no context,
// so the connection is dialled here and bounded by ctx and the timeout.
func (m *SMTPMailer) send(ctx context.Context, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(m.cfg.Addr)
	if err != nil {
		return &PermanentError{Err: fmt.Errorf("smtp: address %q: %w", m.cfg.Addr, err)}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, InsecureSkipVerify: m.cfg.InsecureSkipVerify}); err != nil { //nolint:gosec // opt-in for lab setups
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if m.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return fmt.Errorf("smtp: mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp: rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	return c.Quit()
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
