package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func devTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":          "<!doctype html><title>app shell</title>",
		"favicon.svg":         "<svg xmlns='http://www.w3.org/2000/svg'/>",
		"assets/index-abc.js": "console.log(1)",
		"assets/app-def.css":  "body{}",
		"assets/tasks-vision-0.10.14/vision_wasm_internal.wasm": "\x00asm\x01\x00\x00\x00",
		"assets/selfie_segmenter_landscape-0123456789.tflite":   "TFL3",
		"assets/room-abc.webp":                                  "RIFF\x00\x00\x00\x00WEBPVP8 ",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestHandlerRoutes(t *testing.T) {
	h := Handler(devTree(t), quietLog(), nil)
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantBody           string
		wantCache          string
		wantType           string
	}{
		{"root serves shell", "GET", "/", 200, "app shell", "no-cache", "text/html"},
		{"index.html path serves shell", "GET", "/index.html", 200, "app shell", "no-cache", "text/html"},
		{"slug falls back to shell", "GET", "/abc-defg-hij", 200, "app shell", "no-cache", "text/html"},
		{"nested page falls back", "GET", "/feedback/x", 200, "app shell", "no-cache", "text/html"},
		{"e-mailed recording link is the app", "GET", "/recordings/5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60", 200, "app shell", "no-cache", "text/html"},
		{"recordings list is the app", "GET", "/recordings/", 200, "app shell", "no-cache", "text/html"},
		{"hashed js is immutable", "GET", "/assets/index-abc.js", 200, "console.log", "public, max-age=31536000, immutable", "text/javascript"},
		{"hashed css is immutable", "GET", "/assets/app-def.css", 200, "body{}", "public, max-age=31536000, immutable", "text/css"},
		{"wasm for effects", "GET", "/assets/tasks-vision-0.10.14/vision_wasm_internal.wasm", 200, "asm", "public, max-age=31536000, immutable", "application/wasm"},
		{"segmentation model", "GET", "/assets/selfie_segmenter_landscape-0123456789.tflite", 200, "TFL3", "public, max-age=31536000, immutable", "application/octet-stream"},
		{"virtual background", "GET", "/assets/room-abc.webp", 200, "WEBP", "public, max-age=31536000, immutable", "image/webp"},
		{"root file not hashed", "GET", "/favicon.svg", 200, "<svg", "no-cache", "image/svg+xml"},
		{"missing asset is 404", "GET", "/assets/index-old.js", 404, "not found", "", ""},
		{"assets dir is 404", "GET", "/assets/", 404, "not found", "", ""},
		{"api never falls back", "GET", "/api/v1.0/nope/", 404, `{"detail":"Not found."}`, "", "application/json"},
		{"api root never falls back", "GET", "/api", 404, `{"detail":"Not found."}`, "", "application/json"},
		{"api post is 404 too", "POST", "/api/v1.0/nope/", 404, `"detail"`, "", "application/json"},
		{"post to page not allowed", "POST", "/abc", 405, "", "", ""},
		{"traversal stays inside", "GET", "/../../etc/passwd", 200, "app shell", "no-cache", "text/html"},
		{"head works", "HEAD", "/", 200, "", "no-cache", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body.String(), tt.wantBody)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.wantCache)
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, tt.wantType) {
				t.Errorf("Content-Type = %q, want prefix %q", got, tt.wantType)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := rec.Header().Get("Referrer-Policy"); got != "same-origin" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			if rec.Header().Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
		})
	}
}

func TestHandlerConditionalGet(t *testing.T) {
	h := Handler(devTree(t), quietLog(), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/index-abc.js", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/assets/index-abc.js", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Fatalf("status = %d, want 304", rec.Code)
	}
}

func TestHandlerEmbedded(t *testing.T) {
	h := Handler("", quietLog(), nil)
	for _, p := range []string{"/", "/some-room-slug"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<html") {
			t.Errorf("GET %s: status %d, body %.80q", p, rec.Code, rec.Body.String())
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	tests := []struct {
		name        string
		connect     []string
		wantConnect string
	}{
		{"default allows any websocket", nil, "connect-src 'self' ws: wss:;"},
		{"livekit ws url", []string{"ws://127.0.0.1:7880"}, "connect-src 'self' ws://127.0.0.1:7880 http://127.0.0.1:7880;"},
		{"livekit wss url with path", []string{"wss://lk.example.com/rtc", "https://lk.example.com"}, "connect-src 'self' wss://lk.example.com https://lk.example.com;"},
		{"invalid entries ignored", []string{"not a url", "ftp://x"}, "connect-src 'self' ws: wss:;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csp := contentSecurityPolicy(tt.connect, nil, quietLog())
			if !strings.Contains(csp, tt.wantConnect) {
				t.Errorf("csp = %q, want %q", csp, tt.wantConnect)
			}
			for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval';", "style-src 'self';", "media-src 'self' blob:", "img-src 'self' data: blob:", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("csp = %q, missing %q", csp, want)
				}
			}
			// WebAssembly compilation is the one exception: no JavaScript eval, no inline code.
			if strings.Contains(strings.ReplaceAll(csp, "'wasm-unsafe-eval'", ""), "unsafe") {
				t.Errorf("csp allows unsafe sources: %q", csp)
			}
		})
	}
}

func TestHandlerWithoutBuildExplainsHowToBuild(t *testing.T) {
	h := Handler(t.TempDir(), quietLog(), nil) // an empty folder: no index.html
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/team-meeting", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "make web") || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("status %d, cache %q, body %.120q", rec.Code, rec.Header().Get("Cache-Control"), rec.Body.String())
	}
}

func TestContentSecurityPolicyFrameAncestors(t *testing.T) {
	csp := contentSecurityPolicy(nil, []string{"https://app.example.org", "https://*.example.net"}, quietLog())
	if !strings.Contains(csp, "frame-ancestors https://app.example.org https://*.example.net") || strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("csp = %q, want the two origins as frame-ancestors", csp)
	}
}
