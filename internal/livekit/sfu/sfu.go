package sfu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	lkconfig "github.com/livekit/livekit-server/pkg/config"
	lkrouting "github.com/livekit/livekit-server/pkg/routing"
	lkservice "github.com/livekit/livekit-server/pkg/service"
	lkprometheus "github.com/livekit/livekit-server/pkg/telemetry/prometheus"
	lklogger "github.com/livekit/protocol/logger"
)

// ErrTURNPort reports that the TURN UDP port cannot be bound (another
// program holds it, or it is privileged).
var ErrTURNPort = errors.New("livekit: sfu: TURN UDP port unavailable")

// MinSecretLength is the shortest API secret Start accepts (the same rule
// as livekit.MinSecretLength, which LoadOrCreateSecret follows).
const MinSecretLength = 32

// Options configures the in-process SFU. The zero value (plus an
// API key and secret) is loopback-only: signalling on 127.0.0.1, media on
// the loopback interface, no ICE/TCP listener.
type Options struct {
	// BindAddress is where the HTTP/WebSocket API listens; default 127.0.0.1.
	BindAddress string
	// Port is the HTTP/WebSocket port; 0 picks a free one.
	Port int
	// RTCUDPPort is the single UDP port all media uses; 0 picks a free one.
	RTCUDPPort int
	// RTCTCPPort is the ICE/TCP fallback port; 0 (the default) disables it,
	// because LiveKit binds it on every interface.
	RTCTCPPort int
	// NodeIP is the address advertised in ICE candidates. Default 127.0.0.1
	// when BindAddress is a loopback address; otherwise LiveKit detects it.
	NodeIP string
	// UseExternalIP makes LiveKit discover its public address with STUN
	// (for installs behind 1:1 NAT, such as cloud VMs).
	UseExternalIP bool
	// Interfaces restricts the network interfaces offered as ICE candidates.
	// Default: the loopback interfaces when BindAddress is loopback, else all.
	Interfaces []string
	// APIKey and APISecret are the only credentials the SFU accepts; the
	// secret must be at least MinSecretLength bytes (see livekit.LoadOrCreateSecret).
	APIKey    string
	APISecret string
	// WebhookURLs receive LiveKit's signed webhooks, signed with the secret of
	// WebhookAPIKey (default APIKey).
	WebhookURLs   []string
	WebhookAPIKey string
	// EmptyTimeout closes a room nobody joined after this long (LiveKit's
	// default, 5 min, when zero); DepartureTimeout closes a room this long
	// after its last participant left (LiveKit's default, 20 s, when zero).
	// LiveKit counts both in whole seconds.
	EmptyTimeout     time.Duration
	DepartureTimeout time.Duration
	// StartTimeout bounds how long Start waits for the server to
	// run; default 30 s.
	StartTimeout time.Duration
	// TURN runs LiveKit's TURN server, for clients whose network blocks
	// UDP to RTCUDPPort. LiveKit hands each participant its TURN URLs and
	// short-lived credentials in the join response.
	TURN TURNOptions
}

// TURNOptions configures the SFU's TURN server. It binds 127.0.0.1 when
// NodeIP is a loopback address, else every interface, and relays only to
// public addresses and to NodeIP itself (so it cannot be used to reach the
// rest of a private network).
type TURNOptions struct {
	Enabled bool
	// UDPPort is TURN over UDP; 0 picks a free one.
	UDPPort int
	// Domain, when set, adds TURN over TLS. LiveKit announces it as
	// turns:<Domain>:443 and expects TLS to be terminated in front of it
	// (meet's HTTPS listener), which forwards the decrypted stream to
	// TCPPort.
	Domain string
	// TCPPort is the plain TCP port behind the TLS terminator; 0 picks a
	// free one.
	TCPPort int
}

// Server is a LiveKit server running inside meet's process. It runs
// single-node with in-memory state (no Redis).
type Server struct {
	server   *lkservice.LivekitServer
	opts     Options
	log      *slog.Logger
	done     chan error
	stopOnce sync.Once
}

// prometheusOnce guards lkprometheus.Init. The LiveKit server keeps its
// metric vectors in package globals that must be initialised before the
// first room is created (else it panics on nil vectors) and can only be
// registered once per process. It is a third party's global, so a package
// level sync.Once is the honest way to let tests (or a restart after a
// failed start) start the SFU more than once in one process. The node id
// label of these metrics is therefore the first server's.
//
// loggerOnce does the same for LiveKit's logger, another package global
// that running servers read without synchronisation: the first server's
// logger is used for the life of the process.
var (
	prometheusOnce sync.Once
	prometheusErr  error
	loggerOnce     sync.Once
)

// Start starts a LiveKit server and returns once it accepts
// connections, or fails when it cannot within opts.StartTimeout or ctx ends.
// Stop must be called to free its ports. LiveKit's logger is a process-wide
// global: the first started server's log is used by all.
func Start(ctx context.Context, opts Options, log *slog.Logger) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	raw, err := opts.yaml()
	if err != nil {
		return nil, err
	}
	conf, err := lkconfig.NewConfig(raw, true, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("sfu: config: %w", err)
	}
	if err := conf.ValidateKeys(); err != nil {
		return nil, fmt.Errorf("sfu: keys: %w", err)
	}
	loggerOnce.Do(func() {
		lklogger.SetLogger(slogLogger{log.With("component", "livekit")}, "livekit")
	})

	node, err := lkrouting.NewLocalNode(conf)
	if err != nil {
		return nil, fmt.Errorf("sfu: node: %w", err)
	}
	prometheusOnce.Do(func() {
		prometheusErr = lkprometheus.Init(string(node.NodeID()), node.NodeType())
	})
	if prometheusErr != nil {
		return nil, fmt.Errorf("sfu: metrics: %w", prometheusErr)
	}
	server, err := lkservice.InitializeServer(conf, node)
	if err != nil {
		return nil, fmt.Errorf("sfu: server: %w", err)
	}

	e := &Server{server: server, opts: opts, log: log, done: make(chan error, 1)}
	go func() { e.done <- server.Start() }()

	timer := time.NewTimer(opts.StartTimeout)
	defer timer.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !server.IsRunning() {
		select {
		case err := <-e.done:
			if err == nil {
				err = errors.New("stopped before it was running")
			}
			return nil, fmt.Errorf("sfu: start: %w", err)
		case <-ctx.Done():
			e.abort()
			return nil, fmt.Errorf("sfu: start: %w", ctx.Err())
		case <-timer.C:
			e.abort()
			return nil, fmt.Errorf("sfu: start: not running after %s", opts.StartTimeout)
		case <-tick.C:
		}
	}
	log.Info("embedded livekit started",
		"ws_url", e.WSURL(), "rtc_udp_port", opts.RTCUDPPort, "rtc_tcp_port", opts.RTCTCPPort,
		"node_ip", conf.RTC.NodeIP.PrimaryIP(), "interfaces", opts.Interfaces,
		"turn", opts.TURN.Enabled, "turn_udp_port", opts.TURN.UDPPort, "turn_tcp_port", opts.TURN.TCPPort)
	return e, nil
}

// Stop shuts the server down without waiting for participants to leave
// (a graceful LiveKit stop polls every 5 s until rooms empty) and waits
// until its listeners are closed. It is safe to call more than once.
func (e *Server) Stop() {
	e.stopOnce.Do(func() {
		e.server.Stop(true)
		select {
		case err := <-e.done:
			if err != nil {
				e.log.Warn("embedded livekit stopped with an error", "error", err)
			}
		case <-time.After(10 * time.Second):
			e.log.Warn("embedded livekit did not stop within 10s")
		}
	})
}

// abort stops a server whose start was given up on. LiveKit's Stop is a
// no-op until the server runs, so it waits (briefly) for either the start to
// fail or the server to run, and stops it then.
func (e *Server) abort() {
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-e.done:
			return
		case <-deadline:
			e.log.Warn("embedded livekit: abandoned a server that neither started nor failed")
			return
		case <-tick.C:
			if e.server.IsRunning() {
				e.Stop()
				return
			}
		}
	}
}

// WSURL is the WebSocket URL of the server as seen from this host, e.g.
// ws://127.0.0.1:7880. Browsers elsewhere need the public URL instead.
func (e *Server) WSURL() string { return "ws://" + e.hostPort() }

// HTTPURL is the server API URL of the server as seen from this host.
func (e *Server) HTTPURL() string { return "http://" + e.hostPort() }

// Port is the HTTP/WebSocket port.
func (e *Server) Port() int { return e.opts.Port }

// RTCUDPPort is the UDP port media flows through.
func (e *Server) RTCUDPPort() int { return e.opts.RTCUDPPort }

// RTCTCPPort is the ICE/TCP port, 0 when disabled.
func (e *Server) RTCTCPPort() int { return e.opts.RTCTCPPort }

// TURNUDPPort is the TURN over UDP port, 0 when TURN is off.
func (e *Server) TURNUDPPort() int { return e.opts.TURN.UDPPort }

// TURNTCPAddr is where a TLS terminator forwards TURN over TLS, empty when
// TURN over TLS is off.
func (e *Server) TURNTCPAddr() string {
	if e.opts.TURN.TCPPort == 0 {
		return ""
	}
	return net.JoinHostPort(e.turnHost(), strconv.Itoa(e.opts.TURN.TCPPort))
}

// turnBind is the address the TURN server binds: loopback for a loopback
// node (tests, one machine), else every interface.
func (o Options) turnBind() string {
	if ip := net.ParseIP(o.NodeIP); ip != nil && ip.IsLoopback() {
		return "127.0.0.1"
	}
	return "0.0.0.0"
}

func (e *Server) turnHost() string {
	if b := e.opts.turnBind(); b != "0.0.0.0" {
		return b
	}
	return "127.0.0.1"
}

func (e *Server) hostPort() string {
	host := e.opts.BindAddress
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(e.opts.Port))
}

func (o Options) withDefaults() (Options, error) {
	if o.APIKey == "" || len(o.APISecret) < MinSecretLength {
		return o, fmt.Errorf("sfu: an API key and a secret of at least %d bytes are required", MinSecretLength)
	}
	if o.BindAddress == "" {
		o.BindAddress = "127.0.0.1"
	}
	bindIP := net.ParseIP(o.BindAddress)
	if bindIP == nil {
		return o, fmt.Errorf("sfu: bind address %q is not an IP address", o.BindAddress)
	}
	loopback := bindIP.IsLoopback()
	if o.NodeIP == "" && loopback {
		o.NodeIP = "127.0.0.1"
	}
	if len(o.Interfaces) == 0 && loopback {
		o.Interfaces = loopbackInterfaces()
	}
	if o.WebhookAPIKey == "" {
		o.WebhookAPIKey = o.APIKey
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	var err error
	if o.Port == 0 {
		if o.Port, err = freePort("tcp", o.BindAddress); err != nil {
			return o, err
		}
	}
	if o.RTCUDPPort == 0 {
		udpHost := o.BindAddress
		if loopback {
			udpHost = "127.0.0.1"
		}
		if o.RTCUDPPort, err = freePort("udp", udpHost); err != nil {
			return o, err
		}
	}
	if !o.TURN.Enabled {
		o.TURN = TURNOptions{}
		return o, nil
	}
	if o.TURN.UDPPort == 0 {
		if o.TURN.UDPPort, err = freePort("udp", o.turnBind()); err != nil {
			return o, err
		}
	} else if c, err := net.ListenPacket("udp", net.JoinHostPort(o.turnBind(), strconv.Itoa(o.TURN.UDPPort))); err != nil {
		// Checked here so the caller can tell which port failed; LiveKit's
		// own error does not say it is a setting.
		return o, fmt.Errorf("%w: %w", ErrTURNPort, err)
	} else {
		_ = c.Close()
	}
	if o.TURN.Domain == "" {
		o.TURN.TCPPort = 0
	} else if o.TURN.TCPPort == 0 {
		if o.TURN.TCPPort, err = freePort("tcp", o.turnBind()); err != nil {
			return o, err
		}
	}
	return o, nil
}

// turnYAML is LiveKit's turn section. Relays to restricted addresses
// (loopback, private ranges) are refused by LiveKit unless listed; the only
// one a participant needs is the SFU's own address.
func (o Options) turnYAML() map[string]any {
	turn := map[string]any{
		"enabled":        true,
		"udp_port":       o.TURN.UDPPort,
		"bind_addresses": []string{o.turnBind()},
	}
	if o.TURN.Domain != "" {
		turn["domain"] = o.TURN.Domain
		turn["tls_port"] = o.TURN.TCPPort
		turn["external_tls"] = true
	}
	if ip := net.ParseIP(o.NodeIP); ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast()) {
		bits := 32
		if ip.To4() == nil {
			bits = 128
		}
		turn["allow_restricted_peer_cidrs"] = []string{(&net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}).String()}
	}
	return turn
}

// yaml renders the LiveKit configuration. JSON is valid YAML, so the config
// is built as typed Go values and decoded by LiveKit in strict mode, which
// rejects any key it does not know.
func (o Options) yaml() (string, error) {
	rtc := map[string]any{
		"udp_port":                  strconv.Itoa(o.RTCUDPPort),
		"tcp_port":                  o.RTCTCPPort,
		"use_external_ip":           o.UseExternalIP,
		"enable_loopback_candidate": net.ParseIP(o.BindAddress).IsLoopback(),
	}
	if o.NodeIP != "" {
		rtc["node_ip"] = o.NodeIP
	}
	if len(o.Interfaces) > 0 {
		rtc["interfaces"] = map[string]any{"includes": o.Interfaces}
	}
	room := map[string]any{"auto_create": true}
	if o.EmptyTimeout > 0 {
		room["empty_timeout"] = max(1, int(o.EmptyTimeout.Seconds()))
	}
	if o.DepartureTimeout > 0 {
		room["departure_timeout"] = max(1, int(o.DepartureTimeout.Seconds()))
	}
	conf := map[string]any{
		"port":           o.Port,
		"bind_addresses": []string{o.BindAddress},
		"rtc":            rtc,
		"keys":           map[string]string{o.APIKey: o.APISecret},
		"room":           room,
	}
	if o.TURN.Enabled {
		conf["turn"] = o.turnYAML()
	}
	if len(o.WebhookURLs) > 0 {
		conf["webhook"] = map[string]any{"api_key": o.WebhookAPIKey, "urls": o.WebhookURLs}
	}
	b, err := json.Marshal(conf)
	if err != nil {
		return "", fmt.Errorf("sfu: config: %w", err)
	}
	return string(b), nil
}

// loopbackInterfaces names the host's loopback interfaces ("lo" on Linux,
// "lo0" on macOS).
func loopbackInterfaces() []string {
	ifs, err := net.Interfaces()
	if err != nil {
		return []string{"lo"}
	}
	var out []string
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback != 0 {
			out = append(out, i.Name)
		}
	}
	if len(out) == 0 {
		out = []string{"lo"}
	}
	return out
}

// freePort asks the OS for a free port on host. The port is released before
// LiveKit binds it, so another process could take it in between; on a
// collision Start fails and can be retried.
func freePort(network, host string) (int, error) {
	addr := net.JoinHostPort(host, "0")
	if network == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return 0, fmt.Errorf("sfu: pick a UDP port: %w", err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return 0, fmt.Errorf("sfu: pick a TCP port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
