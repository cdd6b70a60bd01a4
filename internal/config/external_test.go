package config

import (
	"io"
	"strings"
	"testing"
)

func TestExternalSettings(t *testing.T) {
	env := map[string]string{
		"MEET_APPLICATION_JWT_SECRET_KEY":        "short",
		"MEET_APPLICATION_TOKEN_TTL":             "0s",
		"MEET_EXTERNAL_API_DEFAULT_ACCESS_LEVEL": "open",
		"MEET_APPLICATION_BASE_URL":              "meet.example.org",
		"MEET_APPLICATION_TOKEN_PER_MINUTE":      "-1",
	}
	_, err := Load("meet", nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil {
		t.Fatal("bad external API settings accepted")
	}
	for k := range env {
		if !strings.Contains(err.Error(), k+":") {
			t.Errorf("no problem reported for %s in:\n%v", k, err)
		}
	}
	c, err := Load("meet", nil, func(k string) string {
		return map[string]string{"MEET_APPLICATION_JWT_SECRET_KEY": "a-signing-key-of-at-least-32-characters"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), "a-signing-key-of-at-least-32-characters") {
		t.Error("String() shows the signing key")
	}
}
