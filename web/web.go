// Package web serves the browser front end: the Vite build embedded from
// dist/ (or a folder on disk in development), with SPA fallback, cache
// headers and a Content-Security-Policy. It must not import any other
// package of this module: the HTTP adapter mounts it, never the reverse.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// dist holds the front-end build (`make web`). Only dist/.keep is
// committed, so `go build` works without Node and a build never shows up as
// a change; without a build, pages answer with notBuilt.
//
//go:embed all:dist
var dist embed.FS

// notBuilt is the page served when the binary was built without the front end.
//
//go:embed notbuilt.html
var notBuilt []byte

// Handler returns the handler that serves the front end. When devDir is
// non-empty files are read from that folder on every request (MEET_WEB_DIR),
// otherwise from the embedded build. connectSrc lists extra origins the
// browser may connect to, typically the LiveKit URL; http(s) and ws(s)
// variants of each origin are both allowed because livekit-client validates
// over HTTP before opening its WebSocket. With no connectSrc any ws:/wss:
// origin is allowed. frameAncestors are the origins (validated by
// MEET_FRAME_ANCESTORS) whose pages may embed the app; none by default.
func Handler(devDir string, log *slog.Logger, frameAncestors []string, connectSrc ...string) http.Handler {
	var files fs.FS
	if devDir != "" {
		files = os.DirFS(devDir)
	} else {
		sub, err := fs.Sub(dist, "dist")
		if err != nil { // only possible if the embed directive changes
			panic("web: dist missing from embed: " + err.Error())
		}
		files = sub
	}
	return &server{
		files:   files,
		dev:     devDir != "",
		log:     log,
		csp:     contentSecurityPolicy(connectSrc, frameAncestors, log),
		etagMap: map[string]string{},
	}
}

type server struct {
	files fs.FS
	dev   bool
	log   *slog.Logger
	csp   string

	mu      sync.Mutex
	etagMap map[string]string // embedded files never change: hash once
}

// contentSecurityPolicy allows what the app and LiveKit need and no more.
// Styles need no 'unsafe-inline': @livekit/components-styles ships as a CSS
// file bundled by Vite, and React sets style props through the CSSOM, which
// CSP does not govern. livekit-client only spawns a worker for end-to-end
// encryption, which we do not use, so there is no worker-src.
// 'wasm-unsafe-eval' lets the page compile WebAssembly (the background
// effects' segmentation and RNNoise, both served from 'self'); it allows no
// JavaScript eval.
func contentSecurityPolicy(connectSrc, frameAncestors []string, log *slog.Logger) string {
	connect := []string{"'self'"}
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			connect = append(connect, s)
		}
	}
	for _, raw := range connectSrc {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" {
			log.Warn("web: ignoring invalid connect-src entry", "value", raw)
			continue
		}
		switch u.Scheme {
		case "ws", "http":
			add("ws://" + u.Host)
			add("http://" + u.Host)
		case "wss", "https":
			add("wss://" + u.Host)
			add("https://" + u.Host)
		default:
			log.Warn("web: ignoring connect-src entry with unsupported scheme", "value", raw)
		}
	}
	if len(connect) == 1 {
		connect = append(connect, "ws:", "wss:")
	}
	ancestors := "'none'"
	if len(frameAncestors) > 0 {
		ancestors = strings.Join(frameAncestors, " ")
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"style-src 'self'",
		"img-src 'self' data: blob:",
		"media-src 'self' blob:",
		"font-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors " + ancestors,
	}, "; ")
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")

	p := r.URL.Path
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		// The API never falls back to the app: a client expecting JSON
		// must see a 404, not a page.
		writeNotFound(w, true)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name != "" && name != "index.html" && s.serveFile(w, r, name) {
		return
	}
	if name == "assets" || strings.HasPrefix(name, "assets/") {
		// A missing hashed asset is a stale page asking for an old build;
		// answering with HTML would only produce a MIME error.
		writeNotFound(w, false)
		return
	}
	// SPA routing: /<slug> and every other unknown page get the app shell.
	if !s.serveFile(w, r, "index.html") {
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(notBuilt)
	}
}

// serveFile writes the named file and reports whether it existed.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, name string) bool {
	f, err := s.files.Open(name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("web: open file", "name", name, "err", err)
		}
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return false
	}
	body, err := io.ReadAll(f)
	if err != nil {
		s.log.Error("web: read file", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return true
	}
	h := w.Header()
	if strings.HasPrefix(name, "assets/") {
		// Vite puts a content hash in every file name under assets/.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if ct := contentType(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	h.Set("ETag", s.etag(name, body))
	var mod time.Time
	if s.dev {
		mod = st.ModTime()
	}
	http.ServeContent(w, r, name, mod, bytes.NewReader(body))
	return true
}

// contentType fixes the type of the files whose type Go's built-in table
// lacks or that the host's mime.types could change: WebAssembly must be
// application/wasm for streaming compilation, and with nosniff a guessed
// type would break scripts and images. "" leaves it to http.ServeContent.
func contentType(ext string) string {
	switch ext {
	case ".wasm":
		return "application/wasm"
	case ".tflite":
		return "application/octet-stream"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".webp":
		return "image/webp"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return ""
}

func (s *server) etag(name string, body []byte) string {
	if !s.dev {
		s.mu.Lock()
		defer s.mu.Unlock()
		if e, ok := s.etagMap[name]; ok {
			return e
		}
	}
	sum := sha256.Sum256(body)
	e := `"` + hex.EncodeToString(sum[:12]) + `"`
	if !s.dev {
		s.etagMap[name] = e
	}
	return e
}

func writeNotFound(w http.ResponseWriter, api bool) {
	w.Header().Del("Cache-Control")
	if api {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"detail":"Not found."}`)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}
