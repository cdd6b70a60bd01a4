package recorder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	lksdk "github.com/livekit/server-sdk-go/v2"
)

// Mode selects what a session records. The values are La Suite Meet's
// recording modes.
type Mode string

const (
	// ModeScreenRecording records every audio and video track.
	ModeScreenRecording Mode = "screen_recording"
	// ModeTranscript records audio tracks only and never subscribes to
	// video, so the SFU forwards no video to the recorder.
	ModeTranscript Mode = "transcript"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == ModeScreenRecording || m == ModeTranscript }

// Defaults applied by Start to zero Options fields.
const (
	DefaultSegment            = 5 * time.Minute
	DefaultCheckpointInterval = 2 * time.Second
	DefaultJitterLatency      = 200 * time.Millisecond
	DefaultEmptyTimeout       = 10 * time.Second
	DefaultFlushTimeout       = 15 * time.Second
	// MaxJitterLatency is the largest accepted Options.JitterLatency: more
	// delays keyframe requests after loss for too long.
	MaxJitterLatency = 500 * time.Millisecond
)

// Options configure a recording session.
type Options struct {
	// WSURL is the LiveKit signalling URL (ws:// or wss://).
	WSURL string
	// Token is a recorder JWT for the room, see NewToken.
	Token string
	// Dir receives the files and manifest.json; it is created if needed
	// and should be empty.
	Dir string
	// Mode is ModeScreenRecording or ModeTranscript.
	Mode Mode
	// Segment is the length of each file before rotation
	// (DefaultSegment when zero). Video rotates at the first keyframe
	// after it.
	Segment time.Duration
	// CheckpointInterval is how often manifest.json is rewritten while
	// recording (DefaultCheckpointInterval when zero).
	CheckpointInterval time.Duration
	// JitterLatency is how long a gap in the packet sequence is waited for
	// before it is declared lost (DefaultJitterLatency when zero, at most
	// MaxJitterLatency).
	JitterLatency time.Duration
	// EmptyTimeout ends the session once the room has had no participant
	// other than recorders for this long (DefaultEmptyTimeout when zero).
	EmptyTimeout time.Duration
	// KeepWhenEmpty disables the empty-room stop.
	KeepWhenEmpty bool
	// FlushTimeout bounds how long stopping waits for the tracks to flush
	// and close their files (DefaultFlushTimeout when zero).
	FlushTimeout time.Duration
	// Log receives the session's logs; nil discards them.
	Log *slog.Logger
}

func (o *Options) validate() error {
	var errs []error
	if o.WSURL == "" {
		errs = append(errs, errors.New("ws url is required"))
	}
	if o.Token == "" {
		errs = append(errs, errors.New("token is required"))
	}
	if o.Dir == "" {
		errs = append(errs, errors.New("dir is required"))
	}
	if !o.Mode.Valid() {
		errs = append(errs, fmt.Errorf("unknown mode %q", o.Mode))
	}
	if o.Segment < 0 || (o.Segment > 0 && o.Segment < time.Second) {
		errs = append(errs, errors.New("segment must be at least 1s"))
	}
	if o.JitterLatency < 0 || o.JitterLatency > MaxJitterLatency {
		errs = append(errs, fmt.Errorf("jitter latency must be within 0..%s", MaxJitterLatency))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("recorder: invalid options: %w", err)
	}
	if o.Segment == 0 {
		o.Segment = DefaultSegment
	}
	if o.CheckpointInterval <= 0 {
		o.CheckpointInterval = DefaultCheckpointInterval
	}
	if o.JitterLatency == 0 {
		o.JitterLatency = DefaultJitterLatency
	}
	if o.EmptyTimeout <= 0 {
		o.EmptyTimeout = DefaultEmptyTimeout
	}
	if o.FlushTimeout <= 0 {
		o.FlushTimeout = DefaultFlushTimeout
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Result describes a finished recording.
type Result struct {
	// Dir is the recording directory.
	Dir string
	// Manifest is the path of manifest.json.
	Manifest string
	// Files are the paths of every segment file, in manifest order.
	Files []string
	// Duration is the time from Start to the end of the recording.
	Duration time.Duration
	// StopReason is "stop" (Stop was called), "room_empty" or
	// "disconnected" (the server closed the session).
	StopReason string
	// Finalized reports whether every file was closed properly.
	Finalized bool
}

// Session is a running recording. Its methods are safe for concurrent use.
type Session struct {
	opts     Options
	log      *slog.Logger
	start    time.Time
	room     *lksdk.Room
	identity string
	roomName string
	roomSID  string

	mu         sync.Mutex
	tracks     []*trackRecorder
	stopping   bool
	emptyTimer *time.Timer
	firstByte  time.Time
	endedAt    time.Time
	reason     string
	finalized  bool

	tracksWG   sync.WaitGroup
	loopWG     sync.WaitGroup
	stopLoop   chan struct{}
	ckMu       sync.Mutex // serialises manifest writes
	finishOnce sync.Once
	done       chan struct{}
	result     Result
	err        error
}

// Start joins the room as a hidden recorder and starts recording. It
// returns once the session has joined; tracks are recorded as they are
// subscribed. The session runs until Stop, until the room stays empty for
// Options.EmptyTimeout, or until the server disconnects it; Done tells when
// it ended on its own, and Stop then returns the result.
func Start(ctx context.Context, opts Options) (*Session, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	// Tracks are private to meet's user: 0700 directory, 0600 files.
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("recorder: start: %w", err)
	}
	if err := os.Chmod(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("recorder: start: %w", err)
	}
	s := &Session{
		opts:     opts,
		log:      opts.Log,
		start:    time.Now(),
		stopLoop: make(chan struct{}),
		done:     make(chan struct{}),
	}
	room := lksdk.NewRoom(s.callbacks())
	if err := room.JoinWithContextAndToken(ctx, opts.WSURL, opts.Token, s.connectOptions()...); err != nil {
		return nil, fmt.Errorf("recorder: join room: %w", err)
	}
	s.mu.Lock()
	s.room = room
	s.identity = room.LocalParticipant.Identity()
	s.roomName = room.Name()
	s.roomSID = room.SID()
	s.mu.Unlock()
	// s.log stays as it was: track callbacks may already be reading it.
	s.log.Info("recorder: joined room", "room", s.roomName, "recorder_identity", s.identity, "mode", string(opts.Mode), "dir", opts.Dir)

	if err := s.checkpoint(); err != nil {
		room.Disconnect()
		return nil, err
	}
	if opts.Mode == ModeTranscript {
		for _, rp := range room.GetRemoteParticipants() {
			for _, pub := range rp.TrackPublications() {
				if p, ok := pub.(*lksdk.RemoteTrackPublication); ok {
					s.subscribeAudio(p, rp)
				}
			}
		}
	}
	s.checkEmpty("")
	s.loopWG.Add(1)
	go s.checkpointLoop()
	return s, nil
}

// Done is closed when the session has ended and its files are finalized,
// whether by Stop, an empty room or a server disconnect.
func (s *Session) Done() <-chan struct{} { return s.done }

// Stop leaves the room, flushes every track, finalizes the files and the
// manifest, and returns the result. Calling it after the session ended on
// its own returns that result. If ctx ends first, Stop returns ctx's error
// and finalization continues in the background.
func (s *Session) Stop(ctx context.Context) (Result, error) {
	go s.finish("stop")
	select {
	case <-s.done:
		return s.result, s.err
	case <-ctx.Done():
		return Result{}, fmt.Errorf("recorder: stop: %w", ctx.Err())
	}
}

// finish ends the session once: disconnect, wait for the tracks to flush,
// write the final manifest.
func (s *Session) finish(reason string) {
	s.finishOnce.Do(func() {
		s.mu.Lock()
		s.stopping = true
		s.reason = reason
		if s.emptyTimer != nil {
			s.emptyTimer.Stop()
		}
		room := s.room
		s.mu.Unlock()
		s.log.Info("recorder: stopping", "reason", reason)

		close(s.stopLoop)
		s.loopWG.Wait()
		if room != nil {
			room.Disconnect() // every ReadRTP returns, tracks flush and close
		}
		flushed := make(chan struct{})
		go func() {
			s.tracksWG.Wait()
			close(flushed)
		}()
		var errs []error
		select {
		case <-flushed:
		case <-time.After(s.opts.FlushTimeout):
			errs = append(errs, fmt.Errorf("recorder: tracks did not flush within %s", s.opts.FlushTimeout))
		}

		s.mu.Lock()
		s.endedAt = time.Now()
		s.finalized = len(errs) == 0
		s.mu.Unlock()
		// The final manifest is finalized only if every track is too.
		m := s.manifest()
		if err := s.checkpoint(); err != nil {
			errs = append(errs, err)
		}
		s.result = Result{
			Dir:        s.opts.Dir,
			Manifest:   filepath.Join(s.opts.Dir, ManifestFile),
			Duration:   s.endedAt.Sub(s.start),
			StopReason: reason,
			Finalized:  m.Finalized,
		}
		for _, t := range m.Tracks {
			for _, seg := range t.Segments {
				s.result.Files = append(s.result.Files, filepath.Join(s.opts.Dir, seg.File))
			}
		}
		s.err = errors.Join(errs...)
		if s.err != nil {
			s.log.Error("recorder: stopped with errors", "err", s.err)
		} else {
			s.log.Info("recorder: stopped", "files", len(s.result.Files), "duration_ms", s.result.Duration.Milliseconds())
		}
		close(s.done)
	})
}

// manifest builds the current manifest from the tracks' state.
func (s *Session) manifest() *Manifest {
	s.mu.Lock()
	tracks := append([]*trackRecorder(nil), s.tracks...)
	m := &Manifest{
		Version:          ManifestVersion,
		Room:             s.roomName,
		RoomSID:          s.roomSID,
		Mode:             s.opts.Mode,
		RecorderIdentity: s.identity,
		StartedAt:        s.start.UTC(),
		UpdatedAt:        time.Now().UTC(),
		EndedAt:          s.endedAt.UTC(),
		Finalized:        s.finalized,
		StopReason:       s.reason,
		Tracks:           make([]TrackManifest, 0, len(tracks)),
	}
	if s.endedAt.IsZero() {
		m.EndedAt = time.Time{}
		m.DurationMS = m.UpdatedAt.Sub(s.start).Milliseconds()
	} else {
		m.DurationMS = s.endedAt.Sub(s.start).Milliseconds()
	}
	s.mu.Unlock()
	for _, t := range tracks {
		tm := t.snapshot()
		if m.Finalized && !tm.Finalized {
			m.Finalized = false
		}
		m.Tracks = append(m.Tracks, tm)
	}
	return m
}

// checkpoint rewrites manifest.json atomically.
func (s *Session) checkpoint() error {
	s.ckMu.Lock()
	defer s.ckMu.Unlock()
	return writeManifest(s.opts.Dir, s.manifest())
}

func (s *Session) checkpointLoop() {
	defer s.loopWG.Done()
	tick := time.NewTicker(s.opts.CheckpointInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.stopLoop:
			return
		case <-tick.C:
			if err := s.checkpoint(); err != nil {
				s.log.Error("recorder: manifest checkpoint failed", "err", err)
			}
		}
	}
}

// noteFirstByte records when the first file received data.
func (s *Session) noteFirstByte(at time.Time) {
	s.mu.Lock()
	if s.firstByte.IsZero() {
		s.firstByte = at
	}
	s.mu.Unlock()
}

// timeToFirstByte returns the time from Start to the first byte written
// into a media file, or zero if nothing was written yet.
func (s *Session) timeToFirstByte() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firstByte.IsZero() {
		return 0
	}
	return s.firstByte.Sub(s.start)
}
