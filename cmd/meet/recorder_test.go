package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meet/internal/config"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/users"
)

// recordingConfig loads a configuration from env over a fresh data directory.
func recordingConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	vars := map[string]string{"MEET_DATA_DIR": t.TempDir()}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load("meet", nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRecorderCommandRefusesWithoutSettings(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for name, env := range map[string]map[string]string{
		"recordings off":     {},
		"no LiveKit to join": {"MEET_RECORDING_ENABLED": "true", "MEET_LIVEKIT_PORT": "0"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := recorderCommand(context.Background(), recordingConfig(t, env), log, io.Discard); err == nil {
				t.Fatal("recorderCommand ran without what it needs")
			}
		})
	}
}

func TestRecordingWorkerRunsUntilCancelled(t *testing.T) {
	cfg := recordingConfig(t, map[string]string{"MEET_RECORDING_ENABLED": "true"})
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rs := recordingSettingsFrom(cfg)
	if rs.Dir != filepath.Join(cfg.DataDir, "recordings") {
		t.Fatalf("recordings dir %q", rs.Dir)
	}
	svc := newRecordingService(rs, db, nil, "k", mustURL(t, "http://meet.test"), log)
	wait := startRecordingWorker(ctx, rs, db, svc, recorderLiveKit{WSURL: "ws://127.0.0.1:1", APIKey: "k", APISecret: "s"}, log)
	cancel()
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("worker did not stop within 10s of cancellation")
	}
}

func TestRecordingsPurgeCommand(t *testing.T) {
	cfg := recordingConfig(t, map[string]string{"MEET_RECORDING_EXPIRATION_DAYS": "7"})
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := &users.User{Sub: "s", Issuer: "local", Email: "o@example.com", IsActive: true}
	room := &rooms.Room{Name: "Old", Slug: "old", AccessLevel: rooms.Public, Configuration: rooms.Configuration{}}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRoom(ctx, room, u.ID); err != nil {
		t.Fatal(err)
	}
	db.SetClock(func() time.Time { return time.Now().AddDate(0, 0, -8) })
	old := &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript}
	if err := db.CreateRecording(ctx, old, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TransitionRecording(ctx, old.ID, nil, recordings.Saved); err != nil {
		t.Fatal(err)
	}
	db.SetClock(time.Now)
	fresh := &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript}
	if err := db.CreateRecording(ctx, fresh, u.ID); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(cfg.DataDir, "recordings", old.ID+".ogg")
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := recordingsPurgeCommand(ctx, cfg, log, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "purged 1 expired recording") {
		t.Fatalf("output %q", out.String())
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("expired file still there: %v", err)
	}
	if _, err := db.RecordingByID(ctx, fresh.ID); err != nil {
		t.Fatalf("fresh recording purged: %v", err)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
