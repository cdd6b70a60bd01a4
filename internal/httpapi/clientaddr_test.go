package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddrBehind(t *testing.T) {
	addr := ClientAddrBehind([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")})
	cases := []struct {
		name, remote, xff, want string
	}{
		{"direct client, header ignored", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"behind one proxy", "10.0.0.2:443", "198.51.100.1", "198.51.100.1"},
		{"client-written entries on the left are not believed", "10.0.0.2:443", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "127.0.0.1:80", "198.51.100.1, 10.1.1.1", "198.51.100.1"},
		{"garbage header falls back to the proxy", "10.0.0.2:443", "not-an-ip", "10.0.0.2"},
		{"no header", "10.0.0.2:443", "", "10.0.0.2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			r.RemoteAddr = c.remote
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			if got := addr(r); got != c.want {
				t.Errorf("client address = %q, want %q", got, c.want)
			}
		})
	}
}

func TestAddrBucket(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":              "192.0.2.7",
		"::ffff:192.0.2.7":       "192.0.2.7",
		"2001:db8:1:2:3:4:5:6":   "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":        "2001:db8:1:3::/64",
		"not-an-address":         "not-an-address",
	} {
		if got := AddrBucket(in); got != want {
			t.Errorf("AddrBucket(%q) = %q, want %q", in, got, want)
		}
	}
}
