package recordings

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"meet/internal/apperr"
)

// NotifyConfig configures the notifications of a completed recording.
type NotifyConfig struct {
	// MailEnabled says an SMTP server is configured: screen recordings
	// e-mail their owners.
	MailEnabled bool
	// SummaryEnabled says the summary service is configured (endpoint and
	// token): transcripts, and screen recordings with transcribe, are sent
	// to it.
	SummaryEnabled bool
	// DownloadBaseURL is MEET_RECORDING_DOWNLOAD_BASE_URL: the link sent to
	// owners is <DownloadBaseURL>/<recording id>.
	DownloadBaseURL string
	// APIBaseURL is the public URL of /api/v1.0, used for the signed media
	// URL handed to the summary service.
	APIBaseURL string
	// SigningKey signs media URLs (MEET_SECRET_KEY).
	SigningKey []byte
	// SignedURLTTL is how long the summary service's media URL is valid
	// (default 24 h, as the reference's presigned URL).
	SignedURLTTL time.Duration
	// FormBaseURL is TRANSCRIPTION_SATISFACTION_FORM_BASE_URL (optional).
	FormBaseURL string
	// AutoCreateSummary asks the summary service to summarize too.
	AutoCreateSummary bool
}

// EmailPayload is an outbox e-mail: everything needed to render it later.
type EmailPayload struct {
	To             string    `json:"to"`
	Language       string    `json:"language"`
	Timezone       string    `json:"timezone"`
	RoomName       string    `json:"room_name"`
	Link           string    `json:"link"`
	ExpirationDays int       `json:"expiration_days"`
	RecordedAt     time.Time `json:"recorded_at"`
}

// SummaryPayload is the summary service's v2 request body.
type SummaryPayload struct {
	UserSub          string           `json:"user_sub"`
	UserEmail        string           `json:"user_email"`
	CloudStorageURL  string           `json:"cloud_storage_url"`
	Language         string           `json:"language"`
	ContextLanguage  string           `json:"context_language"`
	PushToDocsConfig PushToDocsConfig `json:"push_to_docs_config"`
	Metadata         *json.RawMessage `json:"metadata"`
}

// PushToDocsConfig is the part of the v2 payload about the Docs document.
type PushToDocsConfig struct {
	UserEmail         string `json:"user_email"`
	Title             string `json:"title"`
	DownloadLink      string `json:"download_link"`
	FormLink          string `json:"form_link,omitempty"`
	AutoCreateSummary bool   `json:"auto_create_summary"`
}

// notSavableMessage is the reference's refusal to complete a recording twice.
func notSavableMessage(id string) string {
	return fmt.Sprintf("Recording with ID %s cannot be saved because it is either, in an error state or has already been saved.", id)
}

// Complete finishes a recording whose file is stored (§5.4): in one
// transaction the status becomes saved and the notifications are written to
// the outbox; once they are all delivered the status becomes
// notification_succeeded (at once when there is nothing to send). A
// recording that is not active or stopped gives apperr.Forbidden.
func (s *Service) Complete(ctx context.Context, id string) (Status, error) {
	r, err := s.store.RecordingByID(ctx, id)
	if err != nil {
		return "", err
	}
	if !r.Status.IsSavable() {
		return "", apperr.New(apperr.Forbidden, notSavableMessage(r.ID))
	}
	msgs, notified, err := s.notifications(ctx, r)
	if err != nil {
		return "", err
	}
	st, err := s.store.SaveRecording(ctx, r.ID, msgs, notified)
	if err != nil {
		return "", err
	}
	s.log.InfoContext(ctx, "recording saved", "recording_id", r.ID, "status", string(st), "notifications", len(msgs))
	return st, nil
}

// notifications builds the outbox messages of a completed recording:
// transcripts go to the summary service; screen recordings e-mail their
// owners and go to the summary service too when a transcript was asked for.
// notified is false when a notification was due but its channel is not
// configured (the status then stays saved, as the reference's failed send).
func (s *Service) notifications(ctx context.Context, r *Recording) ([]Message, bool, error) {
	owners, err := s.store.RecordingOwners(ctx, r.ID)
	if err != nil {
		return nil, false, err
	}
	n := s.cfg.Notify
	notified := true
	var msgs []Message
	add := func(kind MessageKind, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("recordings: encode %s payload: %w", kind, err)
		}
		msgs = append(msgs, Message{RecordingID: r.ID, Kind: kind, Payload: b})
		return nil
	}
	if r.Mode == ScreenRecording {
		if !n.MailEnabled {
			notified = false
		}
		for _, o := range owners {
			if !n.MailEnabled || o.Email == "" {
				continue
			}
			if err := add(MessageEmail, EmailPayload{
				To: o.Email, Language: o.Language, Timezone: o.Timezone, RoomName: r.Room.Name,
				Link: s.DownloadLink(r), ExpirationDays: s.cfg.ExpirationDays, RecordedAt: r.CreatedAt,
			}); err != nil {
				return nil, false, err
			}
		}
	}
	if r.Mode == Transcript || r.Options.Transcribes() {
		switch {
		case !n.SummaryEnabled || len(owners) == 0:
			notified = false
		default:
			if err := add(MessageSummary, s.summaryPayload(r, owners[0])); err != nil {
				return nil, false, err
			}
		}
	}
	return msgs, notified, nil
}

// DownloadLink is the link sent to owners: <DownloadBaseURL>/<id>.
func (s *Service) DownloadLink(r *Recording) string {
	return strings.TrimSuffix(s.cfg.Notify.DownloadBaseURL, "/") + "/" + r.ID
}

// summaryPayload builds the v2 body of the summary-service call.
func (s *Service) summaryPayload(r *Recording, owner Owner) SummaryPayload {
	lang := shortLanguage(owner.Language)
	spoken := lang
	if r.Options.Language != nil && *r.Options.Language != "" {
		spoken = *r.Options.Language
	}
	p := SummaryPayload{
		UserSub: owner.Sub, UserEmail: owner.Email,
		CloudStorageURL: s.SignedMediaURL(r, s.signedTTL()),
		Language:        spoken, ContextLanguage: lang,
		PushToDocsConfig: PushToDocsConfig{
			UserEmail: owner.Email, Title: MeetingTitle(lang, r.Room.Name, r.CreatedAt, owner.Timezone),
			DownloadLink: s.DownloadLink(r), AutoCreateSummary: s.cfg.Notify.AutoCreateSummary,
		},
	}
	return p
}

func (s *Service) signedTTL() time.Duration {
	if s.cfg.Notify.SignedURLTTL > 0 {
		return s.cfg.Notify.SignedURLTTL
	}
	return 24 * time.Hour
}

// shortLanguage turns "fr-fr" into "fr" (default "en").
func shortLanguage(lang string) string {
	code, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if code == "" {
		return "en"
	}
	return code
}

// MeetingTitle is the Docs title of a transcript, localized, with the date
// and time in the owner's time zone: 'Meeting "Sync" on 2026-01-02 at 11:30'
// or 'Réunion "Sync" du 2026-01-02 à 11:30'.
func MeetingTitle(lang, room string, at time.Time, tz string) string {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		at = at.In(loc)
	} else {
		at = at.UTC()
	}
	d, t := at.Format("2006-01-02"), at.Format("15:04")
	if shortLanguage(lang) == "fr" {
		return fmt.Sprintf("Réunion \"%s\" du %s à %s", room, d, t)
	}
	return fmt.Sprintf("Meeting \"%s\" on %s at %s", room, d, t)
}
