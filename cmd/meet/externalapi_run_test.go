package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestRunExternalAPI runs the whole program: "meet user add" and "meet app
// add" on a data directory, then "meet serve" on it with the external API
// on; the application's secret buys a token that creates and lists rooms.
func TestRunExternalAPI(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"MEET_DATA_DIR": dir, "MEET_EXTERNAL_API_ENABLED": "true", "MEET_APPLICATION_BASE_URL": "https://meet.example.org"}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "--email", "ada@example.com", "--name", "Ada"}, getenv,
		strings.NewReader("correct horse battery\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"app", "add", "--name", "Calendar", "--scopes", "rooms:create,rooms:list", "--domains", "example.com"},
		getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`client_id: +(\S+)\nclient_secret: (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("meet app add printed:\n%s", out.String())
	}
	base := startMeet(t, env)

	post := func(path, auth string, body any) (int, map[string]any) {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&b)
		return resp.StatusCode, b
	}
	code, tok := post("/external-api/v1.0/application/token/", "", map[string]any{
		"client_id": m[1], "client_secret": m[2], "grant_type": "client_credentials", "scope": "ada@example.com"})
	if code != http.StatusOK || tok["token_type"] != "Bearer" || tok["scope"] != "rooms:create rooms:list" {
		t.Fatalf("token: %d %v", code, tok)
	}
	access, _ := tok["access_token"].(string)
	code, room := post("/external-api/v1.0/rooms/", access, map[string]any{})
	slug, _ := room["slug"].(string)
	if code != http.StatusCreated || room["access_level"] != "trusted" || room["url"] != "https://meet.example.org/"+slug {
		t.Fatalf("create: %d %v", code, room)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/external-api/v1.0/rooms/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Count   int              `json:"count"`
		Results []map[string]any `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || page.Count != 1 || page.Results[0]["id"] != room["id"] {
		t.Fatalf("list: %v %+v", err, page)
	}
	if code, b := post("/external-api/v1.0/application/token/", "", map[string]any{
		"client_id": m[1], "client_secret": "wrong", "grant_type": "client_credentials", "scope": "ada@example.com"}); code != 401 || b["detail"] != "Invalid credentials" {
		t.Fatalf("wrong secret: %d %v", code, b)
	}
}
