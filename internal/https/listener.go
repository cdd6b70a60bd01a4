package https

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
)

// handshakeTimeout bounds a client's TLS handshake and, for a client that
// chose no application protocol, its first byte.
const handshakeTimeout = 10 * time.Second

// Listener is the HTTPS port shared with TURN over TLS. It completes each
// connection's TLS handshake itself and tells the two apart: by ALPN (h2 or
// http/1.1 is HTTP, stun.turn is TURN) or, when the client offered no ALPN,
// by the first byte (a STUN message starts with two zero bits, an HTTP
// request with a letter). TURN connections are forwarded, decrypted, to the
// TURN server at turnAddr; Accept returns only HTTP connections, still
// *tls.Conn when ALPN chose so that net/http serves HTTP/2 and fills
// Request.TLS.
//
// Sharing 443 is what lets TURN over TLS through firewalls that allow only
// HTTPS, and LiveKit always announces TURN over TLS on port 443.
type Listener struct {
	inner    net.Listener
	conf     *tls.Config
	turnAddr string
	log      *slog.Logger

	start sync.Once
	conns chan net.Conn
	done  chan struct{}
	close sync.Once
	mu    sync.Mutex
	err   error
}

// NewListener serves TLS with conf on inner. An empty turnAddr answers
// nothing but HTTP. The accept loop starts with the first Accept.
func NewListener(inner net.Listener, conf *tls.Config, turnAddr string, log *slog.Logger) *Listener {
	return &Listener{inner: inner, conf: conf, turnAddr: turnAddr, log: log,
		conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept returns the next HTTP connection, its handshake done.
func (l *Listener) Accept() (net.Conn, error) {
	l.start.Do(func() { go l.acceptLoop() })
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.err != nil {
			return nil, l.err
		}
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections already handed out or forwarded to
// TURN stay open until their owners close them.
func (l *Listener) Close() error {
	var err error
	l.close.Do(func() {
		close(l.done)
		err = l.inner.Close()
	})
	return err
}

// Addr is the inner listener's address.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

// acceptLoop accepts until the inner listener is closed. Other accept
// errors (out of file descriptors) are waited out with a growing pause, as
// net/http does, rather than closing the HTTPS port.
func (l *Listener) acceptLoop() {
	var pause time.Duration
	for {
		c, err := l.inner.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				l.mu.Lock()
				l.err = err
				l.mu.Unlock()
				_ = l.Close()
				return
			}
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			l.log.Warn("HTTPS accept failed; retrying", "err", err, "pause", pause)
			select {
			case <-time.After(pause):
			case <-l.done:
				return
			}
			continue
		}
		pause = 0
		go l.handle(c)
	}
}

// handle runs one connection's handshake and routes it.
func (l *Listener) handle(raw net.Conn) {
	tc := tls.Server(raw, l.conf)
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		l.log.Debug("TLS handshake failed", "remote", raw.RemoteAddr().String(), "err", err)
		_ = raw.Close()
		return
	}
	switch tc.ConnectionState().NegotiatedProtocol {
	case "h2", "http/1.1":
		l.deliver(tc)
		return
	case ALPNTURN:
		l.forward(tc, tc)
		return
	case acme.ALPNProto:
		// A tls-alpn-01 validation: the handshake was the whole exchange.
		_ = tc.Close()
		return
	}
	_ = tc.SetReadDeadline(time.Now().Add(handshakeTimeout))
	br := bufio.NewReader(tc)
	first, err := br.Peek(1)
	if err != nil {
		_ = tc.Close()
		return
	}
	_ = tc.SetReadDeadline(time.Time{})
	pc := &peekedConn{Conn: tc, r: br}
	if first[0] < 0x40 {
		l.forward(tc, pc)
		return
	}
	l.deliver(pc)
}

func (l *Listener) deliver(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.done:
		_ = c.Close()
	}
}

// forward pipes a TURN client to the TURN server until either side ends.
func (l *Listener) forward(tc *tls.Conn, client net.Conn) {
	if l.turnAddr == "" {
		_ = tc.Close()
		return
	}
	backend, err := net.DialTimeout("tcp", l.turnAddr, 5*time.Second)
	if err != nil {
		l.log.Warn("TURN over TLS: cannot reach the TURN server", "addr", l.turnAddr, "err", err)
		_ = tc.Close()
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(backend, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(tc, backend); done <- struct{}{} }()
	<-done
	_ = tc.Close()
	_ = backend.Close()
	<-done
}

// peekedConn is a connection whose first bytes were read ahead.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
