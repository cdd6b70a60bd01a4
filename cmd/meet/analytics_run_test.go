package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestAnalyticsFlushedAtShutdown runs meet with MEET_ANALYTICS_POSTHOG_* set
// to a PostHog stand-in on loopback: a sign-in's identify event, queued less
// than the flush interval before shutdown, is sent before run returns. With
// a stand-in that never answers, shutdown still ends within the flush
// deadline.
func TestAnalyticsFlushedAtShutdown(t *testing.T) {
	for _, hang := range []bool{false, true} {
		name := map[bool]string{false: "answering", true: "hung"}[hang]
		t.Run(name, func(t *testing.T) {
			bodies := make(chan string, 16)
			release := make(chan struct{})
			capture := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hang {
					select {
					case <-release:
					case <-r.Context().Done():
					}
					return
				}
				b, _ := io.ReadAll(r.Body)
				bodies <- string(b)
			}))
			t.Cleanup(func() { close(release); capture.Close() })

			dir := t.TempDir()
			env := map[string]string{"MEET_DATA_DIR": dir, "MEET_ANALYTICS_POSTHOG_KEY": "phc_run_test", "MEET_ANALYTICS_POSTHOG_HOST": capture.URL}
			var out, errOut bytes.Buffer
			if err := userCommand(context.Background(), []string{"add", "--email", "ada@example.com", "--name", "Ada"},
				func(k string) string { return env[k] }, strings.NewReader("analytical-engine\n"), &out, &errOut); err != nil {
				t.Fatalf("meet user add: %v\n%s", err, errOut.String())
			}
			base, stop := launchMeet(t, env)
			resp, err := http.Post(base+"/api/v1.0/local-login/", "application/json",
				strings.NewReader(`{"email": "ada@example.com", "password": "analytical-engine"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("local-login = %d", resp.StatusCode)
			}
			took := stop()
			if hang {
				// The analytics flush gives up after 5 s; the rest of shutdown is fast.
				if took > 9*time.Second {
					t.Errorf("shutdown took %v with a hung analytics service", took)
				}
				return
			}
			select {
			case b := <-bodies:
				if !strings.Contains(b, `"event":"$identify"`) || !strings.Contains(b, `"api_key":"phc_run_test"`) || strings.Contains(b, "ada@example.com") {
					t.Errorf("batch = %s, want the identify event without the address", b)
				}
			default:
				t.Errorf("run returned (after %v) without sending the queued identify event", took)
			}
		})
	}
}
