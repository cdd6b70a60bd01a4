package main

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// TestOneBinaryRecords runs meet as one binary with recordings on: an owner
// starts and stops a recording of a room where someone speaks, the in-process
// worker records it, and the saved recording downloads.
func TestOneBinaryRecords(t *testing.T) {
	env := map[string]string{"MEET_DATA_DIR": t.TempDir(), "MEET_RECORDING_ENABLED": "true"}
	base := startMeet(t, env)
	if err := run(context.Background(), []string{"user", "add", "--email", "rita@example.com", "--name", "Rita Recorder"},
		func(k string) string { return env[k] }, strings.NewReader("a long enough password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("meet user add: %v", err)
	}
	owner := newClient(t, base)
	if code := owner.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "rita@example.com", "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login: %d", code)
	}
	var room struct {
		ID, Slug string
		LiveKit  struct{ URL, Token string } `json:"livekit"`
	}
	if code := owner.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Recorded standup"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	speaker := livekittest.Join(t, room.LiveKit.URL, room.LiveKit.Token)
	if err := speaker.PublishSilence(t); err != nil {
		t.Fatal(err)
	}

	var msg map[string]string
	if code := owner.do("POST", "/api/v1.0/rooms/"+room.ID+"/start-recording/", map[string]string{"mode": "transcript"}, &msg); code != http.StatusCreated ||
		msg["message"] != "Recording successfully started for room "+room.Slug {
		t.Fatalf("start-recording: %d %v", code, msg)
	}
	recording := func() (id, status string) {
		var page struct {
			Results []struct{ ID, Status string } `json:"results"`
		}
		if code := owner.do("GET", "/api/v1.0/recordings/", nil, &page); code != http.StatusOK || len(page.Results) != 1 {
			t.Fatalf("recordings: %d %+v", code, page)
		}
		return page.Results[0].ID, page.Results[0].Status
	}
	waitStatus := func(want ...string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, status := recording()
			for _, w := range want {
				if status == w {
					return status
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("recording status %q after 30 s, want one of %v", status, want)
			}
			time.Sleep(100 * time.Millisecond) // polling interval, bounded by the deadline
		}
	}
	waitStatus("active")
	// Wait until the recorder has written audio (one Ogg page is about a second).
	id, _ := recording()
	deadline := time.Now().Add(30 * time.Second)
	for recordedBytes(t, filepath.Join(env["MEET_DATA_DIR"], "recordings", id)) < 2000 {
		if time.Now().After(deadline) {
			t.Fatal("no audio on disk 30 s after the recording became active")
		}
		time.Sleep(100 * time.Millisecond) // polling interval, bounded by the deadline
	}
	if code := owner.do("POST", "/api/v1.0/rooms/"+room.ID+"/stop-recording/", nil, &msg); code != http.StatusOK ||
		msg["message"] != "Recording stopped for room "+room.Slug+"." {
		t.Fatalf("stop-recording: %d %v", code, msg)
	}
	waitStatus("saved", "notification_succeeded")
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Log("ffmpeg absent: no composite to download; the per-track files are the recording")
		return
	}
	resp, err := owner.http.Get(base + "/api/v1.0/recordings/" + id + "/download/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(body) < 1000 || !strings.HasPrefix(string(body), "OggS") {
		t.Fatalf("download: %d, %d bytes, starts %q", resp.StatusCode, len(body), body[:min(8, len(body))])
	}
}

// recordedBytes sums the sizes of the Ogg files under dir.
func recordedBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".ogg") {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
