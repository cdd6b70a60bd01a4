package withsfu_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
	"meet/internal/livekit/recorder"
	"meet/internal/livekit/recorderadapter"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// Environment of the worker child process (this test binary re-executed
// with -test.run=^TestRecordingWorkerChild$): a separate process is what
// the crash test kills with SIGKILL.
const (
	envWorkerDSN = "MEET_REC_WORKER_DSN"
	envWorkerDir = "MEET_REC_WORKER_DIR"
	envWorkerWS  = "MEET_REC_WORKER_WS"
	// envWorkerNoComposite skips ffmpeg, so that measurements count the recorder alone.
	envWorkerNoComposite = "MEET_REC_WORKER_NO_COMPOSITE"
)

// workerLease is the lease of the crash test's workers: a dead worker's job
// is taken over after it.
const workerLease = 2 * time.Second

// TestRecordingWorkerChild is not a test: it is the body of the child process.
func TestRecordingWorkerChild(t *testing.T) {
	dsn := os.Getenv(envWorkerDSN)
	if dsn == "" {
		t.Skip("helper process of the crash test; runs only when started by it")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := storage.Open(ctx, dsn, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := os.Getenv(envWorkerDir)
	svc := recordings.NewService(db, nil, recordings.NewLocalStore(dir), recordings.Config{Enabled: true}, log, nil)
	adapter := recorderadapter.New(recorderadapter.Options{
		WSURL: os.Getenv(envWorkerWS), APIKey: recLKKey, APISecret: recLKSecret, Dir: dir,
		Segment: time.Second, CheckpointInterval: 100 * time.Millisecond, Log: log,
		NoComposite: os.Getenv(envWorkerNoComposite) != "",
	})
	w := recordings.NewWorker(svc, db, adapter, recordings.WorkerConfig{
		ID: "child", Lease: workerLease, Heartbeat: 300 * time.Millisecond, Poll: 20 * time.Millisecond,
	}, log)
	fmt.Println("WORKER_READY")
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// startWorkerChild runs a recording worker in a child process.
func startWorkerChild(t *testing.T, dsn, dir, wsURL string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordingWorkerChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envWorkerDSN+"="+dsn, envWorkerDir+"="+dir, envWorkerWS+"="+wsURL)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "WORKER_READY" {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("worker child not ready within 30s")
	}
	return cmd
}

// countingRecorder counts the sessions a worker starts.
type countingRecorder struct {
	recordings.Recorder
	starts atomic.Int32
}

func (c *countingRecorder) Start(ctx context.Context, job recordings.RecordJob) (string, error) {
	c.starts.Add(1)
	return c.Recorder.Start(ctx, job)
}

// claimClock notes when a worker first claims a start job.
type claimClock struct {
	recordings.JobQueue
	first atomic.Pointer[time.Time]
}

func (c *claimClock) ClaimStartJob(ctx context.Context, owner string, lease time.Duration) (*recordings.Job, error) {
	j, err := c.JobQueue.ClaimStartJob(ctx, owner, lease)
	if err == nil && j != nil {
		now := time.Now()
		c.first.CompareAndSwap(nil, &now)
	}
	return j, err
}

// mediaFiles lists the media files under dir with their sizes.
func mediaFiles(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && (strings.HasSuffix(e.Name(), ".ogg") || strings.HasSuffix(e.Name(), ".webm")) {
			files[e.Name()] = fi.Size()
		}
	}
	return files
}

// TestRecordingWorkerKilled kills the worker process in the middle of a
// recording: once its lease expires a restarted worker takes the job over,
// keeps the segments written up to the kill, finishes the recording in a
// clear status and never records the meeting a second time.
func TestRecordingWorkerKilled(t *testing.T) {
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
	u := &users.User{Sub: "crash-owner", Issuer: testIssuer, Email: "owner@example.com", FullName: "Owner", IsActive: true}
	room := &rooms.Room{Name: "Crash room", Slug: "crash-room", AccessLevel: rooms.Public, Configuration: rooms.Configuration{}}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRoom(ctx, room, u.ID); err != nil {
		t.Fatal(err)
	}
	livekittest.Publish(t, sfu.WSURL(), livekittest.JoinToken(t, recLKKey, recLKSecret, room.ID, "speaker"), false, time.Minute)

	dir := t.TempDir()
	child := startWorkerChild(t, dsn, dir, sfu.WSURL())
	rec := &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript}
	if err := db.CreateRecording(ctx, rec, u.ID); err != nil {
		t.Fatal(err)
	}
	raw := filepath.Join(dir, rec.ID)
	waitUntil(t, 60*time.Second, "two finished segments", func() bool {
		m, err := recorder.ReadManifest(raw)
		if err != nil || len(m.Tracks) == 0 {
			return false
		}
		done := 0
		for _, s := range m.Tracks[0].Segments {
			if s.Finalized && s.Bytes > 0 {
				done++
			}
		}
		return done >= 2
	})
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	// The killed worker's lease, as stored: nobody may take the job over
	// before it expires, whenever the worker last renewed it.
	killedJobs, err := db.JobsOfRecording(ctx, rec.ID)
	if err != nil || len(killedJobs) != 1 {
		t.Fatalf("jobs after the kill = %+v, %v", killedJobs, err)
	}
	leaseExpiry := killedJobs[0].LeaseExpiresAt
	before := mediaFiles(t, raw)
	atKill, err := recorder.ReadManifest(raw)
	if err != nil {
		t.Fatal(err)
	}
	finished := map[string]bool{} // segments closed before the kill
	for _, tr := range atKill.Tracks {
		for _, s := range tr.Segments {
			finished[s.File] = s.Finalized
		}
	}
	if got, _ := db.RecordingByID(ctx, rec.ID); got.Status != recordings.Active {
		t.Fatalf("status after the kill = %s, want still active", got.Status)
	}

	store := recordings.NewLocalStore(dir)
	svc := recordings.NewService(db, nil, store, recordings.Config{Enabled: true}, nil, nil)
	counting := &countingRecorder{Recorder: recorderadapter.New(recorderadapter.Options{
		WSURL: sfu.WSURL(), APIKey: recLKKey, APISecret: recLKSecret, Dir: dir,
	})}
	claims := &claimClock{JobQueue: db}
	runWorker(t, recordings.NewWorker(svc, claims, counting, recordings.WorkerConfig{
		ID: "restarted", Lease: workerLease, Heartbeat: 300 * time.Millisecond, Poll: 20 * time.Millisecond,
	}, nil))
	waitUntil(t, 60*time.Second, "the recording and its job to be finished", func() bool {
		got, _ := db.RecordingByID(ctx, rec.ID)
		jobs, _ := db.JobsOfRecording(ctx, rec.ID)
		return got.Status.IsSaved() && len(jobs) == 1 && jobs[0].Status != "running"
	})
	if at := claims.first.Load(); at == nil || at.Before(leaseExpiry) {
		t.Errorf("taken over at %v, before the killed worker's lease expired at %v", at, leaseExpiry)
	}
	if n := counting.starts.Load(); n != 0 {
		t.Fatalf("the restarted worker started %d recorder sessions, want none (no second recording)", n)
	}
	jobs, err := db.JobsOfRecording(ctx, rec.ID)
	if err != nil || len(jobs) != 1 || jobs[0].Attempts != 2 || jobs[0].Status != "done" || jobs[0].LeaseOwner != "restarted" {
		t.Fatalf("jobs = %+v, %v; want the start job done by the restarted worker on its second attempt", jobs, err)
	}
	after := mediaFiles(t, raw)
	var names []string
	for name, size := range before {
		names = append(names, name)
		if after[name] != size {
			t.Errorf("%s changed after the kill: %d → %d bytes", name, size, after[name])
		}
	}
	if len(after) != len(before) {
		t.Errorf("files after recovery %v, before %v: something recorded again", after, before)
	}
	sort.Strings(names)
	t.Logf("kept after the kill: %v", names)
	if _, err := exec.LookPath("ffprobe"); err != nil {
		return
	}
	var kept float64
	for _, name := range names {
		if finished[name] {
			kept += ffprobeFile(t, filepath.Join(raw, name)).seconds()
		}
	}
	final := ffprobeFile(t, filepath.Join(dir, rec.ID+".ogg"))
	t.Logf("segments kept: %.3fs of audio; recovered recording: %.3fs", kept, final.seconds())
	if kept < 1.5 || final.seconds() < kept*0.9 {
		t.Errorf("recovered %.3fs from %.3fs of kept segments", final.seconds(), kept)
	}
}
