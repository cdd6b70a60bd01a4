package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// Config configures the SMTP connection (MEET_SMTP_*).
type Config struct {
	// Addr is host:port of the SMTP server.
	Addr string
	// From is the sender address.
	From string
	// Username and Password enable AUTH PLAIN (only over TLS, or to localhost).
	Username string
	Password string
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
	// InsecureSkipVerify accepts any certificate on STARTTLS (tests, lab setups).
	InsecureSkipVerify bool
}

// Message is one e-mail: a subject with a text and an HTML body.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// ErrConfig marks a failure that retrying cannot fix: the SMTP address is
// not host:port.
var ErrConfig = errors.New("mail: bad SMTP configuration")

// SMTP delivers messages with net/smtp.
type SMTP struct {
	cfg Config
	now func() time.Time
}

// NewSMTP returns a sender; it does not connect.
func NewSMTP(cfg Config) *SMTP {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg, now: time.Now}
}

// Send delivers m. An invalid configuration is reported wrapping ErrConfig.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	return s.deliver(ctx, m.To, s.compose(m))
}

// compose renders the full RFC 5322 message.
func (s *SMTP) compose(m Message) []byte {
	boundary := randomBoundary()
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", s.cfg.From)
	hdr("To", m.To)
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", s.now().UTC().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+boundary+"@meet>")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ct, body string }{
		{"text/plain; charset=utf-8", m.Text},
		{"text/html; charset=utf-8", m.HTML},
	} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.ct)
		qp := quotedprintable.NewWriter(&b)
		_, _ = qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n")))
		_ = qp.Close()
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

func randomBoundary() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// deliver sends msg to one recipient. net/smtp's SendMail takes no context,
// so the connection is dialled here and bounded by ctx and the timeout.
func (s *SMTP) deliver(ctx context.Context, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("%w: address %q: %w", ErrConfig, s.cfg.Addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
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
		if err := c.StartTLS(&tls.Config{ServerName: host, InsecureSkipVerify: s.cfg.InsecureSkipVerify}); err != nil { //nolint:gosec // opt-in for lab setups
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
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
