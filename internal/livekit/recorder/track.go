package recorder

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// mediaWriter turns in-order RTP packets of one track into files.
type mediaWriter interface {
	// start runs before the first packet; video asks for a keyframe here.
	start()
	// write handles one packet that is not padding-only.
	write(p jitterPacket) error
	// close finalizes and closes the current file.
	close() error
}

// trackRecorder owns the recording of one subscribed track: its reading
// goroutine, its writer and its manifest entry.
type trackRecorder struct {
	log      *slog.Logger
	dir      string
	base     string // file name prefix: <identity>_<trackSid>
	segment  time.Duration
	start    time.Time // start of the recording
	maxDelay time.Duration
	// changed asks the session for a manifest checkpoint (file opened or
	// closed, track ended). It must not be called with mu held.
	changed func()
	// firstByte tells the session that a file received its first bytes.
	firstByte func(time.Time)
	pli       func()

	mu   sync.Mutex
	info TrackManifest
}

// snapshot returns a copy of the track's manifest entry.
func (t *trackRecorder) snapshot() TrackManifest {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.info
	m.Segments = append([]Segment(nil), t.info.Segments...)
	return m
}

// update runs f on the manifest entry under the lock.
func (t *trackRecorder) update(f func(m *TrackManifest)) {
	t.mu.Lock()
	f(&t.info)
	t.mu.Unlock()
}

// run reads the track until it ends (unsubscription or disconnect), then
// flushes the jitter buffer and closes the files properly.
func (t *trackRecorder) run(remote *webrtc.TrackRemote, w mediaWriter) {
	jb := newJitterBuffer(t.maxDelay)
	var werr error
	emit := func(jp jitterPacket) {
		if isPaddingOnly(jp.pkt) {
			t.update(func(m *TrackManifest) { m.Counters.Padding++ })
			return
		}
		if werr != nil {
			return
		}
		if werr = w.write(jp); werr != nil {
			t.log.Error("recorder: track write failed, track recording stops", "err", werr)
			t.update(func(m *TrackManifest) { m.Error = werr.Error() })
		}
	}
	w.start()
	for {
		pkt, _, err := remote.ReadRTP()
		if err != nil {
			break
		}
		now := time.Now()
		t.update(func(m *TrackManifest) {
			m.Counters.Packets++
			m.Counters.Bytes += uint64(len(pkt.Payload))
		})
		jb.push(pkt, now, emit)
		t.update(func(m *TrackManifest) { m.Counters.Late, m.Counters.Lost = jb.late, jb.lost })
	}
	jb.pop(time.Now(), true, emit)
	if err := w.close(); err != nil {
		t.log.Error("recorder: closing track file failed", "err", err)
		t.update(func(m *TrackManifest) { m.Error = err.Error() })
	}
	t.update(func(m *TrackManifest) {
		m.Counters.Late, m.Counters.Lost = jb.late, jb.lost
		m.EndedAt = time.Now().UTC()
		m.Finalized = m.Error == ""
	})
	t.changed()
}

// refineOffset moves the track's place on the recording timeline earlier
// when a packet shows that the first one arrived late: implied is a
// packet's arrival minus its media time since the track's first sample, in
// ms from the recording start. The first packets after a subscription often
// arrive in a burst, so the least delayed packet gives the best estimate.
// It returns the offset in force.
func (t *trackRecorder) refineOffset(current, implied int64) int64 {
	if implied >= current {
		return current
	}
	delta := current - implied
	t.update(func(m *TrackManifest) {
		m.OffsetMS -= delta
		for i := range m.Segments {
			m.Segments[i].OffsetMS -= delta
		}
	})
	return implied
}

// sinceStart converts a wall time into milliseconds from the recording start.
func (t *trackRecorder) sinceStart(at time.Time) int64 {
	return at.Sub(t.start).Milliseconds()
}

// openFile creates the file of segment *seq, named
// <identity>_<trackSid>_<seq>.<ext>. If the name is taken (the track was
// subscribed again after an interruption) the next free seq is used; *seq
// is left at the number used.
func (t *trackRecorder) openFile(seq *int, ext string) (*os.File, string, error) {
	for {
		name := fmt.Sprintf("%s_%04d.%s", t.base, *seq, ext)
		f, err := os.OpenFile(filepath.Join(t.dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			*seq++
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("recorder: create segment: %w", err)
		}
		return f, name, nil
	}
}

// unsafeName matches characters kept out of file names.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileBase builds the <identity>_<trackSid> prefix of a track's files.
func fileBase(identity, trackSID string) string {
	id := unsafeName.ReplaceAllString(identity, "_")
	if id == "" || id[0] == '.' {
		id = "_" + id
	}
	if len(id) > 64 {
		id = id[:64]
	}
	return id + "_" + unsafeName.ReplaceAllString(trackSID, "_")
}

// isPaddingOnly reports whether p carries padding and no media.
func isPaddingOnly(p *rtp.Packet) bool { return len(p.Payload) == 0 }
