package recordings

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"meet/internal/apperr"
)

// Mailer sends the "your recording is ready" e-mail.
type Mailer interface {
	SendRecordingReady(ctx context.Context, p EmailPayload) error
}

// Summarizer submits a recording to the summary service and returns the
// service's job id. idempotencyKey is the same on every retry of a message.
type Summarizer interface {
	Submit(ctx context.Context, payload []byte, idempotencyKey string) (jobID string, err error)
}

// PermanentError marks a delivery failure that retrying cannot fix (a
// refused request): the message is dead-lettered at once.
type PermanentError struct{ Err error }

// Error returns the cause's message.
func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// NotifierConfig tunes a Notifier; zero fields take the defaults.
type NotifierConfig struct {
	// ID names this notifier in outbox claims (default: random).
	ID string
	// Poll is how often the outbox is looked at (default 1 s).
	Poll time.Duration
	// Lease is how long a claimed message stays with this notifier (default 2 min).
	Lease time.Duration
	// MaxAttempts dead-letters a message after that many failures (default 10).
	MaxAttempts int
	// Backoff is the delay after the first failure, doubled after each
	// next one (default 30 s), up to MaxBackoff (default 1 h).
	Backoff    time.Duration
	MaxBackoff time.Duration
}

// Notifier delivers the outbox: e-mails and summary-service calls, each
// retried with exponential backoff and dead-lettered after MaxAttempts.
// A delivered message is marked in the same transaction that stores the
// summary job id, under the claim, so a message is never delivered by two
// notifiers at once and survives restarts.
type Notifier struct {
	box  Outbox
	mail Mailer
	sum  Summarizer
	cfg  NotifierConfig
	log  *slog.Logger
	now  func() time.Time
}

// NewNotifier returns a notifier. mail or sum may be nil when the channel is
// not configured (its messages then fail). It starts nothing: call Run.
func NewNotifier(box Outbox, mail Mailer, sum Summarizer, cfg NotifierConfig, log *slog.Logger, now func() time.Time) *Notifier {
	if cfg.ID == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		cfg.ID = "notifier-" + hex.EncodeToString(b)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Notifier{box: box, mail: mail, sum: sum, cfg: cfg, log: log, now: now}
}

// Run delivers due messages until ctx ends.
func (n *Notifier) Run(ctx context.Context) error {
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := n.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			n.log.ErrorContext(ctx, "deliver notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// DeliverDue delivers every message that is due now and returns how many
// it tried.
func (n *Notifier) DeliverDue(ctx context.Context) (int, error) {
	tried := 0
	for ctx.Err() == nil {
		m, err := n.box.ClaimMessage(ctx, n.cfg.ID, n.cfg.Lease)
		if apperr.Is(err, apperr.NotFound) {
			return tried, nil
		}
		if err != nil {
			return tried, err
		}
		tried++
		if err := n.deliver(ctx, m); err != nil {
			return tried, err
		}
	}
	return tried, nil
}

// deliver sends one claimed message and records the outcome.
func (n *Notifier) deliver(ctx context.Context, m *Message) error {
	log := n.log.With("message_id", m.ID, "recording_id", m.RecordingID, "kind", string(m.Kind), "attempt", m.Attempts)
	externalID, err := n.send(ctx, m)
	// The outcome is recorded even when ctx ended meanwhile (shutdown):
	// otherwise the claim would hold the message until its lease expires.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err == nil {
		if err := n.box.MarkDelivered(ctx, m.ID, n.cfg.ID, externalID); err != nil {
			return fmt.Errorf("recordings: mark delivered: %w", err)
		}
		log.InfoContext(ctx, "notification delivered")
		return nil
	}
	var perm *PermanentError
	dead := errors.As(err, &perm) || m.Attempts >= n.cfg.MaxAttempts
	retryAt := n.now().Add(n.backoff(m.Attempts))
	if dead {
		log.ErrorContext(ctx, "notification dead-lettered", "err", err)
	} else {
		log.WarnContext(ctx, "notification failed; will retry", "err", err, "retry_at", retryAt)
	}
	if merr := n.box.MarkFailed(ctx, m.ID, n.cfg.ID, err.Error(), retryAt, dead); merr != nil {
		return fmt.Errorf("recordings: mark failed: %w", merr)
	}
	return nil
}

// backoff is Backoff·2^(attempts-1), capped at MaxBackoff.
func (n *Notifier) backoff(attempts int) time.Duration {
	d := n.cfg.Backoff
	for i := 1; i < attempts && d < n.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, n.cfg.MaxBackoff)
}

func (n *Notifier) send(ctx context.Context, m *Message) (string, error) {
	switch m.Kind {
	case MessageEmail:
		if n.mail == nil {
			return "", &PermanentError{Err: errors.New("no SMTP server configured")}
		}
		var p EmailPayload
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			return "", &PermanentError{Err: fmt.Errorf("decode e-mail payload: %w", err)}
		}
		return "", n.mail.SendRecordingReady(ctx, p)
	case MessageSummary:
		if n.sum == nil {
			return "", &PermanentError{Err: errors.New("no summary service configured")}
		}
		return n.sum.Submit(ctx, m.Payload, m.ID)
	}
	return "", &PermanentError{Err: fmt.Errorf("unknown message kind %q", m.Kind)}
}
