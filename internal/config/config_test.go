package config

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load("meet serve", nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.LogFormat != "text" {
		t.Errorf("unexpected defaults: addr=%q data=%q db=%q log=%q", c.Addr, c.DataDir, c.DatabaseURL, c.LogFormat)
	}
	if c.Session.TTL != 12*time.Hour || c.LiveKit.TokenTTL != 10*time.Minute || c.Lobby.WaitingTimeout != 3*time.Second {
		t.Errorf("unexpected durations: %v %v %v", c.Session.TTL, c.LiveKit.TokenTTL, c.Lobby.WaitingTimeout)
	}
	if !c.Rooms.AllowUnregistered || c.Rooms.DefaultAccessLevel != "public" || !c.Local.Enabled(c.OIDC) {
		t.Errorf("unexpected room/local defaults: %+v local=%v", c.Rooms, c.Local.Enabled(c.OIDC))
	}
	if got := c.LiveKit.Embedded.Interfaces; len(got) != 1 || got[0] != "lo" {
		t.Errorf("interfaces = %v, want [lo]", got)
	}
	if got := c.LiveKit.Embedded.ICEServers; len(got) != 0 {
		t.Errorf("ICE servers = %v, want none", got)
	}
}

func TestICEServersAreSTUNOnly(t *testing.T) {
	c, err := Load("meet serve", nil, env(map[string]string{"MEET_LIVEKIT_ICE_SERVERS": "stun:stun.example.org:3478, stuns:stun.example.org"}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := c.LiveKit.Embedded.ICEServers; len(got) != 2 || got[0] != "stun:stun.example.org:3478" || got[1] != "stuns:stun.example.org" {
		t.Errorf("ICE servers = %q", got)
	}
	_, err = Load("meet serve", nil, env(map[string]string{"MEET_LIVEKIT_ICE_SERVERS": "turn:turn.example.org"}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `MEET_LIVEKIT_ICE_SERVERS: must be stun: or stuns: URLs, got "turn:turn.example.org"`) {
		t.Errorf("Load = %v, want the TURN URL refused by name", err)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := Load("meet serve", []string{"--addr", "127.0.0.1:9000"}, env(map[string]string{"MEET_ADDR": ":7000", "MEET_LOG_FORMAT": "json"}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Addr != "127.0.0.1:9000" || c.LogFormat != "json" {
		t.Errorf("addr=%q log=%q, want the flag's address and the environment's format", c.Addr, c.LogFormat)
	}
}

func TestValidationReportsEveryProblemByName(t *testing.T) {
	_, err := Load("meet serve", nil, env(map[string]string{
		"MEET_ADDR":                 "nope",
		"MEET_DATABASE_URL":         "mysql://x",
		"MEET_LOG_FORMAT":           "xml",
		"MEET_DEFAULT_ACCESS_LEVEL": "secret",
		"MEET_LIVEKIT_URL":          "wss://lk.example.org",
		"MEET_SESSION_TTL":          "soon",
		"MEET_SECRET_KEY":           "short",
	}), &bytes.Buffer{})
	if err == nil {
		t.Fatal("Load accepted invalid settings")
	}
	// Parse errors are reported first; fix the duration and see the rest together.
	if !strings.Contains(err.Error(), "MEET_SESSION_TTL") {
		t.Errorf("error %q does not name MEET_SESSION_TTL", err)
	}
	_, err = Load("meet serve", nil, env(map[string]string{
		"MEET_ADDR":                 "nope",
		"MEET_DATABASE_URL":         "mysql://x",
		"MEET_LOG_FORMAT":           "xml",
		"MEET_DEFAULT_ACCESS_LEVEL": "secret",
		"MEET_LIVEKIT_URL":          "wss://lk.example.org",
		"MEET_SECRET_KEY":           "short",
	}), &bytes.Buffer{})
	for _, name := range []string{"MEET_ADDR", "MEET_DATABASE_URL", "MEET_LOG_FORMAT", "MEET_DEFAULT_ACCESS_LEVEL", "MEET_LIVEKIT_API_KEY", "MEET_LIVEKIT_API_SECRET", "MEET_SECRET_KEY"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}

func TestHelpListsEverySettingWithItsDefault(t *testing.T) {
	var out bytes.Buffer
	_, err := Load("meet serve", []string{"--help"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), "-"+s.flagName()) || !strings.Contains(out.String(), s.env) {
			t.Errorf("help does not list %s (--%s)", s.env, s.flagName())
		}
	}
	if !strings.Contains(out.String(), `default ":8080"`) {
		t.Errorf("help does not show the listen address default:\n%s", out.String())
	}
}

func TestStringRedactsSecrets(t *testing.T) {
	c, err := Load("meet serve", nil, env(map[string]string{
		"MEET_DATABASE_URL":       "postgres://meet:hunter2@db:5432/meet",
		"MEET_SECRET_KEY":         strings.Repeat("k", 40),
		"MEET_LIVEKIT_URL":        "wss://lk.example.org",
		"MEET_LIVEKIT_API_KEY":    "key",
		"MEET_LIVEKIT_API_SECRET": strings.Repeat("s", 40),
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	s := c.String()
	for _, secret := range []string{"hunter2", strings.Repeat("k", 40), strings.Repeat("s", 40)} {
		if strings.Contains(s, secret) {
			t.Errorf("String() leaks a secret: %s", s)
		}
	}
	if !strings.Contains(s, "MEET_DATABASE_URL=postgres://meet:xxxxx@db:5432/meet") || !strings.Contains(s, "MEET_SECRET_KEY=[redacted]") {
		t.Errorf("String() = %s", s)
	}
}

func TestStringRedactsPasswordsInQueryParameters(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"postgres://meet@db:5432/meet?password=hunter2&sslmode=disable", "MEET_DATABASE_URL=postgres://meet@db:5432/meet?password=xxxxx&sslmode=disable"},
		{"postgres://db/meet?user=meet&sslpassword=hunter2", "MEET_DATABASE_URL=postgres://db/meet?sslpassword=xxxxx&user=meet"},
		{"postgres://meet:hunter2@db/meet?password=hunter2", "MEET_DATABASE_URL=postgres://meet:xxxxx@db/meet?password=xxxxx"},
	} {
		c, err := Load("meet serve", nil, env(map[string]string{"MEET_DATABASE_URL": tc.url}), &bytes.Buffer{})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		s := c.String()
		if strings.Contains(s, "hunter2") || !strings.Contains(s, tc.want+" ") {
			t.Errorf("String() for %s = %s, want %s", tc.url, s, tc.want)
		}
	}
}

func TestS3Settings(t *testing.T) {
	c, err := Load("meet serve", nil, env(map[string]string{
		"MEET_S3_ENDPOINT": "http://127.0.0.1:9000", "MEET_S3_BUCKET": "meet",
		"MEET_S3_ACCESS_KEY_ID": "id", "MEET_S3_SECRET_ACCESS_KEY": "s3-secret-value",
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	s := c.Recorder.S3
	if s.Region != "us-east-1" || s.Prefix != "recordings" || !s.PathStyle || s.Bucket != "meet" {
		t.Errorf("S3 defaults = %+v", s)
	}
	if strings.Contains(c.String(), "s3-secret-value") {
		t.Errorf("String shows the S3 secret key: %s", c.String())
	}
	for _, tc := range []struct{ name, endpoint, bucket, want string }{
		{"bucket required", "http://127.0.0.1:9000", "", "MEET_S3_BUCKET"},
		{"no path", "http://127.0.0.1:9000/meet", "b", "MEET_S3_ENDPOINT"},
		{"scheme", "127.0.0.1:9000", "b", "MEET_S3_ENDPOINT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("meet serve", nil, env(map[string]string{"MEET_S3_ENDPOINT": tc.endpoint, "MEET_S3_BUCKET": tc.bucket}), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestHelpShowsEachDefaultOnce(t *testing.T) {
	var out bytes.Buffer
	WriteHelp(&out, "meet serve")
	if n := strings.Count(out.String(), `":8080"`); n != 1 {
		t.Errorf("the default of MEET_ADDR appears %d times, want once:\n%s", n, out.String())
	}
	if n := strings.Count(out.String(), "MEET_LIVEKIT_UDP_PORT"); n != 1 {
		t.Errorf("MEET_LIVEKIT_UDP_PORT appears %d times, want once", n)
	}
}

func TestChangedListsOnlyNonDefaultSettingsRedacted(t *testing.T) {
	c, err := Load("meet serve", []string{"--log-level", "debug"}, env(map[string]string{
		"MEET_ADDR":         ":8080", // the default, set explicitly: not a change
		"MEET_DATABASE_URL": "postgres://meet:hunter2@db:5432/meet",
		"MEET_SECRET_KEY":   strings.Repeat("k", 40),
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, a := range c.Changed() {
		got = append(got, a.Key+"="+a.Value.String())
	}
	want := []string{
		"MEET_DATABASE_URL=postgres://meet:xxxxx@db:5432/meet",
		"MEET_SECRET_KEY=[redacted]",
		"MEET_LOG_LEVEL=debug",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Changed() = %v, want %v", got, want)
	}
}
