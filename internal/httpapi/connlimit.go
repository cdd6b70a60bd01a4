package httpapi

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// DefaultMaxConnsPerClient is the number of connections one client address
// may hold open at once when none is configured. A browser in a call holds a
// handful (pages, the lobby stream, the /rtc WebSocket); 256 leaves room for
// an office of people behind one NAT address.
const DefaultMaxConnsPerClient = 256

// tooManyConns is what a refused connection receives before it is closed.
const tooManyConns = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 58\r\n\r\n" +
	`{"detail": "Too many open connections from your address."}`

// LimitConnsPerClient wraps ln so that one client address holds at most max
// open connections (IPv6 addresses counted by /64, as the rate limits do);
// further connections from it are answered 429 and closed at once, while
// other addresses are served. max <= 0 disables the limit.
//
// Connections from loopback addresses and from exempt prefixes (the trusted
// reverse proxies) are not counted: every client behind a proxy shares the
// proxy's address, so counting it would limit them all together; limiting
// per client there is the proxy's job, since meet sees the client address
// only in X-Forwarded-For, after accepting the connection.
func LimitConnsPerClient(ln net.Listener, max int, exempt []netip.Prefix, log *slog.Logger) net.Listener {
	if max <= 0 {
		return ln
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &connLimiter{Listener: ln, max: max, exempt: exempt, log: log, open: map[string]int{}}
}

type connLimiter struct {
	net.Listener
	max    int
	exempt []netip.Prefix
	log    *slog.Logger

	mu      sync.Mutex
	open    map[string]int
	refused int // since the last warning
	warned  time.Time
}

// Accept returns the next connection whose address is within its limit.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key, counted := l.key(c.RemoteAddr())
		if !counted {
			return c, nil
		}
		if l.acquire(key) {
			return &limitedConn{Conn: c, release: func() { l.release(key) }}, nil
		}
		// The answer fits in the socket's send buffer: the write does not
		// block the accept loop, and the deadline bounds it if it would.
		_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, _ = c.Write([]byte(tooManyConns))
		_ = c.Close()
	}
}

// key returns the counting key of addr, and false when addr is not counted.
func (l *connLimiter) key(addr net.Addr) (string, bool) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "", false // not an IP connection (a Unix socket): nothing to count by
	}
	a := ap.Addr().Unmap()
	if a.IsLoopback() {
		return "", false
	}
	for _, p := range l.exempt {
		if p.Contains(a) {
			return "", false
		}
	}
	return AddrBucket(a.String()), true
}

func (l *connLimiter) acquire(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.max {
		l.refused++
		if now := time.Now(); now.Sub(l.warned) >= time.Minute {
			l.log.Warn("refused connections over the per-address limit", "client", key, "limit", l.max, "refused", l.refused)
			l.warned, l.refused = now, 0
		}
		return false
	}
	l.open[key]++
	return true
}

func (l *connLimiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
