package https

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// ALPNTURN is the ALPN protocol id of TURN over TLS (RFC 7443).
const ALPNTURN = "stun.turn"

// nextProtos are the application protocols the HTTPS port speaks, in the
// server's order of preference.
var nextProtos = []string{"h2", "http/1.1", ALPNTURN}

// FileCertificate serves the certificate of a PEM certificate and key file
// pair, re-reading them when either changes on disk (a renewal by certbot or
// a secret mount), so a renewal needs no restart.
type FileCertificate struct {
	certFile, keyFile string
	mu                sync.Mutex
	cert              *tls.Certificate
	stamp             [2]time.Time
	log               *slog.Logger
}

// LoadFileCertificate reads and checks the pair once, so that a missing,
// unreadable or mismatched file stops meet at start rather than at the first
// visitor's handshake.
func LoadFileCertificate(certFile, keyFile string, log *slog.Logger) (*FileCertificate, error) {
	f := &FileCertificate{certFile: certFile, keyFile: keyFile, log: log}
	if _, err := f.reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// FileError tells which file of a pair failed: "certificate", "key", or
// "pair" when both read but do not form a usable key pair.
type FileError struct {
	Which string
	Err   error
}

func (e *FileError) Error() string { return e.Which + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// reload reads the files when their modification times changed.
func (f *FileCertificate) reload() (*tls.Certificate, error) {
	ci, err := os.Stat(f.certFile)
	if err != nil {
		return nil, &FileError{"certificate", err}
	}
	ki, err := os.Stat(f.keyFile)
	if err != nil {
		return nil, &FileError{"key", err}
	}
	stamp := [2]time.Time{ci.ModTime(), ki.ModTime()}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cert != nil && stamp == f.stamp {
		return f.cert, nil
	}
	certPEM, err := os.ReadFile(f.certFile)
	if err != nil {
		return nil, &FileError{"certificate", err}
	}
	keyPEM, err := os.ReadFile(f.keyFile)
	if err != nil {
		return nil, &FileError{"key", err}
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, &FileError{"pair", err}
	}
	if f.cert != nil {
		f.log.Info("TLS certificate files changed: serving the new certificate", "cert_file", f.certFile, "not_after", cert.Leaf.NotAfter)
	}
	f.cert, f.stamp = &cert, stamp
	return f.cert, nil
}

// getCertificate is tls.Config.GetCertificate. A pair that became
// unreadable keeps the last good certificate in service.
func (f *FileCertificate) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	cert, err := f.reload()
	if err != nil {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.cert != nil {
			f.log.Warn("TLS certificate files unreadable: serving the previous certificate", "err", err)
			return f.cert, nil
		}
	}
	return cert, err
}

// TLSConfig is the HTTPS listener's configuration with this certificate.
func (f *FileCertificate) TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: f.getCertificate, NextProtos: nextProtos}
}

// ACMEOptions configures certificates obtained from an ACME CA.
type ACMEOptions struct {
	Host      string // the one domain certificates are obtained for
	Directory string // the CA's directory URL
	Email     string // contact given to the CA; may be empty
	CacheDir  string // account key and certificates, kept across restarts
	// Roots, when set, are the only CAs trusted for the directory's HTTPS
	// (a private ACME CA); nil trusts the system's.
	Roots *x509.CertPool
}

// ACME obtains, caches and renews the certificate of one host.
type ACME struct {
	m    *autocert.Manager
	host string
	log  *slog.Logger
}

// NewACME prepares certificates for opts.Host; nothing is fetched until
// Warm or a handshake asks for it.
func NewACME(opts ACMEOptions, log *slog.Logger) (*ACME, error) {
	if opts.Host == "" {
		return nil, errors.New("https: acme: a host is required")
	}
	if err := os.MkdirAll(opts.CacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("https: acme cache: %w", err)
	}
	client := &acme.Client{DirectoryURL: opts.Directory, UserAgent: "meet"}
	if opts.Roots != nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: opts.Roots, MinVersion: tls.VersionTLS12}
		client.HTTPClient = &http.Client{Transport: t, Timeout: time.Minute}
	}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(opts.CacheDir),
		HostPolicy: autocert.HostWhitelist(opts.Host),
		Email:      opts.Email,
		Client:     client,
	}
	return &ACME{m: m, host: opts.Host, log: log}, nil
}

// TLSConfig is the HTTPS listener's configuration: certificates from the
// CA, and tls-alpn-01 challenges answered on the HTTPS port itself.
func (a *ACME) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: a.m.GetCertificate,
		NextProtos:     append(append([]string{}, nextProtos...), acme.ALPNProto),
	}
}

// ChallengeHandler answers http-01 challenges on the plain-HTTP listener
// and hands every other request to next.
func (a *ACME) ChallengeHandler(next http.Handler) http.Handler { return a.m.HTTPHandler(next) }

// Warm obtains (or loads from the cache) the certificate now, so that the
// first visitor does not wait for the CA and a CA that refuses shows in the
// log at start. It returns the certificate's expiry. autocert bounds the
// exchange with the CA (5 minutes).
func (a *ACME) Warm() (time.Time, error) {
	hello := &tls.ClientHelloInfo{
		ServerName: a.host,
		// An ECDSA-capable hello, as browsers send, so the certificate
		// obtained now is the one they will be served.
		CipherSuites:      []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		SignatureSchemes:  []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
		SupportedCurves:   []tls.CurveID{tls.CurveP256},
		SupportedVersions: []uint16{tls.VersionTLS13, tls.VersionTLS12},
	}
	cert, err := a.m.GetCertificate(hello)
	if err != nil {
		return time.Time{}, fmt.Errorf("https: acme certificate for %s: %w", a.host, err)
	}
	return cert.Leaf.NotAfter, nil
}

// RedirectHandler sends every request to the same path on public (an
// https URL), with 301 for GET and HEAD and 308 (method kept) otherwise.
// The target host is public's, never the request's Host header.
func RedirectHandler(public *url.URL) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := url.URL{Scheme: "https", Host: public.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
		code := http.StatusPermanentRedirect
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			code = http.StatusMovedPermanently
		}
		http.Redirect(w, r, target.String(), code)
	})
}
