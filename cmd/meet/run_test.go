package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// startMeet runs the whole program in-process on a free port with the given
// environment, waits until /healthz answers, and stops it when the test ends.
func startMeet(t *testing.T, env map[string]string) (baseURL string) {
	t.Helper()
	baseURL, _ = launchMeet(t, env)
	return baseURL
}

// launchMeet is startMeet that also returns stop, which cancels run's
// context (SIGTERM in production) and reports how long run took to return.
// stop runs at the end of the test if the test did not call it.
func launchMeet(t *testing.T, env map[string]string) (baseURL string, stop func() time.Duration) {
	t.Helper()
	baseURL, stop = runMeet(t, env)
	waitHealthy(t, baseURL)
	return baseURL, stop
}

// runMeet is launchMeet without the health check: it returns once meet says
// it is ready, with the public URL it printed.
func runMeet(t *testing.T, env map[string]string) (baseURL string, stop func() time.Duration) {
	t.Helper()
	vars := map[string]string{
		"MEET_ADDR":             "127.0.0.1:0",
		"MEET_DATA_DIR":         t.TempDir(),
		"MEET_LIVEKIT_PORT":     "0",
		"MEET_LIVEKIT_UDP_PORT": "0",
		"MEET_LOG_LEVEL":        "warn",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), outW, io.Discard)
		outW.Close()
	}()
	var once sync.Once
	var took time.Duration
	stop = func() time.Duration {
		once.Do(func() {
			start := time.Now()
			cancel()
			select {
			case err := <-done:
				took = time.Since(start)
				if err != nil {
					t.Errorf("run returned %v after shutdown", err)
				}
			case <-time.After(20 * time.Second):
				took = time.Since(start)
				t.Error("run did not return within 20 s of shutdown")
			}
		})
		return took
	}
	t.Cleanup(func() { stop() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "meet is ready on "); ok {
				ready <- u
			}
		}
	}()
	select {
	case baseURL = <-ready:
	case err := <-done:
		t.Fatalf("run exited before serving: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("meet did not start within 60 s")
	}
	return baseURL, stop
}

// waitHealthy polls /healthz until it answers 200 or a deadline passes.
func waitHealthy(t *testing.T, baseURL string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(baseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, bounded by the deadline above
	}
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: decoding: %v", url, err)
	}
	return resp.StatusCode
}

func TestRunServesConfigAndHealth(t *testing.T) {
	base := startMeet(t, nil)
	var cfg map[string]any
	if code := getJSON(t, base+"/api/v1.0/config/", &cfg); code != http.StatusOK {
		t.Fatalf("config/ status %d", code)
	}
	resource, _ := cfg["resource"].(map[string]any)
	if resource["default_access_level"] != "public" {
		t.Errorf("config resource = %v, want default_access_level public", cfg["resource"])
	}
	authn, _ := cfg["authentication"].(map[string]any)
	if authn["local"] != true || authn["oidc"] != false {
		t.Errorf("config authentication = %v, want local accounts only", cfg["authentication"])
	}
	lk, _ := cfg["livekit"].(map[string]any)
	if want := "ws://" + strings.TrimPrefix(base, "http://"); lk["url"] != want {
		t.Errorf("livekit url = %v, want %s (signalling is proxied on meet's port)", lk["url"], want)
	}
	// Browsers must not be sent to LiveKit's default public STUN servers.
	if ice, ok := lk["ice_servers"].([]any); !ok || len(ice) != 0 {
		t.Errorf("livekit ice_servers = %#v, want an empty list", lk["ice_servers"])
	}
	var ready map[string]any
	if code := getJSON(t, base+"/readyz", &ready); code != http.StatusOK {
		t.Errorf("/readyz status %d: %v", code, ready)
	}
}

func TestRunRejectsInvalidConfiguration(t *testing.T) {
	var stderr strings.Builder
	err := run(context.Background(), []string{"serve"}, func(k string) string {
		return map[string]string{"MEET_LOG_FORMAT": "xml", "MEET_DEFAULT_ACCESS_LEVEL": "secret"}[k]
	}, strings.NewReader(""), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "MEET_LOG_FORMAT") || !strings.Contains(err.Error(), "MEET_DEFAULT_ACCESS_LEVEL") {
		t.Fatalf("run = %v, want an error naming both settings", err)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, nil, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "meet ") {
		t.Errorf("version: err=%v out=%q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &out, &errOut); err != errUsage || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: err=%v stderr=%q", err, errOut.String())
	}
}

// TestTwoGuestsMeetInAnUnregisteredRoom is the one-binary promise: two people
// who open the same room name get tokens from the API that connect to the
// in-process SFU (through meet's own port) and exchange media.
func TestTwoGuestsMeetInAnUnregisteredRoom(t *testing.T) {
	base := startMeet(t, nil)
	type roomReply struct {
		ID      *string `json:"id"`
		Slug    string  `json:"slug"`
		LiveKit struct {
			URL, Room, Token string
		} `json:"livekit"`
	}
	var a, b roomReply
	if code := getJSON(t, base+"/api/v1.0/rooms/Équipe%20Produit/?username=Alice", &a); code != http.StatusOK {
		t.Fatalf("retrieve: status %d", code)
	}
	if code := getJSON(t, base+"/api/v1.0/rooms/equipe-produit/?username=Bob", &b); code != http.StatusOK {
		t.Fatalf("retrieve: status %d", code)
	}
	if a.ID != nil || a.Slug != "equipe-produit" || a.LiveKit.Room != "equipe-produit" || b.LiveKit.Room != a.LiveKit.Room {
		t.Fatalf("unexpected rooms: %+v / %+v", a, b)
	}
	alice := livekittest.Join(t, a.LiveKit.URL, a.LiveKit.Token)
	bob := livekittest.Join(t, b.LiveKit.URL, b.LiveKit.Token)
	if alice.Name() != "Alice" || bob.Name() != "Bob" || alice.Identity() == bob.Identity() {
		t.Fatalf("participants: %q/%q identities %q/%q", alice.Name(), bob.Name(), alice.Identity(), bob.Identity())
	}
	if err := alice.PublishSilence(t); err != nil {
		t.Fatalf("publish: %v", err)
	}
	bob.WaitForMediaFrom(t, alice.Identity(), 10*time.Second)
}

func TestServeHelpListsSettingsAndSucceeds(t *testing.T) {
	var stdout strings.Builder
	if err := run(context.Background(), []string{"serve", "--help"}, func(string) string { return "" }, nil, &stdout, io.Discard); err != nil {
		t.Fatalf("serve --help = %v, want success", err)
	}
	for _, want := range []string{"-addr", "MEET_ADDR", ":8080", "MEET_DATABASE_URL", "MEET_LIVEKIT_URL", "MEET_OIDC_ISSUER"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
