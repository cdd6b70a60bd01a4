package sfu

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit"
)

const (
	testKey    = "meet-test"
	testSecret = "0123456789abcdef0123456789abcdef0123456789abcdef"
)

// testLogger logs errors only, unless MEET_TEST_LOG=debug: pion warns about
// every closed connection.
func testLogger() *slog.Logger {
	level := slog.LevelError
	if os.Getenv("MEET_TEST_LOG") == "debug" {
		level = slog.LevelDebug - 4
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// TestTwoServersInOneProcess starts two SFUs in the same process (the
// LiveKit server keeps process-wide state) and checks they listen only on
// loopback, answer the server API, and free their ports on Stop.
func TestTwoServersInOneProcess(t *testing.T) {
	var servers []*Server
	for range 2 {
		start := time.Now()
		e, err := Start(context.Background(), Options{APIKey: testKey, APISecret: testSecret}, testLogger())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		t.Cleanup(e.Stop)
		t.Logf("SFU ready in %s: %s, UDP %d", time.Since(start).Round(time.Millisecond), e.WSURL(), e.RTCUDPPort())
		servers = append(servers, e)
	}
	first, e := servers[0], servers[1]
	if e.Port() == first.Port() || e.RTCUDPPort() == first.RTCUDPPort() {
		t.Errorf("second SFU shares a port with the first: %d/%d vs %d/%d", e.Port(), e.RTCUDPPort(), first.Port(), first.RTCUDPPort())
	}
	for _, s := range servers {
		if !strings.HasPrefix(s.WSURL(), "ws://127.0.0.1:") || s.RTCTCPPort() != 0 {
			t.Errorf("WSURL = %s, TCP port %d; want loopback and no ICE/TCP", s.WSURL(), s.RTCTCPPort())
		}
		if err := livekit.NewClient(livekit.ClientOptions{URL: s.HTTPURL(), APIKey: testKey, APISecret: testSecret}).Ping(context.Background()); err != nil {
			t.Fatalf("Ping %s: %v", s.HTTPURL(), err)
		}
	}

	start := time.Now()
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
	if err := livekit.NewClient(livekit.ClientOptions{URL: first.HTTPURL(), APIKey: testKey, APISecret: testSecret}).Ping(context.Background()); err != nil {
		t.Errorf("first SFU after the second stopped: Ping: %v", err)
	}
}

func TestOptions(t *testing.T) {
	if _, err := Start(context.Background(), Options{APIKey: "k", APISecret: "short"}, testLogger()); err == nil {
		t.Error("short secret accepted")
	}
	o, err := Options{APIKey: "k", APISecret: testSecret, Port: 7880, RTCUDPPort: 7882}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.BindAddress != "127.0.0.1" || o.NodeIP != "127.0.0.1" || len(o.Interfaces) == 0 || o.WebhookAPIKey != "k" {
		t.Errorf("loopback defaults = %+v", o)
	}
	lan, err := Options{APIKey: "k", APISecret: testSecret, BindAddress: "0.0.0.0", Port: 7880, RTCUDPPort: 7882, RTCTCPPort: 7881}.withDefaults()
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

// TestMinSecretLength keeps the two statements of LiveKit's rule equal:
// credentials LoadOrCreateSecret accepts must be accepted by Start.
func TestMinSecretLength(t *testing.T) {
	if MinSecretLength != livekit.MinSecretLength {
		t.Errorf("sfu.MinSecretLength = %d, livekit.MinSecretLength = %d", MinSecretLength, livekit.MinSecretLength)
	}
}
