package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	meetmail "meet/internal/mail"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// summaryService is a local stand-in for the summary service that refuses
// requests while down.
type summaryService struct {
	srv      *httptest.Server
	down     atomic.Bool
	refused  atomic.Int32
	mu       sync.Mutex
	accepted []summaryRequest
}

type summaryRequest struct {
	auth, idempotency string
	body              map[string]any
}

func newSummaryService(t *testing.T) *summaryService {
	s := &summaryService{}
	s.down.Store(true)
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			s.refused.Add(1)
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		s.mu.Lock()
		s.accepted = append(s.accepted, summaryRequest{r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), body})
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"job_id":"job-42","type":"transcript","status":"pending"}`)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *summaryService) requests() []summaryRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]summaryRequest(nil), s.accepted...)
}

// runNotifier runs n until the returned stop is called.
func runNotifier(t *testing.T, n *recordings.Notifier) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = n.Run(ctx)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return sync.OnceFunc(stop)
}

// TestRecordingSummaryServiceOutage completes a transcript while the
// summary service is down: the outbox retries with backoff, survives a
// notifier restart, delivers exactly once when the service is back, and
// the service's callback then moves the status.
func TestRecordingSummaryServiceOutage(t *testing.T) {
	sum := newSummaryService(t)
	re := newRecEnv(t, storagetest.SQLite, func(c *recordings.Config) { c.Notify.SummaryEnabled = true }, func(c *envConfig) { c.realClock = true })
	c := re.newCast(t, rooms.Public, nil)
	rec := re.startedBy(t, c, recordings.Transcript)
	re.setStatus(t, rec.ID, recordings.Stopped)
	if err := re.files.Put(context.Background(), rec.Key(), writeTemp(t, "transcript audio")); err != nil {
		t.Fatal(err)
	}
	if st, err := re.svc.Complete(context.Background(), rec.ID); err != nil || st != recordings.Saved {
		t.Fatalf("complete: %s, %v", st, err)
	}
	ctx := context.Background()
	newNotifier := func(id string) *recordings.Notifier {
		return recordings.NewNotifier(re.db, nil, recordings.NewSummaryClient(sum.srv.URL, "summary-token", 5*time.Second),
			recordings.NotifierConfig{ID: id, Poll: 10 * time.Millisecond, Backoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxAttempts: 1000}, nil, nil)
	}

	stopFirst := runNotifier(t, newNotifier("first"))
	waitUntil(t, 10*time.Second, "three refused deliveries", func() bool { return sum.refused.Load() >= 3 })
	stopFirst() // the process restarts while the service is down
	if got := re.recording(t, rec.ID); got.Status != recordings.Saved || got.ExternalProcessID != "" {
		t.Fatalf("during the outage: %s %q", got.Status, got.ExternalProcessID)
	}

	sum.down.Store(false)
	runNotifier(t, newNotifier("second"))
	waitUntil(t, 10*time.Second, "the delivery", func() bool { return re.recording(t, rec.ID).ExternalProcessID == "job-42" })
	if n, err := newNotifier("third").DeliverDue(ctx); err != nil || n != 0 {
		t.Fatalf("a further pass tried %d messages (%v), want none", n, err)
	}
	reqs := sum.requests()
	if len(reqs) != 1 {
		t.Fatalf("the service accepted %d requests, want exactly 1", len(reqs))
	}
	entries, err := re.db.OutboxOfRecording(ctx, rec.ID)
	if err != nil || len(entries) != 1 || entries[0].Status != "delivered" || entries[0].Attempts < 4 || reqs[0].idempotency != entries[0].ID {
		t.Fatalf("outbox %+v (%v), request key %q", entries, err, reqs[0].idempotency)
	}
	if got := re.recording(t, rec.ID).Status; got != recordings.NotificationSucceeded {
		t.Fatalf("status after delivery = %s, want notification_succeeded", got)
	}

	// The v2 payload, whose media URL works without a session.
	body := reqs[0].body
	owner := c.users[asOwner]
	media, _ := body["cloud_storage_url"].(string)
	delete(body, "cloud_storage_url")
	want := map[string]any{
		"user_sub": owner.Sub, "user_email": owner.Email, "language": "en", "context_language": "en", "metadata": nil,
		"push_to_docs_config": map[string]any{
			"user_email": owner.Email, "download_link": "http://meet.test/recordings/" + rec.ID, "auto_create_summary": false,
			"title": `Meeting "` + c.room.Name + `" on ` + rec.CreatedAt.UTC().Format("2006-01-02") + " at " + rec.CreatedAt.UTC().Format("15:04"),
		},
	}
	if reqs[0].auth != "Bearer summary-token" {
		t.Errorf("Authorization %q", reqs[0].auth)
	}
	expectJSONEqual(t, want, body)
	r := re.anonymous().do(t, http.MethodGet, strings.TrimPrefix(media, "http://meet.test/api/v1.0"), nil)
	if r.status != http.StatusOK || string(r.body) != "transcript audio" {
		t.Fatalf("media URL %s: %d", media, r.status)
	}

	// The service's callback moves the status.
	req := re.anonymous().request(t, http.MethodPost, "/recordings/external-process-hook/", `{"job_id":"job-42","type":"transcript","status":"success"}`)
	req.Header.Set("Authorization", "Bearer "+recSummaryHookToken)
	expect(t, re.serve(req), http.StatusOK, message("Event processed."))
	if got := re.recording(t, rec.ID).Status; got != recordings.ExternalProcessSuccessful {
		t.Fatalf("status after the callback = %s", got)
	}
}

func expectJSONEqual(t *testing.T, want, got any) {
	t.Helper()
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if string(w) != string(g) {
		t.Fatalf("payload:\n got %s\nwant %s", g, w)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// smtpSink is a small SMTP server on loopback that keeps what it receives.
type smtpSink struct {
	ln   net.Listener
	msgs chan sunkMail
	// refuse is a recipient the sink answers 550 (set before use).
	refuse string
}

type sunkMail struct {
	from, to string
	data     string
}

func newSMTPSink(t *testing.T) *smtpSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln, msgs: make(chan sunkMail, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *smtpSink) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { _, _ = io.WriteString(conn, line+"\r\n") }
	say("220 sink ESMTP")
	var m sunkMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-sink")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m.from, _, _ = strings.Cut(strings.TrimPrefix(strings.TrimSpace(line)[10:], "<"), ">")
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.to, _, _ = strings.Cut(strings.TrimPrefix(strings.TrimSpace(line)[8:], "<"), ">")
			if s.refuse != "" && m.to == s.refuse {
				say("550 mailbox unavailable")
				continue
			}
			say("250 OK")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data = b.String()
			s.msgs <- m
			m = sunkMail{}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

// TestRecordingReadyEmail completes a screen recording with two owners, one
// French-speaking: each gets the message in their language, through a real
// SMTP exchange on loopback, with the download link.
func TestRecordingReadyEmail(t *testing.T) {
	sink := newSMTPSink(t)
	re := newRecEnv(t, storagetest.SQLite, func(c *recordings.Config) {
		c.Notify.MailEnabled = true
		c.ExpirationDays = 30
	}, func(c *envConfig) { c.realClock = true })
	ctx := context.Background()
	c := re.newCast(t, rooms.Public, nil)
	owner := c.users[asOwner]
	owner.Language, owner.Timezone = "fr-fr", "Europe/Paris"
	if err := re.db.UpdateUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	rec := re.startedBy(t, c, recordings.ScreenRecording)
	if err := re.db.CreateRecordingAccess(ctx, rec.ID, c.users[outsider].ID, rooms.Owner); err != nil {
		t.Fatal(err)
	}
	re.setStatus(t, rec.ID, recordings.Active)
	if st, err := re.svc.Complete(ctx, rec.ID); err != nil || st != recordings.Saved {
		t.Fatalf("complete: %s, %v", st, err)
	}
	mailer := recordings.NewSMTPMailer(recordings.SMTPConfig{Config: meetmail.Config{Addr: sink.ln.Addr().String(), From: "meet@example.com"}, Brand: "Visio"})
	n := recordings.NewNotifier(re.db, mailer, nil, recordings.NotifierConfig{}, nil, nil)
	if tried, err := n.DeliverDue(ctx); err != nil || tried != 2 {
		t.Fatalf("delivered %d, %v; want 2", tried, err)
	}
	got := map[string]sunkMail{}
	for range 2 {
		select {
		case m := <-sink.msgs:
			got[m.to] = m
		case <-time.After(5 * time.Second):
			t.Fatal("no mail received")
		}
	}
	link := "http://meet.test/recordings/" + rec.ID
	paris, _ := time.LoadLocation("Europe/Paris")
	for to, want := range map[string]struct{ subject, text, html string }{
		owner.Email: {"Votre enregistrement est prêt",
			"L'enregistrement de la réunion « " + c.room.Name + " » du " + rec.CreatedAt.In(paris).Format("2006-01-02") + " à " + rec.CreatedAt.In(paris).Format("15:04") + " est prêt.",
			`<a href="` + link + `">Télécharger l'enregistrement</a>`},
		c.users[outsider].Email: {"Your recording is ready",
			`The recording of the meeting "` + c.room.Name + `" of ` + rec.CreatedAt.UTC().Format("2006-01-02") + " at " + rec.CreatedAt.UTC().Format("15:04") + " is ready.",
			`<a href="` + link + `">Download the recording</a>`},
	} {
		m, ok := got[to]
		if !ok {
			t.Fatalf("no mail to %s (got %v)", to, got)
		}
		subject, text, html := parseMail(t, m.data)
		if m.from != "meet@example.com" || subject != want.subject {
			t.Errorf("mail to %s: from %q subject %q", to, m.from, subject)
		}
		for _, part := range []string{want.text, link, "30"} {
			if !strings.Contains(text, part) {
				t.Errorf("text to %s lacks %q:\n%s", to, part, text)
			}
		}
		if !strings.Contains(html, want.html) || !strings.Contains(html, "Visio") {
			t.Errorf("html to %s lacks %q:\n%s", to, want.html, html)
		}
	}
	if st := re.recording(t, rec.ID).Status; st != recordings.NotificationSucceeded {
		t.Fatalf("status after the e-mails = %s", st)
	}
}

// parseMail returns the decoded subject and the text and HTML parts.
func parseMail(t *testing.T, data string) (subject, text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return subject, text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = string(b)
		} else {
			text = string(b)
		}
	}
}
