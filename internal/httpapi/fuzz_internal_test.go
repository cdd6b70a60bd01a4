package httpapi

// Fuzz targets of the request decoding that handlers share (decodeObject and
// its field readers) and of the sign-in's returnTo check. Run one with
// `go test -run '^$' -fuzz '^FuzzDecodeObject$' ./internal/httpapi/` (or
// `make fuzz`); the seeds in testdata/fuzz run with every `go test`.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"meet/internal/apperr"
)

// FuzzDecodeObject: any body and Content-Type decode to an object or to an
// Invalid/Unsupported error (400/415), never a panic; every field reader
// answers a value or a field error; a decoded object survives a round trip
// through encoding/json.
func FuzzDecodeObject(f *testing.F) {
	f.Add([]byte(`{"name":"Room","access_level":"public","flag":true}`), "application/json")
	f.Add([]byte(`{"name":"\u0000"}`), "application/json; charset=utf-8")
	f.Add([]byte("{\"name\":\"\xff\xfe\"}"), "")
	f.Add([]byte(`{"n":1e999999,"m":-0,"o":123456789012345678901234567890}`), "application/json")
	f.Add([]byte(strings.Repeat("[", 10000)), "application/json")
	f.Add([]byte(`{"a":1,"a":2}`), "text/plain")
	f.Add([]byte("\xef\xbb\xbf{}"), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		obj, err := decodeObject(r)
		if err != nil {
			if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.Unsupported {
				t.Fatalf("decodeObject error of kind %v: %v", k, err)
			}
			return
		}
		if obj == nil {
			t.Fatal("decodeObject returned a nil object without an error")
		}
		if len(body) > 0 && !utf8.Valid(body) {
			t.Fatalf("invalid UTF-8 body %q was accepted", body)
		}
		for field := range obj {
			readers := []func() error{
				func() error { _, _, err := obj.str(field); return err },
				func() error { _, _, err := obj.choice(field, func(s string) bool { return s == "x" }); return err },
				func() error { _, _, err := obj.boolean(field); return err },
			}
			for _, read := range readers {
				if err := read(); err != nil && apperr.KindOf(err) != apperr.Invalid {
					t.Fatalf("field %q: error of kind %v: %v", field, apperr.KindOf(err), err)
				}
			}
		}
		again, err := json.Marshal(obj)
		if err != nil {
			t.Fatalf("decoded object does not encode: %v", err)
		}
		back, err := decodeObject(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(again)))
		if err != nil {
			t.Fatalf("round trip of %s: %v", again, err)
		}
		if len(back) != len(obj) {
			t.Fatalf("round trip kept %d of %d fields", len(back), len(obj))
		}
	})
}

// FuzzCheckReturnTo: whatever returnTo a sign-in link carries, the accepted
// target never leads a browser off the public origin and the allowed hosts,
// even after the browser's own clean-up (tabs and newlines dropped,
// backslashes read as slashes).
func FuzzCheckReturnTo(f *testing.F) {
	for _, s := range []string{
		"", "/", "/rooms/abc-def?x=1#y", "//evil.example/", "/\\evil.example", "https://meet.example/x",
		"https://app.example:8443/", "https://evil.example", "javascript:alert(1)", "http://meet.example/",
		"/\t/evil.example", "https://meet.example@evil.example/", "https:evil.example", "\x00/", "/%2F%2Fevil.example",
		"HTTPS://MEET.EXAMPLE/", "https://app.example.evil.example/", "///evil.example", "https://[::1]/", "\xff",
	} {
		f.Add(s)
	}
	pub, _ := url.Parse("https://meet.example")
	s := &Server{Deps: Deps{PublicURL: pub, ReturnToAllowedHosts: []string{"app.example"}}}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := s.checkReturnTo(raw)
		if err != nil {
			if apperr.KindOf(err) != apperr.Invalid {
				t.Fatalf("checkReturnTo(%q): error of kind %v", raw, apperr.KindOf(err))
			}
			return
		}
		if raw == "" {
			if got != "/" {
				t.Fatalf("empty returnTo gave %q, want /", got)
			}
			return
		}
		if got != raw {
			t.Fatalf("checkReturnTo(%q) rewrote it to %q", raw, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("accepted %q, which does not parse: %v", raw, err)
		}
		dest := pub.ResolveReference(u)
		host := strings.ToLower(dest.Hostname())
		if host != "meet.example" && host != "app.example" {
			t.Fatalf("accepted %q, which leads to host %q", raw, dest.Host)
		}
		if dest.Scheme != "https" {
			t.Fatalf("accepted %q, which leaves https for %q", raw, dest.Scheme)
		}
		if dest.User != nil {
			t.Fatalf("accepted %q, which carries credentials", raw)
		}
	})
}
