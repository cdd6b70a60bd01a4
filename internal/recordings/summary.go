package recordings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SummaryClient calls the summary service's v2 transcribe endpoint
// (SUMMARY_SERVICE_ENDPOINT, e.g. http://summary/api/v2/async-jobs/transcribe/).
type SummaryClient struct {
	endpoint string
	token    string
	http     *http.Client
}

var _ Summarizer = (*SummaryClient)(nil)

// NewSummaryClient returns a client. timeout bounds each call (default 30 s).
func NewSummaryClient(endpoint, token string, timeout time.Duration) *SummaryClient {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &SummaryClient{endpoint: endpoint, token: token, http: &http.Client{Timeout: timeout}}
}

// Submit posts payload with the bearer token and an Idempotency-Key header,
// and returns the job_id of the answer. 4xx answers (but 408 and 429) are
// permanent errors; network errors and 5xx are worth retrying.
func (c *SummaryClient) Submit(ctx context.Context, payload []byte, idempotencyKey string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(payload))
	if err != nil {
		return "", &PermanentError{Err: fmt.Errorf("summary: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Idempotency-Key", idempotencyKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("summary: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		err := fmt.Errorf("summary: status %d: %.200s", resp.StatusCode, body)
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
			return "", &PermanentError{Err: err}
		}
		return "", err
	}
	var out struct {
		JobID json.RawMessage `json:"job_id"`
	}
	var id string
	if err := json.Unmarshal(body, &out); err != nil || json.Unmarshal(out.JobID, &id) != nil || id == "" {
		// The reference crashes on a non-string job_id; we refuse it once.
		return "", &PermanentError{Err: fmt.Errorf("summary: answer without a string job_id: %.200s", body)}
	}
	return id, nil
}
