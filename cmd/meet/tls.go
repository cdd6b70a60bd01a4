package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/https"
)

// front is meet's own HTTPS front door (MEET_TLS acme or file): the HTTPS
// listener, shared with TURN over TLS, and the plain-HTTP listener that
// redirects to it and answers ACME http-01 challenges.
type front struct {
	ln       *https.Listener
	redirect *http.Server
	acme     *https.ACME
}

// openFront listens on MEET_TLS_ADDR and MEET_TLS_REDIRECT_ADDR with the
// certificate MEET_TLS selects. Every error names the setting to fix.
// turnAddr is where TURN over TLS is forwarded (empty: no TURN there).
func openFront(cfg *config.Config, publicURL *url.URL, turnAddr string, log *slog.Logger) (*front, error) {
	f := &front{}
	var tlsConf *tls.Config
	switch cfg.TLS.Mode {
	case "file":
		fc, err := https.LoadFileCertificate(cfg.TLS.CertFile, cfg.TLS.KeyFile, log)
		if err != nil {
			return nil, fileCertError(err)
		}
		tlsConf = fc.TLSConfig()
	case "acme":
		opts := https.ACMEOptions{Host: publicURL.Hostname(), Directory: cfg.TLS.ACME.Directory, Email: cfg.TLS.ACME.Email,
			CacheDir: filepath.Join(cfg.DataDir, "acme")}
		if cfg.TLS.ACME.CAFile != "" {
			pemBytes, err := os.ReadFile(cfg.TLS.ACME.CAFile)
			if err != nil {
				return nil, fmt.Errorf("MEET_ACME_CA_FILE: %w", err)
			}
			opts.Roots = x509.NewCertPool()
			if !opts.Roots.AppendCertsFromPEM(pemBytes) {
				return nil, fmt.Errorf("MEET_ACME_CA_FILE: no PEM certificate in %s", cfg.TLS.ACME.CAFile)
			}
		}
		a, err := https.NewACME(opts, log)
		if err != nil {
			return nil, fmt.Errorf("MEET_DATA_DIR: %w", err)
		}
		f.acme, tlsConf = a, a.TLSConfig()
	default:
		return nil, fmt.Errorf("MEET_TLS: %q is not a TLS mode", cfg.TLS.Mode)
	}

	inner, err := net.Listen("tcp", cfg.TLS.Addr)
	if err != nil {
		return nil, fmt.Errorf("MEET_TLS_ADDR: listen %s: %w", cfg.TLS.Addr, err)
	}
	limited := limitConns(inner, cfg, log)
	f.ln = https.NewListener(limited, tlsConf, turnAddr, log)

	if cfg.TLS.RedirectAddr != "" {
		rl, err := net.Listen("tcp", cfg.TLS.RedirectAddr)
		if err != nil {
			_ = f.ln.Close()
			return nil, fmt.Errorf("MEET_TLS_REDIRECT_ADDR: listen %s: %w", cfg.TLS.RedirectAddr, err)
		}
		var h http.Handler = https.RedirectHandler(publicURL)
		if f.acme != nil {
			h = f.acme.ChallengeHandler(h)
		}
		f.redirect = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: cfg.HTTP.IdleTimeout,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go func() {
			if err := f.redirect.Serve(limitConns(rl, cfg, log)); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("HTTP redirect listener stopped", "err", err)
			}
		}()
	}
	log.Info("serving HTTPS", "tls", cfg.TLS.Mode, "listen", inner.Addr().String(), "redirect_listen", cfg.TLS.RedirectAddr,
		"turn_over_tls", turnAddr != "")
	return f, nil
}

// warm obtains the ACME certificate in the background, so a CA that
// refuses (rate limit, unreachable port 80, wrong DNS) shows in the log at
// start rather than as a failed handshake for the first visitor.
func (f *front) warm(ctx context.Context, log *slog.Logger) {
	if f.acme == nil {
		return
	}
	go func() {
		notAfter, err := f.acme.Warm()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Error("could not obtain the TLS certificate; will retry at the next handshake", "err", err,
				"hint", "check that MEET_PUBLIC_URL's host resolves to this machine and that ports 80 and 443 reach MEET_TLS_REDIRECT_ADDR and MEET_TLS_ADDR")
			return
		}
		log.Info("TLS certificate ready", "not_after", notAfter)
	}()
}

// shutdown stops the redirect listener; the HTTPS listener is closed by
// the main server's Shutdown.
func (f *front) shutdown(ctx context.Context) {
	if f.redirect != nil {
		_ = f.redirect.Shutdown(ctx)
	}
}

// fileCertError names the setting behind a certificate file problem.
func fileCertError(err error) error {
	var fe *https.FileError
	if errors.As(err, &fe) {
		switch fe.Which {
		case "certificate":
			return fmt.Errorf("MEET_TLS_CERT: %w", fe.Err)
		case "key":
			return fmt.Errorf("MEET_TLS_KEY: %w", fe.Err)
		}
		return fmt.Errorf("MEET_TLS_CERT, MEET_TLS_KEY: not a usable certificate and key pair: %w", fe.Err)
	}
	return err
}

// turnTLSDomain is the host TURN over TLS is announced on, empty when
// there is none: LiveKit always tells clients turns:<domain>:443, so it is
// offered only when meet serves HTTPS and the public URL is on port 443.
func turnTLSDomain(cfg *config.Config, publicURL *url.URL) string {
	if !cfg.TLS.On() || (publicURL.Port() != "" && publicURL.Port() != "443") {
		return ""
	}
	return publicURL.Hostname()
}

// limitConns bounds the connections one client address holds on ln.
func limitConns(ln net.Listener, cfg *config.Config, log *slog.Logger) net.Listener {
	return httpapi.LimitConnsPerClient(ln, cfg.HTTP.MaxConnsPerClient, cfg.TrustedProxies, log)
}
