package config

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestFrameAncestors(t *testing.T) {
	c, err := Load("meet serve", nil, env(nil), &bytes.Buffer{})
	if err != nil || len(c.HTTP.FrameAncestors) != 0 {
		t.Fatalf("default: %v %q, want no frame ancestors", err, c.HTTP.FrameAncestors)
	}
	c, err = Load("meet serve", nil, env(map[string]string{
		"MEET_FRAME_ANCESTORS": "https://App.example.org/, https://*.example.net http://localhost:3000,https://[::1]:8443",
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []string{"https://app.example.org", "https://*.example.net", "http://localhost:3000", "https://[::1]:8443"}
	if !slices.Equal(c.HTTP.FrameAncestors, want) {
		t.Errorf("frame ancestors = %q, want %q", c.HTTP.FrameAncestors, want)
	}
	for _, v := range []string{"app.example.org", "https://app.example.org/embed", "'self'", "*", "ftp://x.org",
		"https://x.org?a=1", "https://x.org;script-src", "https://user@x.org", "javascript:alert(1)"} {
		_, err := Load("meet serve", nil, env(map[string]string{"MEET_FRAME_ANCESTORS": v}), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "MEET_FRAME_ANCESTORS: must be origins such as https://app.example.org") {
			t.Errorf("%q: Load = %v, want it refused by name", v, err)
		}
	}
}
