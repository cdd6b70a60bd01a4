package recordings

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Messages of the hooks.
const (
	EventProcessedMessage      = "Event processed."
	NotificationIgnoredMessage = "Notification ignored."
)

// mediaPath is the path nginx asks about: /media/recordings/<uuid>.<ext>.
var mediaPath = regexp.MustCompile(`^/media/` + OutputFolder + `/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.([A-Za-z0-9]+)$`)

// MediaAuth answers nginx's auth_request for X-Original-URL (§5.7): the
// caller must be able to retrieve the recording and it must be saved.
// With the local-directory store there are no S3 headers to add: the
// answer is a bare 200 and nginx serves the file from the directory.
func (s *Service) MediaAuth(ctx context.Context, p auth.Principal, originalURL string) error {
	if !s.Enabled() {
		return errDisabled
	}
	if !p.Authenticated() {
		return errUnauthenticated
	}
	u, err := url.Parse(originalURL)
	if err != nil || originalURL == "" {
		return errNoPermission
	}
	m := mediaPath.FindStringSubmatch(u.Path)
	if m == nil {
		return errNoPermission
	}
	id, ext := strings.ToLower(m[1]), strings.ToLower(m[2])
	if ext != "ogg" && ext != "mp4" {
		return apperr.New(apperr.Invalid, "Unsupported file extension.")
	}
	r, role, err := s.access(ctx, p, id)
	if err != nil {
		return err
	}
	if r.Mode.Extension() != ext {
		return errNoRecording
	}
	if !AbilitiesOf(role, r.Status).Retrieve || !r.Status.IsSaved() {
		return errNoPermission
	}
	return nil
}

// bearerOK reports whether header is "Bearer <token>" for a non-empty token.
func bearerOK(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// storageEvent is the part of a MinIO/S3 bucket notification the hook reads.
type storageEvent struct {
	Records []struct {
		S3 struct {
			Bucket struct {
				Name string `json:"name"`
			} `json:"bucket"`
			Object struct {
				Key         string `json:"key"`
				ContentType string `json:"contentType"`
			} `json:"object"`
		} `json:"s3"`
	} `json:"Records"`
}

// storageKey matches an (URL-encoded) object key recordings/<uuid>.<ext>,
// possibly below other folders.
var storageKey = regexp.MustCompile(`(?:^|%2F|/)` + OutputFolder + `(?:%2F|/)([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.(ogg|mp4)$`)

// StorageHook handles a bucket notification (§5.5), for deployments whose
// recorders upload to object storage: a new recording file completes its
// recording. It returns the message of the 200 answer.
func (s *Service) StorageHook(ctx context.Context, authorization string, body []byte) (string, error) {
	if !s.Enabled() || !s.cfg.StorageEventEnabled {
		return "", errDisabled
	}
	if !s.cfg.StorageEventNoAuth && !bearerOK(authorization, s.cfg.StorageEventToken) {
		return "", apperr.New(apperr.Unauthenticated, "Invalid authentication token.")
	}
	var ev storageEvent
	if err := json.Unmarshal(body, &ev); err != nil || len(ev.Records) == 0 || ev.Records[0].S3.Object.Key == "" {
		return "", apperr.New(apperr.Forbidden, "Invalid request data.")
	}
	rec := ev.Records[0].S3
	if rec.Bucket.Name != s.cfg.StorageBucket {
		return "", apperr.New(apperr.Forbidden, "Invalid bucket specified.")
	}
	ct := rec.Object.ContentType
	m := storageKey.FindStringSubmatch(rec.Object.Key)
	if (ct != "audio/ogg" && ct != "video/mp4") || m == nil {
		return NotificationIgnoredMessage, nil
	}
	r, err := s.store.RecordingByID(ctx, strings.ToLower(m[1]))
	if err != nil {
		return "", err
	}
	if !r.Status.IsSavable() {
		return "", apperr.New(apperr.Forbidden, notSavableMessage(r.ID))
	}
	if _, err := s.Complete(ctx, r.ID); err != nil {
		return "", err
	}
	return EventProcessedMessage, nil
}

// ExternalProcessHook handles the summary service's callback (§5.6): a
// transcript job that succeeded or failed moves its recording to
// external_process_successful or external_process_failed. Unknown jobs are
// ignored. The bearer token is always required.
func (s *Service) ExternalProcessHook(ctx context.Context, authorization string, body []byte) error {
	if !s.Enabled() {
		return errDisabled
	}
	if !bearerOK(authorization, s.cfg.SummaryWebhookToken) {
		return apperr.New(apperr.Unauthenticated, "Invalid authentication token.")
	}
	var in struct {
		JobID  *string `json:"job_id"`
		Type   string  `json:"type"`
		Status string  `json:"status"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return apperr.New(apperr.Invalid, InvalidRequestMessage)
	}
	if in.JobID == nil || *in.JobID == "" {
		return apperr.Field("job_id", "This field is required.")
	}
	r, err := s.store.RecordingByExternalID(ctx, *in.JobID)
	if apperr.Is(err, apperr.NotFound) {
		s.log.InfoContext(ctx, "summary callback for an unknown job ignored", "job_id", *in.JobID)
		return nil
	}
	if err != nil {
		return err
	}
	if in.Type != "transcript" {
		return nil
	}
	to := Status("")
	switch in.Status {
	case "success":
		to = ExternalProcessSuccessful
	case "failure":
		to = ExternalProcessFailed
	default:
		return nil
	}
	if _, err := s.store.TransitionRecording(ctx, r.ID, nil, to); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "summary callback", "recording_id", r.ID, "status", string(to))
	return nil
}
