package httpapi_test

import (
	"bytes"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"meet/internal/httpapi"
)

// fakeConn is a connection from a given address that records what is
// written to it and whether it was closed.
type fakeConn struct {
	net.Conn // nil: methods not overridden must not be called
	remote   net.Addr
	written  bytes.Buffer
	closed   bool
}

func (c *fakeConn) RemoteAddr() net.Addr              { return c.remote }
func (c *fakeConn) Write(p []byte) (int, error)       { return c.written.Write(p) }
func (c *fakeConn) Close() error                      { c.closed = true; return nil }
func (c *fakeConn) SetWriteDeadline(time.Time) error  { return nil }
func (c *fakeConn) String() string                    { return c.remote.String() }
func (c *fakeConn) LocalAddr() net.Addr               { return c.remote }
func (c *fakeConn) SetDeadline(t time.Time) error     { return nil }
func (c *fakeConn) SetReadDeadline(t time.Time) error { return nil }

// fakeListener hands out the queued connections, in order.
type fakeListener struct {
	net.Listener
	queue chan *fakeConn
}

func (l *fakeListener) Accept() (net.Conn, error) { return <-l.queue, nil }

func TestLimitConnsPerClient(t *testing.T) {
	queue := make(chan *fakeConn, 16)
	ln := httpapi.LimitConnsPerClient(&fakeListener{queue: queue}, 2, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, nil)
	from := func(addr string) *fakeConn {
		c := &fakeConn{remote: net.TCPAddrFromAddrPort(netip.MustParseAddrPort(addr))}
		queue <- c
		return c
	}
	accept := func() net.Conn {
		t.Helper()
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	a1, a2 := from("203.0.113.7:1001"), from("203.0.113.7:1002")
	c1, c2 := accept(), accept()
	if c1.RemoteAddr() != a1.remote || c2.RemoteAddr() != a2.remote {
		t.Fatal("the first two connections of an address are not served")
	}
	// The third from the same address is refused; the listener moves on to
	// the next one, from another address, which is served.
	a3, b1 := from("203.0.113.7:1003"), from("198.51.100.9:2001")
	if c := accept(); c.RemoteAddr() != b1.remote {
		t.Fatalf("accepted %v, want the other address's connection", c.RemoteAddr())
	}
	if !a3.closed || !strings.HasPrefix(a3.written.String(), "HTTP/1.1 429 Too Many Requests\r\n") ||
		!strings.HasSuffix(a3.written.String(), `{"detail": "Too many open connections from your address."}`) {
		t.Errorf("refused connection: closed %t, got %q", a3.closed, a3.written.String())
	}

	// IPv6 addresses count by /64.
	from("[2001:db8:1:2::1]:1")
	from("[2001:db8:1:2::2]:1")
	v6 := from("[2001:db8:1:2::3]:1")
	other := from("[2001:db8:1:3::1]:1")
	accept()
	accept()
	if c := accept(); c.RemoteAddr() != other.remote || !v6.closed {
		t.Errorf("third connection of one /64 not refused (accepted %v)", c.RemoteAddr())
	}

	// Closing a connection frees its slot, once however often it is closed.
	c1.Close()
	c1.Close()
	a4 := from("203.0.113.7:1004")
	if c := accept(); c.RemoteAddr() != a4.remote {
		t.Fatalf("accepted %v after a close, want %v", c.RemoteAddr(), a4.remote)
	}
	a5, b2 := from("203.0.113.7:1005"), from("198.51.100.9:2002")
	if c := accept(); c.RemoteAddr() != b2.remote || !a5.closed {
		t.Errorf("a double close gave back two slots")
	}

	// Trusted proxies and loopback are not counted.
	for range 3 {
		from("10.1.2.3:1")
		from("127.0.0.1:1")
	}
	for range 6 {
		accept()
	}
}
