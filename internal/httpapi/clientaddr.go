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
