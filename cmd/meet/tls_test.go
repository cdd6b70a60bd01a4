package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA writes a CA and a certificate it signed for 127.0.0.1 into dir,
// for the ACME server's own HTTPS. It returns the three PEM file paths.
func testCA(t *testing.T, dir string) (caFile, certFile, keyFile string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "meet test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("cert.pem", "CERTIFICATE", leafDER), write("key.pem", "EC PRIVATE KEY", keyDER)
}

// freeTCPAddr is a loopback address with a port free at the time of asking.
func freeTCPAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startPebble builds and runs Let's Encrypt's test ACME server on loopback,
// issuing without validating (PEBBLE_VA_ALWAYS_VALID) and with every DNS
// lookup sent to a closed loopback port, so nothing leaves the machine. It
// returns the directory URL, the CA file its HTTPS is signed by, and the
// root its certificates chain to.
func startPebble(t *testing.T) (directory, caFile string, issuedRoots *x509.CertPool) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "pebble")
	build := exec.Command("go", "build", "-o", bin, "github.com/letsencrypt/pebble/v2/cmd/pebble")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building pebble (a tool of this module, see go.mod): %v\n%s", err, out)
	}
	caFile, certFile, keyFile := testCA(t, dir)
	listen, mgmt := freeTCPAddr(t), freeTCPAddr(t)
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress": listen, "managementListenAddress": mgmt, "certificate": certFile, "privateKey": keyFile,
		"httpPort": 5002, "tlsPort": 5001, "keyAlgorithm": "ecdsa",
		"profiles": map[string]any{"default": map[string]any{"description": "test", "validityPeriod": 7776000}},
	}}
	raw, _ := json.Marshal(conf)
	confFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(confFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config", confFile, "-dnsserver", "127.0.0.1:1")
	cmd.Env = append(os.Environ(), "PEBBLE_VA_ALWAYS_VALID=1", "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=100")
	logFile, err := os.Create(filepath.Join(dir, "pebble.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			out, _ := os.ReadFile(logFile.Name())
			t.Logf("pebble log:\n%s", out)
		}
	})

	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(caFile)
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	var rootPEM []byte
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get("https://" + mgmt + "/roots/0")
		if err == nil {
			rootPEM, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pebble did not answer on %s: %v", mgmt, err)
		}
		time.Sleep(50 * time.Millisecond) // polling interval, bounded by the deadline above
	}
	issuedRoots = x509.NewCertPool()
	if !issuedRoots.AppendCertsFromPEM(rootPEM) {
		t.Fatalf("pebble's root is not PEM: %q", rootPEM)
	}
	return "https://" + listen + "/dir", caFile, issuedRoots
}

// TestACMECertificateFromALocalCA: with MEET_TLS=acme, meet obtains a
// certificate for its public host from an ACME server (Pebble, on
// loopback), serves HTTPS with it, redirects plain HTTP to https while
// answering ACME http-01 paths itself, and passes TURN over TLS on the same
// port to the SFU's TURN server.
func TestACMECertificateFromALocalCA(t *testing.T) {
	directory, caFile, roots := startPebble(t)
	tlsAddr, redirectAddr := freeTCPAddr(t), freeTCPAddr(t)
	dataDir := t.TempDir()
	ready, _ := runMeet(t, map[string]string{
		"MEET_DATA_DIR": dataDir, "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TLS": "acme",
		"MEET_TLS_ADDR": tlsAddr, "MEET_TLS_REDIRECT_ADDR": redirectAddr,
		"MEET_ACME_DIRECTORY": directory, "MEET_ACME_CA_FILE": caFile, "MEET_ACME_EMAIL": "admin@example.org",
		"MEET_TURN_UDP_PORT": "0",
	})
	if ready != "https://meet.example.org" {
		t.Fatalf("ready on %q", ready)
	}

	// Every connection to meet.example.org goes to meet's loopback ports.
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		switch addr {
		case "meet.example.org:443":
			addr = tlsAddr
		case "meet.example.org:80":
			addr = redirectAddr
		default:
			return nil, fmt.Errorf("test dials only meet, not %s", addr)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{DialContext: dial, ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	start := time.Now()
	resp, err := client.Get("https://meet.example.org/healthz")
	if err != nil {
		t.Fatalf("HTTPS with the ACME certificate: %v", err)
	}
	resp.Body.Close()
	leaf := resp.TLS.PeerCertificates[0]
	if resp.StatusCode != http.StatusOK || resp.Proto != "HTTP/2.0" || len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != "meet.example.org" {
		t.Fatalf("GET /healthz: %d %s, certificate for %v", resp.StatusCode, resp.Proto, leaf.DNSNames)
	}
	t.Logf("HTTPS answered %s after start, certificate valid until %s", time.Since(start).Round(time.Millisecond), leaf.NotAfter.Format(time.RFC3339))
	if _, err := os.Stat(filepath.Join(dataDir, "acme", "meet.example.org")); err != nil {
		t.Errorf("certificate not cached in the data directory: %v", err)
	}

	for _, tc := range []struct {
		path, location string
		code           int
	}{
		{"/rooms/daily-standup?lang=fr", "https://meet.example.org/rooms/daily-standup?lang=fr", http.StatusMovedPermanently},
		{"/.well-known/acme-challenge/no-such-token", "", http.StatusNotFound},
	} {
		resp, err := client.Get("http://meet.example.org" + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code || resp.Header.Get("Location") != tc.location {
			t.Errorf("GET http://…%s: %d Location %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.code, tc.location)
		}
	}

	// TURN over TLS on the HTTPS port: a STUN binding request gets the TURN
	// server's binding success response.
	conn, err := tls.DialWithDialer(dialer, "tcp", tlsAddr, &tls.Config{RootCAs: roots, ServerName: "meet.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := []byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	if _, err := conn.Write(req); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	head := make([]byte, 20)
	if _, err := io.ReadFull(conn, head); err != nil {
		t.Fatalf("no STUN answer over TLS: %v", err)
	}
	if typ := binary.BigEndian.Uint16(head); typ != 0x0101 || string(head[8:20]) != string(req[8:20]) {
		t.Errorf("STUN answer type %#04x transaction %x, want a binding success (0x0101) for %x", typ, head[8:20], req[8:20])
	}
}

// TestTLSFileErrorsNameTheSetting: a missing or mismatched certificate file
// stops meet at start with the setting to fix.
func TestTLSFileErrorsNameTheSetting(t *testing.T) {
	dir := t.TempDir()
	_, certFile, keyFile := testCA(t, dir)
	otherCA, _, _ := testCA(t, t.TempDir())
	cases := []struct{ cert, key, want string }{
		{filepath.Join(dir, "missing.pem"), keyFile, "MEET_TLS_CERT: stat " + filepath.Join(dir, "missing.pem") + ": no such file or directory"},
		{certFile, filepath.Join(dir, "missing.pem"), "MEET_TLS_KEY: stat " + filepath.Join(dir, "missing.pem") + ": no such file or directory"},
		{otherCA, keyFile, "MEET_TLS_CERT, MEET_TLS_KEY: not a usable certificate and key pair: tls: private key does not match public key"},
	}
	for _, tc := range cases {
		vars := map[string]string{
			"MEET_ADDR": "127.0.0.1:0", "MEET_DATA_DIR": t.TempDir(), "MEET_LIVEKIT_PORT": "0", "MEET_LIVEKIT_UDP_PORT": "0",
			"MEET_LOG_LEVEL": "error", "MEET_PUBLIC_URL": "https://meet.example.org", "MEET_TLS": "file",
			"MEET_TLS_CERT": tc.cert, "MEET_TLS_KEY": tc.key, "MEET_TLS_ADDR": "127.0.0.1:0", "MEET_TLS_REDIRECT_ADDR": "",
			"MEET_TURN": "off",
		}
		err := run(context.Background(), []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || err.Error() != tc.want {
			t.Errorf("run = %v\nwant %s", err, tc.want)
		}
	}
}
