package recorderadapter

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"meet/internal/livekit/recorder"
	"meet/internal/recordings"
)

// Identity is the LiveKit identity of every recorder session. Pass it to
// livekit.WebhookOptions.IgnoreIdentities.
const Identity = recorder.IdentityPrefix + "meet"

// Options configure the adapter.
type Options struct {
	// WSURL is the LiveKit signalling URL recorders join (ws:// or wss://).
	WSURL string
	// APIKey and APISecret sign the recorders' join tokens.
	APIKey    string
	APISecret string
	// Dir is the recordings directory: a recording's raw files go to
	// Dir/<recording id>/ (the layout of recordings.LocalStore).
	Dir string
	// Segment is the length of each file before rotation (0: the recorder's
	// default, 5 min).
	Segment time.Duration
	// CheckpointInterval is how often the manifest is rewritten (0: 2 s).
	CheckpointInterval time.Duration
	// EmptyTimeout ends a session once the room stayed empty that long (0: 10 s).
	EmptyTimeout time.Duration
	// NoComposite skips the ffmpeg composite even when ffmpeg is installed.
	NoComposite bool
	// Log receives the sessions' logs.
	Log *slog.Logger
}

// Adapter runs recorder sessions for a recordings.Worker.
type Adapter struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	sessions map[string]*session
}

type session struct {
	s   *recorder.Session
	job recordings.RecordJob
	dir string
}

var _ recordings.Recorder = (*Adapter)(nil)

// New returns an adapter; it connects to nothing until Start.
func New(opts Options) *Adapter {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{opts: opts, log: opts.Log, sessions: map[string]*session{}}
}

func (a *Adapter) dir(recordingID string) string { return filepath.Join(a.opts.Dir, recordingID) }

// Start joins job.Room as the hidden recorder and records into the
// recording's raw directory. The returned worker id is Identity@room: one
// session per room.
func (a *Adapter) Start(ctx context.Context, job recordings.RecordJob) (string, error) {
	token, err := recorder.NewToken(a.opts.APIKey, a.opts.APISecret, job.Room, "meet", 24*time.Hour)
	if err != nil {
		return "", err
	}
	dir := a.dir(job.RecordingID)
	s, err := recorder.Start(ctx, recorder.Options{
		WSURL: a.opts.WSURL, Token: token, Dir: dir, Mode: recorder.Mode(job.Mode),
		Segment: a.opts.Segment, CheckpointInterval: a.opts.CheckpointInterval, EmptyTimeout: a.opts.EmptyTimeout,
		Log: a.log.With("recording_id", job.RecordingID),
	})
	if err != nil {
		return "", fmt.Errorf("recorderadapter: start %s: %w", job.RecordingID, err)
	}
	wid := Identity + "@" + job.Room
	a.mu.Lock()
	a.sessions[wid] = &session{s: s, job: job, dir: dir}
	a.mu.Unlock()
	return wid, nil
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Done is closed when the session ended on its own (empty room, disconnect);
// it is closed already for an unknown session.
func (a *Adapter) Done(workerID string) <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.sessions[workerID]; ok {
		return s.s.Done()
	}
	return closed
}

// Stop ends the session, finalizes its files and builds the composite.
func (a *Adapter) Stop(ctx context.Context, workerID string) (recordings.Output, error) {
	a.mu.Lock()
	s, ok := a.sessions[workerID]
	delete(a.sessions, workerID)
	a.mu.Unlock()
	if !ok {
		return recordings.Output{}, fmt.Errorf("recorderadapter: stop: unknown session %q", workerID)
	}
	res, err := s.s.Stop(ctx)
	if err != nil {
		return recordings.Output{}, err
	}
	out := recordings.Output{Files: res.Files, Finalized: res.Finalized, Reason: res.StopReason}
	out.File = a.composite(ctx, s.dir, s.job.Mode)
	return out, nil
}

// Recover lists what a session that died with its process left in the
// recording's directory (the segments of its last manifest checkpoint
// that exist on disk) and builds the composite from them. It records
// nothing.
func (a *Adapter) Recover(ctx context.Context, job recordings.RecordJob) (recordings.Output, error) {
	dir := a.dir(job.RecordingID)
	m, err := recorder.ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return recordings.Output{}, nil
	}
	if err != nil {
		return recordings.Output{}, err
	}
	out := recordings.Output{Finalized: m.Finalized, Reason: "recovered"}
	for _, t := range m.Tracks {
		for _, seg := range t.Segments {
			p := filepath.Join(dir, seg.File)
			if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
				out.Files = append(out.Files, p)
			}
		}
	}
	if len(out.Files) > 0 {
		out.File = a.composite(ctx, dir, job.Mode)
	}
	return out, nil
}

// composite mixes dir with ffmpeg; "" when ffmpeg is missing or fails (the
// raw files then are the recording).
func (a *Adapter) composite(ctx context.Context, dir string, mode recordings.Mode) string {
	if a.opts.NoComposite {
		return ""
	}
	p, err := recorder.Composite(ctx, dir, recorder.Mode(mode))
	if errors.Is(err, recorder.ErrNoFFmpeg) {
		a.log.WarnContext(ctx, "ffmpeg not installed: no composite recording file", "dir", dir)
		return ""
	}
	if err != nil {
		a.log.ErrorContext(ctx, "composite failed", "dir", dir, "err", err)
		return ""
	}
	return p
}
