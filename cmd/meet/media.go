package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"

	"meet/internal/config"
	"meet/internal/livekit"
	"meet/internal/livekit/sfu"
)

// media is the LiveKit side of meet: where browsers connect, how the server
// API is reached, and the in-process SFU when there is one.
type media struct {
	apiURL    string // server API (http://…)
	publicURL string // what browsers connect to (ws:// or wss://)
	apiKey    string
	apiSecret string
	embedded  *sfu.Server
	// proxy forwards /rtc (LiveKit signalling) to the in-process SFU so that
	// browsers need only meet's own HTTP port plus the UDP media port.
	proxy http.Handler
	// turnTLSAddr is where meet's HTTPS listener forwards TURN over TLS
	// (the SFU's TURN server), empty when there is none.
	turnTLSAddr string
}

// startMedia connects to the external LiveKit when configured, else starts
// the SFU in-process with webhooks pointed at this server's listener.
func startMedia(ctx context.Context, cfg *config.Config, publicURL *url.URL, listenAddr net.Addr, log *slog.Logger) (*media, error) {
	lk := cfg.LiveKit
	if lk.URL != "" {
		m := &media{apiURL: httpScheme(lk.URL), publicURL: wsScheme(lk.URL), apiKey: lk.APIKey, apiSecret: lk.APISecret}
		if lk.PublicURL != "" {
			m.publicURL = wsScheme(lk.PublicURL)
		}
		log.Info("using external LiveKit", "url", m.apiURL, "public_url", m.publicURL)
		return m, nil
	}
	key, secret, err := livekit.LoadOrCreateSecret(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	port := strconv.Itoa(listenAddr.(*net.TCPAddr).Port)
	e := cfg.LiveKit.Embedded
	if err := checkSFUPorts(e); err != nil {
		return nil, err
	}
	server, err := sfu.Start(ctx, sfu.Options{
		BindAddress: e.BindAddress, Port: e.Port, RTCUDPPort: e.UDPPort,
		NodeIP: e.NodeIP, UseExternalIP: e.UseExternalIP, Interfaces: e.Interfaces,
		APIKey: key, APISecret: secret, DepartureTimeout: e.DepartureTimeout,
		WebhookURLs: []string{"http://127.0.0.1:" + port + "/api/v1.0/rooms/webhooks-livekit/"},
		TURN:        sfu.TURNOptions{Enabled: cfg.TURNEnabled(), UDPPort: e.TURN.UDPPort, Domain: turnTLSDomain(cfg, publicURL)},
	}, log)
	if errors.Is(err, sfu.ErrTURNPort) {
		return nil, fmt.Errorf("MEET_TURN_UDP_PORT: %w (choose another port, or MEET_TURN=off)", err)
	}
	if err != nil {
		return nil, err
	}
	target, _ := url.Parse(server.HTTPURL())
	m := &media{apiURL: server.HTTPURL(), apiKey: key, apiSecret: secret, embedded: server,
		publicURL: wsScheme(publicURL.String()), proxy: httputil.NewSingleHostReverseProxy(target), turnTLSAddr: server.TURNTCPAddr()}
	if lk.PublicURL != "" {
		m.publicURL = wsScheme(lk.PublicURL)
	}
	log.Info("LiveKit runs in-process", "signalling", m.publicURL+"/rtc", "media_udp_port", server.RTCUDPPort(), "turn_udp_port", server.TURNUDPPort(),
		"node_ip", e.NodeIP, "hint", "for other machines set MEET_LIVEKIT_NODE_IP, MEET_LIVEKIT_INTERFACES and open the UDP port")
	return m, nil
}

// adminAPIExposed reports whether clients can reach LiveKit's server API,
// where a token's roomAdmin claim counts: always with an external LiveKit;
// with the embedded SFU only when it binds a non-loopback address (meet
// itself forwards nothing but signalling to it).
func (m *media) adminAPIExposed(cfg *config.Config) bool {
	if m.embedded == nil {
		return true
	}
	bind := cfg.LiveKit.Embedded.BindAddress
	if bind == "" {
		return false // the embedded SFU's default, 127.0.0.1
	}
	ip := net.ParseIP(bind)
	return ip == nil || !ip.IsLoopback()
}

func (m *media) stop() {
	if m.embedded != nil {
		m.embedded.Stop()
	}
}

// wsScheme turns an http(s) URL into the ws(s) URL LiveKit clients expect.
func wsScheme(u string) string {
	u = strings.TrimSuffix(u, "/")
	switch {
	case strings.HasPrefix(u, "https://"):
		return "wss://" + strings.TrimPrefix(u, "https://")
	case strings.HasPrefix(u, "http://"):
		return "ws://" + strings.TrimPrefix(u, "http://")
	}
	return u
}

// httpScheme turns a ws(s) URL into the http(s) URL of LiveKit's server API.
func httpScheme(u string) string {
	u = strings.TrimSuffix(u, "/")
	switch {
	case strings.HasPrefix(u, "wss://"):
		return "https://" + strings.TrimPrefix(u, "wss://")
	case strings.HasPrefix(u, "ws://"):
		return "http://" + strings.TrimPrefix(u, "ws://")
	}
	return u
}
