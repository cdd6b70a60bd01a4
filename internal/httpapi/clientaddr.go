package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddrBehind returns how to find a request's client address when meet
// runs behind the given reverse proxies: the connection's address, unless it
// is a trusted proxy, in which case the right-most X-Forwarded-For entry that
// is not itself a trusted proxy. Entries a client wrote to the left of those
// are never believed, so a client cannot pick its own rate-limit bucket.
func ClientAddrBehind(trusted []netip.Prefix) func(r *http.Request) string {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) string {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		addr, err := netip.ParseAddr(host)
		if err != nil || !isTrusted(addr) {
			return host
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			if !isTrusted(hop) {
				return hop.Unmap().String()
			}
		}
		return host
	}
}

// clientBucket is the rate-limit bucket of the request's client address: the
// address itself for IPv4, its /64 for IPv6 (one subscriber holds a whole
// /64, so counting single IPv6 addresses would let one client rotate through
// billions of buckets).
func (s *Server) clientBucket(r *http.Request) string {
	return AddrBucket(s.clientAddr(r))
}

// AddrBucket returns the rate-limit bucket of an address: the IPv4 address,
// or the /64 prefix of an IPv6 address ("2001:db8::/64"). Anything that does
// not parse as an address is returned as is.
func AddrBucket(addr string) string {
	a, err := netip.ParseAddr(strings.Trim(addr, "[]"))
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}
