package config

import (
	"bytes"
	"strings"
	"testing"
)

func TestAnalyticsOffByDefault(t *testing.T) {
	c, err := Load("meet serve", nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Analytics.Enabled() || c.Analytics.PostHogHost != "https://eu.i.posthog.com" {
		t.Errorf("analytics = %+v, want off with PostHog Cloud EU as the host", c.Analytics)
	}
}

func TestAnalyticsSettings(t *testing.T) {
	c, err := Load("meet serve", nil, env(map[string]string{
		"MEET_ANALYTICS_POSTHOG_KEY": "phc_secretish", "MEET_ANALYTICS_POSTHOG_HOST": "https://posthog.example.org",
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !c.Analytics.Enabled() || c.Analytics.PostHogKey != "phc_secretish" || c.Analytics.PostHogHost != "https://posthog.example.org" {
		t.Errorf("analytics = %+v", c.Analytics)
	}
	if strings.Contains(c.String(), "phc_secretish") {
		t.Errorf("String() shows the PostHog key: %s", c.String())
	}

	_, err = Load("meet serve", nil, env(map[string]string{
		"MEET_ANALYTICS_POSTHOG_KEY": "phc_x", "MEET_ANALYTICS_POSTHOG_HOST": "posthog.example.org",
	}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `MEET_ANALYTICS_POSTHOG_HOST: must be an http(s) URL, got "posthog.example.org"`) {
		t.Errorf("Load = %v, want the host refused by name", err)
	}
	// Without a key the host is not used, so it is not checked.
	if _, err := Load("meet serve", nil, env(map[string]string{"MEET_ANALYTICS_POSTHOG_HOST": "nonsense"}), &bytes.Buffer{}); err != nil {
		t.Errorf("Load without a key = %v", err)
	}
}
