package livekit

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSecondEmbeddedServer starts another SFU in the same process (the
// LiveKit server keeps process-wide state) and checks it listens only on
// loopback and frees its ports on Stop.
func TestSecondEmbeddedServer(t *testing.T) {
	start := time.Now()
	e, err := StartEmbedded(context.Background(), EmbeddedOptions{APIKey: key, APISecret: sec}, testLogger())
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(e.Stop)
	t.Logf("second SFU ready in %s: %s, UDP %d", time.Since(start).Round(time.Millisecond), e.WSURL(), e.RTCUDPPort())
	if e.Port() == sfu.Port() || e.RTCUDPPort() == sfu.RTCUDPPort() {
		t.Errorf("second SFU shares a port with the first: %d/%d vs %d/%d", e.Port(), e.RTCUDPPort(), sfu.Port(), sfu.RTCUDPPort())
	}
	if !strings.HasPrefix(e.WSURL(), "ws://127.0.0.1:") || e.RTCTCPPort() != 0 {
		t.Errorf("WSURL = %s, TCP port %d; want loopback and no ICE/TCP", e.WSURL(), e.RTCTCPPort())
	}
	if err := NewClient(ClientOptions{URL: e.HTTPURL(), APIKey: key, APISecret: sec}).Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}

	start = time.Now()
	e.Stop()
	t.Logf("second SFU stopped in %s", time.Since(start).Round(time.Millisecond))
	if l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(e.Port()))); err != nil {
		t.Errorf("HTTP port still taken after Stop: %v", err)
	} else {
		l.Close()
	}
	if c, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(e.RTCUDPPort()))); err != nil {
		t.Errorf("UDP port still taken after Stop: %v", err)
	} else {
		c.Close()
	}
}

func TestEmbeddedOptions(t *testing.T) {
	if _, err := StartEmbedded(context.Background(), EmbeddedOptions{APIKey: "k", APISecret: "short"}, testLogger()); err == nil {
		t.Error("short secret accepted")
	}
	o, err := EmbeddedOptions{APIKey: "k", APISecret: sec, Port: 7880, RTCUDPPort: 7882}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.BindAddress != "127.0.0.1" || o.NodeIP != "127.0.0.1" || len(o.Interfaces) == 0 || o.WebhookAPIKey != "k" {
		t.Errorf("loopback defaults = %+v", o)
	}
	lan, err := EmbeddedOptions{APIKey: "k", APISecret: sec, BindAddress: "0.0.0.0", Port: 7880, RTCUDPPort: 7882, RTCTCPPort: 7881}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if lan.NodeIP != "" || len(lan.Interfaces) != 0 {
		t.Errorf("LAN install got loopback defaults: %+v", lan)
	}
	raw, err := lan.yaml()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"enable_loopback_candidate":false`, `"tcp_port":7881`, `"bind_addresses":["0.0.0.0"]`} {
		if !strings.Contains(raw, want) {
			t.Errorf("LAN config %s lacks %s", raw, want)
		}
	}
}

func TestLoadOrCreateSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, s1, err := LoadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1 == "" || len(s1) < MinSecretLength {
		t.Errorf("key %q, secret of %d bytes", k1, len(s1))
	}
	st, err := os.Stat(filepath.Join(dir, secretFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", st.Mode().Perm())
	}
	k2, s2, err := LoadOrCreateSecret(dir)
	if err != nil || k2 != k1 || s2 != s1 {
		t.Errorf("second load = %q, %q, %v; want the same credentials", k2, s2, err)
	}
	if err := os.WriteFile(filepath.Join(dir, secretFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateSecret(dir); err == nil {
		t.Error("malformed credentials file accepted")
	}
}
