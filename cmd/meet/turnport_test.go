package main

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
)

// TestTURNPortInUseNamesTheSetting: a TURN port another program holds
// stops meet at start with the setting to change.
func TestTURNPortInUseNamesTheSetting(t *testing.T) {
	held, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := strconv.Itoa(held.LocalAddr().(*net.UDPAddr).Port)
	vars := map[string]string{
		"MEET_ADDR": "127.0.0.1:0", "MEET_DATA_DIR": t.TempDir(), "MEET_LIVEKIT_PORT": "0", "MEET_LIVEKIT_UDP_PORT": "0",
		"MEET_LOG_LEVEL": "error", "MEET_TURN": "on", "MEET_TURN_UDP_PORT": port,
	}
	err = run(context.Background(), []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "MEET_TURN_UDP_PORT: ") || !strings.Contains(err.Error(), port) {
		t.Errorf("run = %v, want an error naming MEET_TURN_UDP_PORT and port %s", err, port)
	}
}
