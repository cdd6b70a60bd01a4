package config

import (
	"bytes"
	"testing"
)

func TestTLSSettingsAreCheckedByName(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string // the whole error
	}{
		{"unknown mode", map[string]string{"MEET_TLS": "yes"},
			`MEET_TLS: must be off, acme or file, got "yes"`},
		{"acme without a public URL", map[string]string{"MEET_TLS": "acme"},
			"MEET_PUBLIC_URL: is required with MEET_TLS=acme: it names the host the certificate is for (https://meet.example.org)"},
		{"acme with an http URL", map[string]string{"MEET_TLS": "acme", "MEET_PUBLIC_URL": "http://meet.example.org"},
			`MEET_PUBLIC_URL: must be an https:// URL with MEET_TLS=acme, got "http://meet.example.org"`},
		{"acme for an IP address", map[string]string{"MEET_TLS": "acme", "MEET_PUBLIC_URL": "https://192.0.2.7"},
			`MEET_PUBLIC_URL: must name a public domain with MEET_TLS=acme (ACME CAs certify domain names), got "192.0.2.7"`},
		{"acme with a plain-http directory", map[string]string{"MEET_TLS": "acme", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_ACME_DIRECTORY": "http://ca.example.org/dir"},
			`MEET_ACME_DIRECTORY: must be an https:// URL, got "http://ca.example.org/dir"`},
		{"file without files", map[string]string{"MEET_TLS": "file", "MEET_PUBLIC_URL": "https://meet.example.org"},
			"MEET_TLS_CERT: is required with MEET_TLS=file\nMEET_TLS_KEY: is required with MEET_TLS=file"},
		{"bad addresses", map[string]string{"MEET_TLS": "file", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TLS_CERT": "c", "MEET_TLS_KEY": "k", "MEET_TLS_ADDR": "443", "MEET_TLS_REDIRECT_ADDR": "80"},
			"MEET_TLS_ADDR: must be host:port or :port, got \"443\"\nMEET_TLS_REDIRECT_ADDR: must be host:port, :port or empty, got \"80\""},
		{"TURN mode", map[string]string{"MEET_TURN": "always"},
			`MEET_TURN: must be auto, on or off, got "always"`},
		{"TURN with an external LiveKit", map[string]string{"MEET_TURN": "on", "MEET_LIVEKIT_URL": "wss://lk.example.org", "MEET_LIVEKIT_API_KEY": "k", "MEET_LIVEKIT_API_SECRET": "0123456789abcdef0123456789abcdef"},
			"MEET_TURN: on needs the in-process SFU; an external LiveKit configures its own TURN"},
		{"TURN port", map[string]string{"MEET_TURN_UDP_PORT": "70000"},
			"MEET_TURN_UDP_PORT: must be a port number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("meet serve", nil, env(tc.env), &bytes.Buffer{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("Load = %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestTURNFollowsTLSByDefault(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"MEET_TURN": "on"}, true},
		{map[string]string{"MEET_TLS": "acme", "MEET_PUBLIC_URL": "https://meet.example.org"}, true},
		{map[string]string{"MEET_TLS": "acme", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TURN": "off"}, false},
		{map[string]string{"MEET_TLS": "file", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TLS_CERT": "c", "MEET_TLS_KEY": "k"}, true},
		{map[string]string{"MEET_TLS": "file", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TLS_CERT": "c", "MEET_TLS_KEY": "k",
			"MEET_LIVEKIT_URL": "wss://lk.example.org", "MEET_LIVEKIT_API_KEY": "k", "MEET_LIVEKIT_API_SECRET": "0123456789abcdef0123456789abcdef"}, false},
	}
	for _, tc := range cases {
		c, err := Load("meet serve", nil, env(tc.env), &bytes.Buffer{})
		if err != nil {
			t.Fatalf("Load(%v): %v", tc.env, err)
		}
		if got := c.TURNEnabled(); got != tc.want {
			t.Errorf("TURNEnabled with %v = %v, want %v", tc.env, got, tc.want)
		}
		if c.TLS.ACME.Directory != "https://acme-v02.api.letsencrypt.org/directory" || c.TLS.Addr != ":443" || c.TLS.RedirectAddr != ":80" || c.LiveKit.Embedded.TURN.UDPPort != 3478 {
			t.Errorf("defaults: %+v, TURN UDP port %d", c.TLS, c.LiveKit.Embedded.TURN.UDPPort)
		}
	}
}
