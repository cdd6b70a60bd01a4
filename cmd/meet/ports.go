package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"meet/internal/config"
)

// portInUse turns "address already in use" into a message that names the
// setting to change; other errors pass through.
func portInUse(err error, port int, setting string) error {
	if !errors.Is(err, syscall.EADDRINUSE) {
		return err
	}
	return fmt.Errorf("port %d is in use — stop what holds it or set %s: %w", port, setting, err)
}

// listenHTTP opens meet's HTTP listener (MEET_ADDR).
func listenHTTP(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_, p, _ := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		return nil, portInUse(fmt.Errorf("listen %s: %w", addr, err), port, "MEET_ADDR")
	}
	return ln, nil
}

// checkSFUPorts makes sure the ports the in-process SFU is about to open
// are free, so that a clash names its setting instead of surfacing as a
// LiveKit start-up failure. Port 0 means "any free port": nothing to check.
// (The embedded SFU runs no TURN server and no ICE/TCP listener.)
func checkSFUPorts(e config.EmbeddedLiveKit) error {
	bind := e.BindAddress
	if bind == "" {
		bind = "127.0.0.1"
	}
	if e.Port > 0 {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(e.Port)))
		if err != nil {
			return portInUse(fmt.Errorf("in-process SFU signalling (TCP): %w", err), e.Port, "MEET_LIVEKIT_PORT")
		}
		ln.Close()
	}
	if e.UDPPort > 0 {
		// LiveKit's media socket listens on every interface.
		c, err := net.ListenPacket("udp", net.JoinHostPort("", strconv.Itoa(e.UDPPort)))
		if err != nil {
			return portInUse(fmt.Errorf("in-process SFU media (UDP): %w", err), e.UDPPort, "MEET_LIVEKIT_UDP_PORT")
		}
		c.Close()
	}
	return nil
}
