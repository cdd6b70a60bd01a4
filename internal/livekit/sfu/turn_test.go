package sfu

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTURNConfiguration: the TURN section handed to LiveKit binds loopback
// only for a loopback node, lets relays reach the node's own private or
// loopback address and nothing else restricted, and adds TURN over TLS
// (terminated by meet) only with a domain.
func TestTURNConfiguration(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want map[string]any
	}{
		{"loopback node", Options{NodeIP: "127.0.0.1", TURN: TURNOptions{Enabled: true, UDPPort: 3478}},
			map[string]any{"enabled": true, "udp_port": 3478.0, "bind_addresses": []any{"127.0.0.1"}, "allow_restricted_peer_cidrs": []any{"127.0.0.1/32"}}},
		{"private node with TLS", Options{NodeIP: "10.0.0.5", TURN: TURNOptions{Enabled: true, UDPPort: 3478, Domain: "meet.example.org", TCPPort: 41000}},
			map[string]any{"enabled": true, "udp_port": 3478.0, "bind_addresses": []any{"0.0.0.0"}, "allow_restricted_peer_cidrs": []any{"10.0.0.5/32"},
				"domain": "meet.example.org", "tls_port": 41000.0, "external_tls": true}},
		{"public node", Options{NodeIP: "203.0.113.7", TURN: TURNOptions{Enabled: true, UDPPort: 3478}},
			map[string]any{"enabled": true, "udp_port": 3478.0, "bind_addresses": []any{"0.0.0.0"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := json.Marshal(tc.opts.turnYAML())
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("turn section (-want +got):\n%s", d)
			}
		})
	}
}
