package withsfu_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// TestRecordingWorkerCost measures a recording worker process (CPU time,
// peak memory) recording N publishers, audio only and audio+video, and the
// time from the start request to the first byte on disk. It runs only with
// MEET_RECORDING_BENCH=1; the numbers go to docs/benchmarks.md.
func TestRecordingWorkerCost(t *testing.T) {
	if os.Getenv("MEET_RECORDING_BENCH") == "" {
		t.Skip("set MEET_RECORDING_BENCH=1 to measure the recorder")
	}
	const length = 20 * time.Second
	t.Setenv(envWorkerNoComposite, "1") // the child inherits it: measure the recorder, not ffmpeg
	for _, tc := range []struct {
		mode       recordings.Mode
		video      bool
		publishers int
	}{
		{recordings.Transcript, false, 1}, {recordings.Transcript, false, 4},
		{recordings.ScreenRecording, true, 1}, {recordings.ScreenRecording, true, 4},
	} {
		publishers := tc.publishers
		t.Run(fmt.Sprintf("%s/%d", tc.mode, publishers), func(t *testing.T) {
			sfu := startRecSFU(t)
			dsn := storagetest.SQLite.DSN(t)
			ctx := context.Background()
			db, err := storage.Open(ctx, dsn, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			u := &users.User{Sub: "bench", Issuer: testIssuer, Email: "bench@example.com", IsActive: true}
			room := &rooms.Room{Name: "Bench", Slug: "bench", AccessLevel: rooms.Public, Configuration: rooms.Configuration{}}
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := db.CreateRoom(ctx, room, u.ID); err != nil {
				t.Fatal(err)
			}
			for i := range publishers {
				livekittest.Publish(t, sfu.WSURL(), livekittest.JoinToken(t, recLKKey, recLKSecret, room.ID, fmt.Sprintf("p%d", i)), tc.video, length+10*time.Second)
			}
			dir := t.TempDir()
			child := startWorkerChild(t, dsn, dir, sfu.WSURL())
			rec := &recordings.Recording{RoomID: room.ID, Mode: tc.mode}
			asked := time.Now()
			if err := db.CreateRecording(ctx, rec, u.ID); err != nil {
				t.Fatal(err)
			}
			raw := filepath.Join(dir, rec.ID)
			waitUntil(t, 30*time.Second, "the first byte", func() bool { return firstMediaByte(raw) })
			firstByte := time.Since(asked)
			began := time.Now()
			time.Sleep(length) // the measurement window: recording at steady state
			if err := child.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := child.Wait(); err != nil {
				t.Fatal(err)
			}
			wall := time.Since(began)
			ru := child.ProcessState.SysUsage().(*syscall.Rusage)
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			t.Logf("%s, %d publishers (video %v): first byte %s after the request; worker CPU %.2fs over %.1fs (%.1f%% of a core, %.2f%% per participant), max RSS %d MB",
				tc.mode, publishers, tc.video, firstByte.Round(time.Millisecond), cpu.Seconds(), wall.Seconds(),
				100*cpu.Seconds()/wall.Seconds(), 100*cpu.Seconds()/wall.Seconds()/float64(publishers), ru.Maxrss/1024)
		})
	}
}
