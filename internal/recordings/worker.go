package recordings

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"meet/internal/apperr"
)

// RecordJob tells a Recorder what to record.
type RecordJob struct {
	RecordingID string
	// Room is the media server's room name (the room's id).
	Room string
	Mode Mode
}

// Output is what a finished recorder session left on disk.
type Output struct {
	// File is the recording's main file (the composite, or the only track),
	// "" when none could be made; the raw files then are the recording.
	File string
	// Files are the raw per-track files.
	Files []string
	// Finalized reports whether every file was closed properly.
	Finalized bool
	// Reason says why the session ended ("stop", "room_empty", "recovered"…).
	Reason string
}

// Recorder records rooms. The LiveKit track recorder implements it
// (internal/livekit/recorderadapter); a LiveKit Egress adapter could too.
//
// Start joins the room and returns the session's id once recording has
// begun. Done is closed when the session ends on its own (empty room,
// disconnect). Stop ends a session, finalizes its files and returns them.
// Recover finalizes what a session that died with its process left behind
// (the files up to its last checkpoint) without recording anything.
type Recorder interface {
	Start(ctx context.Context, job RecordJob) (string, error)
	Done(workerID string) <-chan struct{}
	Stop(ctx context.Context, workerID string) (Output, error)
	Recover(ctx context.Context, job RecordJob) (Output, error)
}

// WorkerConfig tunes a Worker; zero fields take the defaults.
type WorkerConfig struct {
	// ID names this worker in job leases (default: random).
	ID string
	// Lease is how long a claimed job stays with this worker without a
	// heartbeat (default 30 s); a crashed worker's job is taken over after it.
	Lease time.Duration
	// Heartbeat is how often leases are renewed and stop jobs looked for
	// (default Lease/3).
	Heartbeat time.Duration
	// Poll is how often the queue is polled for new jobs (default 500 ms).
	Poll time.Duration
	// MaxDuration stops recordings that last longer (0: no limit).
	MaxDuration time.Duration
	// MaxAttempts is how many times a start is tried before the recording
	// fails to start (default 3).
	MaxAttempts int
	// Concurrency bounds the sessions of this worker (default 16).
	Concurrency int
	// FinishTimeout bounds stopping, storing and completing a recording
	// (default 10 min: the composite of a long meeting takes minutes).
	FinishTimeout time.Duration
	// RoomMetadata shows the recording's state (recording_status and
	// recording_mode) in its room's call metadata, so every participant
	// sees the call is being recorded (nil: not shown).
	RoomMetadata RoomMetadata
}

func (c *WorkerConfig) defaults() {
	if c.ID == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		c.ID = "worker-" + hex.EncodeToString(b)
	}
	if c.Lease <= 0 {
		c.Lease = 30 * time.Second
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = c.Lease / 3
	}
	if c.Poll <= 0 {
		c.Poll = 500 * time.Millisecond
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 16
	}
	if c.FinishTimeout <= 0 {
		c.FinishTimeout = 10 * time.Minute
	}
}

// Worker claims recording jobs from the queue and drives a Recorder. Several
// workers may share a queue; a job is held under a lease that the worker
// renews while it records, so a crashed worker's recording is recovered by
// another worker, never recorded twice.
type Worker struct {
	svc   *Service
	jobs  JobQueue
	rec   Recorder
	files FileStore
	cfg   WorkerConfig
	log   *slog.Logger
}

// NewWorker returns a worker. It starts nothing: call Run.
func NewWorker(svc *Service, jobs JobQueue, rec Recorder, cfg WorkerConfig, log *slog.Logger) *Worker {
	cfg.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{svc: svc, jobs: jobs, rec: rec, files: svc.files, cfg: cfg, log: log.With("worker_id", cfg.ID)}
}

// ID is the worker's name in job leases.
func (w *Worker) ID() string { return w.cfg.ID }

// Run claims and runs jobs until ctx ends, then stops its sessions
// gracefully (their recordings are saved) and returns nil.
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, w.cfg.Concurrency)
	tick := time.NewTicker(w.cfg.Poll)
	defer tick.Stop()
	w.log.InfoContext(ctx, "recording worker started")
	for {
	claim:
		for {
			select {
			case slots <- struct{}{}:
			default:
				break claim
			}
			job, err := w.jobs.ClaimStartJob(ctx, w.cfg.ID, w.cfg.Lease)
			if err != nil {
				<-slots
				if !apperr.Is(err, apperr.NotFound) && ctx.Err() == nil {
					w.log.ErrorContext(ctx, "claim recording job", "err", err)
				}
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				w.handle(ctx, job)
			}()
		}
		select {
		case <-ctx.Done():
			w.log.Info("recording worker stopping")
			return nil
		case <-tick.C:
		}
	}
}

// finishCtx outlives a cancelled run context so that a shutdown still
// finalizes what was recorded.
func (w *Worker) finishCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), w.cfg.FinishTimeout)
}

// handle runs one claimed start job.
func (w *Worker) handle(ctx context.Context, job *Job) {
	log := w.log.With("job_id", job.ID, "recording_id", job.RecordingID, "attempt", job.Attempts)
	r, err := w.svc.store.RecordingByID(ctx, job.RecordingID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		w.finishJob(ctx, job, "recording deleted", log)
		return
	case err != nil:
		log.ErrorContext(ctx, "load recording", "err", err)
		return // the lease expires and the job is tried again
	}
	rj := RecordJob{RecordingID: r.ID, Room: r.RoomID, Mode: r.Mode}
	switch r.Status {
	case Initiated:
		w.record(ctx, job, r, rj, log)
	case Active, Stopped:
		// The job was taken over from a worker that died while recording:
		// keep what it wrote, never record the meeting a second time.
		log.WarnContext(ctx, "recording interrupted by a worker failure; recovering its files", "status", string(r.Status))
		fctx, cancel := w.finishCtx(ctx)
		defer cancel()
		defer w.keepLease(fctx, job, log)()
		out, err := w.rec.Recover(fctx, rj)
		if err != nil {
			log.ErrorContext(fctx, "recover recording", "err", err)
		}
		out.Reason = "recovered"
		w.announce(fctx, r, RoomRecordingSaving, log)
		w.conclude(fctx, job, r, out, log)
	default:
		w.finishJob(ctx, job, "", log)
	}
}

// record starts a session for an initiated recording and supervises it.
func (w *Worker) record(ctx context.Context, job *Job, r *Recording, rj RecordJob, log *slog.Logger) {
	if job.Attempts > w.cfg.MaxAttempts {
		_, _ = w.svc.store.TransitionRecording(ctx, r.ID, []Status{Initiated}, FailedToStart)
		w.announce(ctx, r, "", log)
		w.finishJob(ctx, job, "too many attempts", log)
		return
	}
	w.announce(ctx, r, RoomRecordingStarting, log)
	started := time.Now()
	sctx, cancel := context.WithTimeout(ctx, w.cfg.Lease)
	wid, err := w.rec.Start(sctx, rj)
	cancel()
	if err != nil && ctx.Err() != nil {
		// Shutting down while joining: the job is taken over after its lease.
		log.InfoContext(ctx, "recording start interrupted by shutdown", "err", err)
		return
	}
	if err != nil {
		log.ErrorContext(ctx, "recording failed to start", "err", err)
		if _, terr := w.svc.store.TransitionRecording(ctx, r.ID, []Status{Initiated}, FailedToStart); terr != nil {
			log.ErrorContext(ctx, "mark failed_to_start", "err", terr)
		}
		w.announce(ctx, r, "", log)
		w.finishJob(ctx, job, err.Error(), log)
		return
	}
	fctx, fcancel := w.finishCtx(ctx)
	defer fcancel()
	ok, err := w.svc.store.ActivateRecording(ctx, r.ID, wid)
	if err != nil || !ok {
		// Stopped (aborted) before the recorder joined, or the database is
		// gone: don't keep a session nobody will stop.
		if _, serr := w.rec.Stop(fctx, wid); serr != nil {
			log.WarnContext(fctx, "stop unwanted session", "err", serr)
		}
		if err != nil {
			log.ErrorContext(ctx, "activate recording", "err", err)
			return
		}
		w.announce(fctx, r, "", log)
		w.finishJob(fctx, job, "", log)
		return
	}
	log.InfoContext(ctx, "recording active", "recorder_session", wid, "start_ms", time.Since(started).Milliseconds())
	w.announce(ctx, r, RoomRecordingStarted, log)
	reason, lost := w.supervise(ctx, job, r, wid, log)
	if lost {
		// Another worker owns the job now: leave the files to it.
		if _, err := w.rec.Stop(fctx, wid); err != nil {
			log.WarnContext(fctx, "stop session after losing its lease", "err", err)
		}
		log.ErrorContext(fctx, "recording job lease lost; its files are left to the worker that took it over")
		return
	}
	defer w.keepLease(fctx, job, log)()
	w.announce(fctx, r, RoomRecordingSaving, log)
	out, err := w.rec.Stop(fctx, wid)
	if err != nil {
		log.ErrorContext(fctx, "stop recorder session", "err", err)
	}
	if out.Reason == "" {
		out.Reason = reason
	}
	w.conclude(fctx, job, r, out, log)
}

// supervise renews the lease until the session should end and says why;
// lost is true when the lease went to another worker.
func (w *Worker) supervise(ctx context.Context, job *Job, r *Recording, wid string, log *slog.Logger) (reason string, lost bool) {
	hb := time.NewTicker(w.cfg.Heartbeat)
	defer hb.Stop()
	var limit <-chan time.Time
	if w.cfg.MaxDuration > 0 {
		t := time.NewTimer(w.cfg.MaxDuration)
		defer t.Stop()
		limit = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return "shutdown", false
		case <-w.rec.Done(wid):
			return "ended", false
		case <-limit:
			log.InfoContext(ctx, "recording reached its maximum duration", "max", w.cfg.MaxDuration)
			return "limit_reached", false
		case <-hb.C:
			err := w.jobs.RenewLease(ctx, job.ID, w.cfg.ID, w.cfg.Lease)
			if apperr.Is(err, apperr.NotFound) {
				return "", true
			}
			if err != nil {
				log.WarnContext(ctx, "renew lease", "err", err)
				continue
			}
			stop, err := w.jobs.ClaimStopJob(ctx, r.ID, w.cfg.ID)
			if err != nil {
				log.WarnContext(ctx, "look for stop job", "err", err)
				continue
			}
			if stop {
				return "stop", false
			}
		}
	}
}

// conclude stores the session's file and completes the recording, or
// aborts it when nothing was recorded.
func (w *Worker) conclude(ctx context.Context, job *Job, r *Recording, out Output, log *slog.Logger) {
	defer w.announce(ctx, r, "", log)
	if _, err := w.svc.store.TransitionRecording(ctx, r.ID, []Status{Active}, Stopped); err != nil {
		log.ErrorContext(ctx, "mark stopped", "err", err)
		return
	}
	if out.File == "" && len(out.Files) == 0 {
		_, _ = w.svc.store.TransitionRecording(ctx, r.ID, []Status{Active, Stopped}, Aborted)
		log.WarnContext(ctx, "nothing was recorded; recording aborted", "reason", out.Reason)
		w.finishJob(ctx, job, "", log)
		return
	}
	if out.File != "" {
		if err := w.files.Put(ctx, r.Key(), out.File); err != nil {
			log.ErrorContext(ctx, "store recording file", "err", err)
			w.finishJob(ctx, job, err.Error(), log)
			return
		}
	} else {
		log.WarnContext(ctx, "no composite could be made; the per-track files are the recording", "files", len(out.Files))
	}
	st, err := w.svc.Complete(ctx, r.ID)
	if err != nil && !apperr.Is(err, apperr.Forbidden) {
		log.ErrorContext(ctx, "complete recording", "err", err)
	}
	log.InfoContext(ctx, "recording finished", "reason", out.Reason, "status", string(st), "finalized", out.Finalized)
	w.finishJob(ctx, job, "", log)
}

// keepLease renews the job's lease in the background while a recording is
// finalized (the composite of a long meeting takes minutes), until the
// returned function is called.
func (w *Worker) keepLease(ctx context.Context, job *Job, log *slog.Logger) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(w.cfg.Heartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				err := w.jobs.RenewLease(ctx, job.ID, w.cfg.ID, w.cfg.Lease)
				if apperr.Is(err, apperr.NotFound) {
					return // finished meanwhile
				}
				if err != nil {
					log.WarnContext(ctx, "renew lease while finishing", "err", err)
				}
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

func (w *Worker) finishJob(ctx context.Context, job *Job, errText string, log *slog.Logger) {
	if err := w.jobs.FinishJob(ctx, job.ID, w.cfg.ID, errText); err != nil && !errors.Is(err, context.Canceled) {
		log.ErrorContext(ctx, "finish recording job", "err", err)
	}
}
