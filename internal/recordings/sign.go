package recordings

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"meet/internal/apperr"
)

// SignedMediaURL returns a URL of the download route that works without a
// session until ttl from now: the local-storage counterpart of the
// reference's presigned S3 URL, handed to the summary service.
func (s *Service) SignedMediaURL(r *Recording, ttl time.Duration) string {
	exp := s.now().Add(ttl).Unix()
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(exp, 10))
	q.Set("signature", s.sign(r.ID, exp))
	return strings.TrimSuffix(s.cfg.Notify.APIBaseURL, "/") + "/recordings/" + r.ID + "/download/?" + q.Encode()
}

func (s *Service) sign(id string, exp int64) string {
	m := hmac.New(sha256.New, s.cfg.Notify.SigningKey)
	m.Write([]byte("recording-media\x00" + id + "\x00" + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// DownloadSigned opens a saved recording's file for the holder of a URL
// made by SignedMediaURL. A wrong or expired signature is 403; no signing
// key configured refuses every signature.
func (s *Service) DownloadSigned(ctx context.Context, id, expires, signature string) (*Recording, File, error) {
	if !s.Enabled() {
		return nil, nil, errDisabled
	}
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || len(s.cfg.Notify.SigningKey) == 0 || s.now().Unix() > exp ||
		!hmac.Equal([]byte(signature), []byte(s.sign(id, exp))) {
		return nil, nil, apperr.New(apperr.Forbidden, "Invalid or expired signature.")
	}
	r, err := s.store.RecordingByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return s.open(ctx, r)
}
