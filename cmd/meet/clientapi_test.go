package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRunServesLaSuiteMeetClients checks the wiring of what La Suite Meet's
// clients call besides rooms, against the real binary: the APPEND_SLASH
// redirect, the creation callback and the connection test.
func TestRunServesLaSuiteMeetClients(t *testing.T) {
	base := startMeet(t, map[string]string{"MEET_CONNECTION_TEST_ENABLED": "true"})
	post := func(path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return resp.StatusCode, out
	}

	var me map[string]any
	if code := getJSON(t, base+"/api/v1.0/users/me", &me); code != http.StatusUnauthorized || me["detail"] != "Authentication credentials were not provided." {
		t.Errorf("users/me without the slash: %d %v, want 401 after the redirect", code, me)
	}
	if code, body := post("/api/v1.0/rooms/creation-callback/", `{"callback_id": "abc"}`); code != http.StatusOK || body["status"] != "success" {
		t.Errorf("creation-callback/: %d %v", code, body)
	}
	code, body := post("/api/v1.0/diagnostics/connection/", "")
	lk, _ := body["livekit"].(map[string]any)
	room, _ := lk["room"].(string)
	if code != http.StatusOK || !strings.HasPrefix(room, "connection-test-") || lk["expires_in"] != 300.0 || lk["token"] == "" {
		t.Errorf("diagnostics/connection/: %d %v", code, body)
	}
	var cfg map[string]any
	getJSON(t, base+"/api/v1.0/config/", &cfg)
	if d, _ := cfg["diagnostics"].(map[string]any); d["connection_test_enabled"] != true {
		t.Errorf("config/ diagnostics = %v", cfg["diagnostics"])
	}
}
