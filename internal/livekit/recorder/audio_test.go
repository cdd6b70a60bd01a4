package recorder

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// newTestTrack returns a track recorder writing into a temp dir, without a
// session behind it.
func newTestTrack(t *testing.T, segment time.Duration) *trackRecorder {
	return &trackRecorder{
		log:       slog.New(slog.DiscardHandler),
		dir:       t.TempDir(),
		base:      fileBase("alice/../x", "TR_1"),
		segment:   segment,
		start:     time.Unix(100, 0),
		changed:   func() {},
		firstByte: func(time.Time) {},
		pli:       func() {},
		info:      TrackManifest{Segments: []Segment{}},
	}
}

// opusAt is a 20 ms packet with timestamp base+off that arrives off
// samples after 1 s into the recording, plus late.
func opusAt(base, off uint32, late time.Duration, b byte) jitterPacket {
	return jitterPacket{
		pkt: &rtp.Packet{Header: rtp.Header{Timestamp: base + off}, Payload: []byte{0xfc, b}},
		at:  time.Unix(101, 0).Add(time.Duration(off)*time.Second/48000 + late),
	}
}

func TestAudioWriterFillsTimestampGapsWithSilence(t *testing.T) {
	tr := newTestTrack(t, time.Minute)
	w := newAudioWriter(tr)
	base := uint32(4_294_960_000) // wraps during the test
	for _, p := range []jitterPacket{
		opusAt(base, 0, 300*time.Millisecond, 1), // delivered late: the next packet corrects the offset
		opusAt(base, 960, 0, 2),
		opusAt(base, 5*960+100, 0, 3), // 3 frames missing, plus 100 samples of drift
		opusAt(base, 5*960+100, 0, 4), // duplicate timestamp: dropped
		opusAt(base, 6*960+100, 0, 5),
	} {
		if err := w.write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	m := tr.snapshot()
	if len(m.Segments) != 1 || m.Segments[0].File != "alice_.._x_TR_1_0000.ogg" {
		t.Fatalf("segments %+v", m.Segments)
	}
	b, err := os.ReadFile(filepath.Join(tr.dir, m.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseOgg(b)
	if err != nil {
		t.Fatal(err)
	}
	var pkts [][]byte
	for _, p := range pages[2:] {
		pkts = append(pkts, p.packets...)
	}
	want := [][]byte{{0xfc, 1}, {0xfc, 2}, silenceFrame, silenceFrame, silenceFrame, {0xfc, 3}, {0xfc, 5}}
	if len(pkts) != len(want) {
		t.Fatalf("%d packets, want %d", len(pkts), len(want))
	}
	for i := range want {
		if !bytes.Equal(pkts[i], want[i]) {
			t.Errorf("packet %d = % x, want % x", i, pkts[i], want[i])
		}
	}
	last := pages[len(pages)-1]
	if last.granule != 7*960 || last.flags&oggFlagEOS == 0 {
		t.Errorf("last page granule %d flags %x", last.granule, last.flags)
	}
	c := m.Counters
	if c.Frames != 4 || c.SilenceFrames != 3 || c.SkippedFrames != 1 || m.OffsetMS != 1000 || m.Segments[0].OffsetMS != 1000 || m.DurationMS != 140 || !m.Segments[0].Finalized {
		t.Errorf("manifest %+v", m)
	}
}

func TestAudioWriterRotatesSegments(t *testing.T) {
	tr := newTestTrack(t, time.Second)
	w := newAudioWriter(tr)
	for i := range 125 { // 2.5 s
		if err := w.write(opusAt(0, uint32(i*960), 0, byte(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	m := tr.snapshot()
	var got []Segment
	for _, s := range m.Segments {
		got = append(got, Segment{Seq: s.Seq, OffsetMS: s.OffsetMS, DurationMS: s.DurationMS, Finalized: s.Finalized})
		granule := checkOggFile(t, filepath.Join(tr.dir, s.File), true)
		if granule*1000/48000 != s.DurationMS {
			t.Errorf("%s: granule %d vs %d ms", s.File, granule, s.DurationMS)
		}
	}
	want := []Segment{
		{Seq: 0, OffsetMS: 1000, DurationMS: 1000, Finalized: true},
		{Seq: 1, OffsetMS: 2000, DurationMS: 1000, Finalized: true},
		{Seq: 2, OffsetMS: 3000, DurationMS: 500, Finalized: true},
	}
	if len(got) != len(want) {
		t.Fatalf("segments %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("segment %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestVP8KeyframeSize(t *testing.T) {
	frames := readVP8Fixture(t)
	key, w, h := vp8Keyframe(frames[0])
	if !key || w != 320 || h != 180 {
		t.Errorf("first frame: key=%v %dx%d, want keyframe 320x180", key, w, h)
	}
	if key, _, _ := vp8Keyframe(frames[1]); key {
		t.Error("second frame read as a keyframe")
	}
}
