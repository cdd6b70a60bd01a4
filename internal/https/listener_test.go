package https

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// selfSigned makes a certificate for host and returns it as PEM.
func selfSigned(t *testing.T, host string, serial int64) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func writePair(t *testing.T, dir, host string, serial int64) (certFile, keyFile string) {
	t.Helper()
	c, k := selfSigned(t, host, serial)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, c, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, k, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// turnBackend stands for LiveKit's TURN TCP port: it answers every
// connection with "turn got " and the first 20 bytes it received.
func turnBackend(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 20)
				if _, err := io.ReadFull(c, buf); err == nil {
					fmt.Fprintf(c, "turn got %x", buf)
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// stunBinding is a STUN binding request header (RFC 8489): type, length 0,
// magic cookie, transaction id.
var stunBinding = []byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}

func TestSharedPortTellsHTTPFromTURN(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, "meet.example.org", 1)
	fc, err := LoadFileCertificate(certFile, keyFile, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := NewListener(inner, fc.TLSConfig(), turnBackend(t), slog.New(slog.DiscardHandler))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s tls=%v", r.Proto, r.TLS != nil)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	certPEM, _ := os.ReadFile(certFile)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	addr := inner.Addr().String()
	dial := func(alpn ...string) *tls.Conn {
		t.Helper()
		c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "meet.example.org", NextProtos: alpn})
		if err != nil {
			t.Fatalf("dial with ALPN %v: %v", alpn, err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	t.Run("HTTP/2 and HTTP/1.1 by ALPN", func(t *testing.T) {
		for _, h2 := range []bool{true, false} {
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "meet.example.org"}, ForceAttemptHTTP2: h2}
			if !h2 {
				tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
				tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
			}
			resp, err := (&http.Client{Transport: tr}).Get("https://" + addr + "/")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := "HTTP/1.1 tls=true"
			if h2 {
				want = "HTTP/2.0 tls=true"
			}
			if string(body) != want {
				t.Errorf("h2=%v: body %q, want %q", h2, body, want)
			}
			tr.CloseIdleConnections()
		}
	})
	t.Run("HTTP without ALPN", func(t *testing.T) {
		c := dial()
		fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: meet.example.org\r\nConnection: close\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(body) != "HTTP/1.1 tls=false" {
			t.Errorf("got %d %q", resp.StatusCode, body)
		}
	})
	for name, alpn := range map[string][]string{"TURN without ALPN": nil, "TURN by ALPN stun.turn": {ALPNTURN}} {
		t.Run(name, func(t *testing.T) {
			c := dial(alpn...)
			if _, err := c.Write(stunBinding); err != nil {
				t.Fatal(err)
			}
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			got, err := io.ReadAll(c)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("turn got %x", stunBinding); string(got) != want {
				t.Errorf("TURN server answered %q, want %q", got, want)
			}
		})
	}
}

func TestFileCertificateReloadsAndNamesTheBadFile(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, "meet.example.org", 1)
	fc, err := LoadFileCertificate(certFile, keyFile, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	first, err := fc.getCertificate(nil)
	if err != nil || first.Leaf.SerialNumber.Int64() != 1 {
		t.Fatalf("first certificate: %v %v", first, err)
	}
	// A renewal: new files with a later modification time.
	writePair(t, dir, "meet.example.org", 2)
	later := time.Now().Add(time.Minute)
	for _, f := range []string{certFile, keyFile} {
		if err := os.Chtimes(f, later, later); err != nil {
			t.Fatal(err)
		}
	}
	second, err := fc.getCertificate(nil)
	if err != nil || second.Leaf.SerialNumber.Int64() != 2 {
		t.Fatalf("after renewal: serial %v, err %v", second.Leaf.SerialNumber, err)
	}

	other, _ := writePair(t, t.TempDir(), "other.example.org", 3)
	cases := []struct {
		name, cert, key, which string
		is                     error
	}{
		{"missing certificate", filepath.Join(dir, "none.pem"), keyFile, "certificate", fs.ErrNotExist},
		{"missing key", certFile, filepath.Join(dir, "none.pem"), "key", fs.ErrNotExist},
		{"key of another certificate", other, keyFile, "pair", nil},
	}
	for _, tc := range cases {
		_, err := LoadFileCertificate(tc.cert, tc.key, slog.New(slog.DiscardHandler))
		var fe *FileError
		if !errors.As(err, &fe) || fe.Which != tc.which || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: err %v, want a FileError about the %s", tc.name, err, tc.which)
		}
	}
}

func TestRedirectGoesToThePublicHost(t *testing.T) {
	h := RedirectHandler(&url.URL{Scheme: "https", Host: "meet.example.org"})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		method string
		code   int
	}{{"GET", http.StatusMovedPermanently}, {"HEAD", http.StatusMovedPermanently}, {"POST", http.StatusPermanentRedirect}} {
		req, _ := http.NewRequest(tc.method, "http://"+ln.Addr().String()+"/api/v1.0/rooms/?page=2", nil)
		req.Host = "attacker.example.net"
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != tc.code || loc != "https://meet.example.org/api/v1.0/rooms/?page=2" {
			t.Errorf("%s: %d Location %q", tc.method, resp.StatusCode, loc)
		}
	}
}
