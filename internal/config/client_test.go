package config

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestClientSettingsDefaults(t *testing.T) {
	c, err := Load("meet serve", nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ct := c.ConnectionTest
	if ct.Enabled || ct.TokenTTL != 5*time.Minute || ct.RoomPrefix != "connection-test" || ct.PerMinute != 30 {
		t.Errorf("connection test defaults = %+v", ct)
	}
	f := c.Frontend
	if f.CustomCSSURL != nil || f.IdleDisconnectWarningDelay != nil || string(f.Analytics) != "{}" ||
		f.MaxParticipantsForSound != 5 || f.AutoMuteOnJoinThreshold != 50 {
		t.Errorf("frontend defaults = %+v", f)
	}
}

func TestClientSettingsRefuseBadValues(t *testing.T) {
	_, err := Load("meet serve", nil, env(map[string]string{
		"MEET_FRONTEND_ANALYTICS":                     `["not", "an", "object"]`,
		"MEET_FRONTEND_FEEDBACK":                      `{"url":`,
		"MEET_FRONTEND_IDLE_DISCONNECT_WARNING_DELAY": "-1",
		"MEET_FRONTEND_MAX_PARTICIPANTS_FOR_SOUND":    "many",
	}), &bytes.Buffer{})
	if err == nil {
		t.Fatal("Load accepted bad front-end settings")
	}
	for _, want := range []string{
		`MEET_FRONTEND_ANALYTICS: must be a JSON object`,
		`MEET_FRONTEND_FEEDBACK: must be a JSON object`,
		`MEET_FRONTEND_IDLE_DISCONNECT_WARNING_DELAY: must be a non-negative integer or empty, got "-1"`,
		`MEET_FRONTEND_MAX_PARTICIPANTS_FOR_SOUND: must be a non-negative integer, got "many"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	_, err = Load("meet serve", nil, env(map[string]string{
		"MEET_CONNECTION_TEST_TOKEN_TTL": "0s", "MEET_CONNECTION_TEST_ROOM_PREFIX": " ",
	}), &bytes.Buffer{})
	for _, want := range []string{"MEET_CONNECTION_TEST_TOKEN_TTL: must be positive", "MEET_CONNECTION_TEST_ROOM_PREFIX: must not be empty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}

func TestClientSettingsInHelp(t *testing.T) {
	var help bytes.Buffer
	_, _ = Load("meet serve", []string{"--help"}, env(nil), &help)
	for _, env := range []string{"MEET_FRONTEND_CUSTOM_CSS_URL", "MEET_FRONTEND_AUTO_MUTE_ON_JOIN_THRESHOLD", "MEET_CONNECTION_TEST_ENABLED", "MEET_LIVEKIT_FORCE_WSS_PROTOCOL"} {
		if !strings.Contains(help.String(), ", "+env+"  default ") {
			t.Errorf("--help does not document %s", env)
		}
	}
}
