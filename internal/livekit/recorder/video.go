package recorder

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/at-wat/ebml-go/mkvcore"
	"github.com/at-wat/ebml-go/webm"
	"github.com/pion/rtp/codecs"
)

// videoClockRate is the RTP clock of VP8.
const videoClockRate = 90000

// pliInterval limits keyframe requests to one per interval.
const pliInterval = 500 * time.Millisecond

// cuesReserve is the space reserved for WebM Cues at the head of a file:
// about 3,000 cue points, far more than a segment of minutes needs.
const cuesReserve = 64 << 10

// videoWriter assembles VP8 frames from in-order RTP packets and writes
// them into rotating WebM segments. After any loss it drops frames until the
// next keyframe (a decoder could not use them) and asks the publisher for
// one with a PLI.
type videoWriter struct {
	t        *trackRecorder
	segMS    int64
	pliEvery time.Duration

	// frame being assembled
	active bool
	ts     uint32
	buf    []byte
	broken bool

	needKey bool
	lastPLI time.Time

	tsStarted bool
	lastTS    uint32
	extTS     int64 // unwrapped RTP timestamp of the last frame
	prevExt   int64
	firstExt  int64 // first frame of the track
	offsetMS  int64

	seq int
	cur *webmSegment
}

func newVideoWriter(t *trackRecorder) *videoWriter {
	return &videoWriter{t: t, segMS: t.segment.Milliseconds(), pliEvery: pliInterval, needKey: true}
}

func (v *videoWriter) start() { v.requestKeyframe(time.Now()) }

// requestKeyframe sends a PLI unless one went out less than pliEvery ago.
func (v *videoWriter) requestKeyframe(now time.Time) {
	if now.Sub(v.lastPLI) < v.pliEvery {
		return
	}
	v.lastPLI = now
	v.t.pli()
	v.t.update(func(m *TrackManifest) { m.Counters.PLIs++ })
}

func (v *videoWriter) skip() {
	v.t.update(func(m *TrackManifest) { m.Counters.SkippedFrames++ })
}

func (v *videoWriter) write(jp jitterPacket) error {
	p := jp.pkt
	if v.active && p.Timestamp != v.ts {
		// The previous frame never saw its marker: a packet is missing.
		v.active = false
		v.needKey = true
		v.skip()
	}
	if jp.lost > 0 {
		v.needKey = true
		v.broken = v.broken || v.active
		v.requestKeyframe(jp.at)
	}
	var vp codecs.VP8Packet
	data, err := vp.Unmarshal(p.Payload)
	if err != nil {
		v.broken = v.broken || v.active
		return nil
	}
	if !v.active {
		if vp.S != 1 || vp.PID != 0 {
			// Middle of a frame whose head we never saw (start of the
			// stream or after loss): nothing to build from it.
			return nil
		}
		v.active, v.ts, v.broken = true, p.Timestamp, false
		v.buf = v.buf[:0]
	}
	v.buf = append(v.buf, data...)
	if !p.Marker {
		return nil
	}
	v.active = false
	if v.broken {
		v.skip()
		return nil
	}
	frame := make([]byte, len(v.buf))
	copy(frame, v.buf)
	return v.writeFrame(frame, p.Timestamp, jp.at)
}

// vp8Keyframe reports whether frame is a VP8 keyframe and, if so, its size.
func vp8Keyframe(frame []byte) (key bool, width, height int) {
	if len(frame) < 3 || frame[0]&0x01 != 0 {
		return false, 0, 0
	}
	if len(frame) >= 10 && frame[3] == 0x9d && frame[4] == 0x01 && frame[5] == 0x2a {
		width = int(binary.LittleEndian.Uint16(frame[6:]) & 0x3fff)
		height = int(binary.LittleEndian.Uint16(frame[8:]) & 0x3fff)
	}
	return true, width, height
}

func (v *videoWriter) writeFrame(frame []byte, ts uint32, at time.Time) error {
	key, width, height := vp8Keyframe(frame)
	if v.needKey && !key {
		v.skip()
		v.requestKeyframe(at)
		return nil
	}
	if key {
		v.needKey = false
		v.t.update(func(m *TrackManifest) { m.Counters.Keyframes++ })
	}
	if !v.tsStarted {
		v.tsStarted = true
		v.lastTS = ts
		v.extTS = 0
		v.firstExt = 0
		v.prevExt = 0
		v.offsetMS = v.t.sinceStart(at)
		v.t.update(func(m *TrackManifest) { m.OffsetMS = v.offsetMS })
	} else {
		v.prevExt = v.extTS
		v.extTS += int64(int32(ts - v.lastTS))
		v.lastTS = ts
	}
	v.offsetMS = v.t.refineOffset(v.offsetMS, v.t.sinceStart(at)-(v.extTS-v.firstExt)*1000/videoClockRate)
	if v.cur != nil {
		elapsed := (v.extTS - v.cur.firstExt) * 1000 / videoClockRate
		switch {
		case key && (elapsed >= v.segMS || width != v.cur.width || height != v.cur.height):
			// Rotate on a keyframe so each file starts decodable; a
			// resolution change needs a new file too (WebM track size).
			if err := v.closeSegment(); err != nil {
				return err
			}
		case elapsed >= v.segMS:
			v.requestKeyframe(at)
		}
	}
	if v.cur == nil {
		if err := v.openSegment(width, height); err != nil {
			return err
		}
	}
	return v.cur.write(v, key, frame)
}

func (v *videoWriter) openSegment(width, height int) error {
	f, name, err := v.t.openFile(&v.seq, "webm")
	if err != nil {
		return err
	}
	seg := &webmSegment{file: &segmentFile{File: f}, width: width, height: height, firstExt: v.extTS}
	info := &webm.Info{TimecodeScale: 1_000_000, MuxingApp: "meet-recorder", WritingApp: "meet-recorder", DateUTC: time.Now()}
	entry := webm.TrackEntry{
		Name:        "Video",
		TrackNumber: 1,
		TrackUID:    uint64(v.seq) + 1,
		CodecID:     "V_VP8",
		TrackType:   1,
		Video:       &webm.Video{PixelWidth: uint64(width), PixelHeight: uint64(height)},
	}
	ws, err := webm.NewSimpleBlockWriter(seg.file, []webm.TrackEntry{entry},
		mkvcore.WithSegmentInfo(info), // our own: WithCues mutates the shared default
		mkvcore.WithBlockInterceptor(nil),
		mkvcore.WithSeekHead(true),
		mkvcore.WithCues(cuesReserve),
		mkvcore.WithMinMaxClusterDuration(1, 0, 30000),
		mkvcore.WithOnFatalHandler(seg.fail), // the default panics
		mkvcore.WithOnErrorHandler(func(error) {}),
	)
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("recorder: open webm: %w", err)
	}
	seg.w = ws[0]
	v.cur = seg
	v.t.firstByte(time.Now())
	entrySeg := Segment{
		Seq:      v.seq,
		File:     name,
		OffsetMS: v.offsetMS + (v.extTS-v.firstExt)*1000/videoClockRate,
		Width:    width,
		Height:   height,
	}
	v.seq++
	v.t.update(func(m *TrackManifest) { m.Segments = append(m.Segments, entrySeg) })
	v.t.changed()
	return nil
}

func (v *videoWriter) closeSegment() error {
	seg := v.cur
	if seg == nil {
		return nil
	}
	v.cur = nil
	// Close blocks until ebml-go has written Cues and Duration and closed
	// the file (segmentFile syncs it first).
	err := seg.w.Close()
	if ferr := seg.err(); err == nil {
		err = ferr
	}
	var size int64
	if st, serr := os.Stat(seg.file.Name()); serr == nil {
		size = st.Size()
	}
	v.t.update(func(m *TrackManifest) {
		s := &m.Segments[len(m.Segments)-1]
		s.Bytes, s.Finalized = size, err == nil
	})
	v.t.changed()
	if err != nil {
		return fmt.Errorf("recorder: close webm segment: %w", err)
	}
	return nil
}

func (v *videoWriter) close() error { return v.closeSegment() }

// webmSegment is one open WebM file.
type webmSegment struct {
	file          *segmentFile
	w             webm.BlockWriteCloser
	width, height int
	firstExt      int64

	mu    sync.Mutex
	fatal error
}

// fail records an ebml-go fatal error; it runs on ebml-go's goroutine.
func (s *webmSegment) fail(err error) {
	s.mu.Lock()
	if s.fatal == nil {
		s.fatal = err
	}
	s.mu.Unlock()
}

func (s *webmSegment) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fatal != nil {
		return s.fatal
	}
	return s.file.err()
}

func (s *webmSegment) write(v *videoWriter, key bool, frame []byte) error {
	if err := s.err(); err != nil {
		return err
	}
	ms := (v.extTS - s.firstExt) * 1000 / videoClockRate
	if _, err := s.w.Write(key, ms, frame); err != nil {
		return fmt.Errorf("recorder: write webm: %w", err)
	}
	step := v.extTS - v.prevExt
	if step <= 0 || step > videoClockRate {
		step = 0
	}
	dur := (v.extTS - s.firstExt + step) * 1000 / videoClockRate
	total := (v.extTS - v.firstExt + step) * 1000 / videoClockRate
	size := s.file.size()
	v.t.update(func(m *TrackManifest) {
		m.Counters.Frames++
		seg := &m.Segments[len(m.Segments)-1]
		seg.DurationMS, seg.Bytes = dur, size
		m.DurationMS = total
	})
	return nil
}

// segmentFile is the file under ebml-go. It never reports a write error to
// ebml-go: an error there ends its writing goroutine, and a Write blocked on
// it would then wait forever. The error is kept and returned by err, and
// writing stops. Close syncs the file before closing it.
type segmentFile struct {
	*os.File
	mu   sync.Mutex
	werr error
	n    int64
}

func (f *segmentFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.werr != nil {
		return len(p), nil
	}
	n, err := f.File.Write(p)
	f.n += int64(n)
	if err != nil {
		f.werr = err
	}
	return len(p), nil
}

func (f *segmentFile) WriteAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.werr != nil {
		return len(p), nil
	}
	if _, err := f.File.WriteAt(p, off); err != nil {
		f.werr = err
	}
	return len(p), nil
}

func (f *segmentFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	return err
}

func (f *segmentFile) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.werr
}

func (f *segmentFile) size() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}
