package recorder

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/pion/webrtc/v4/pkg/media/ivfreader"

	"meet/internal/livekit/livekittest"
)

// The fixtures are real encoder output, committed so that publishing needs
// no ffmpeg (only the ffprobe assertions do):
//
//	ffmpeg -f lavfi -i sine=frequency=440:duration=2:sample_rate=48000 -ac 1 \
//	  -c:a libopus -b:a 24k -frame_duration 20 -application audio testdata/tone.ogg
//	ffmpeg -f lavfi -i testsrc2=size=320x180:rate=30:duration=2 -c:v libvpx -b:v 200k \
//	  -g 10 -keyint_min 10 -auto-alt-ref 0 -deadline realtime -cpu-used 8 testdata/testsrc.ivf
const (
	toneFixture  = "testdata/tone.ogg"
	videoFixture = "testdata/testsrc.ivf"
	audioFrame   = 20 * time.Millisecond
)

// oggPage is a parsed Ogg page.
type oggPage struct {
	flags   byte
	granule int64
	serial  uint32
	seq     uint32
	crcOK   bool
	packets [][]byte // packets completed on this page
}

// parseOgg splits an Ogg stream into pages and packets and checks every
// page's CRC. A truncated final page (crash) ends parsing without error.
func parseOgg(b []byte) ([]oggPage, error) {
	var pages []oggPage
	var partial []byte
	for len(b) > 0 {
		if len(b) < 27 || string(b[:4]) != "OggS" {
			if len(b) < 27 {
				return pages, nil
			}
			return pages, fmt.Errorf("bad capture pattern at page %d", len(pages))
		}
		n := int(b[26])
		if len(b) < 27+n {
			return pages, nil
		}
		table := b[27 : 27+n]
		size := 0
		for _, v := range table {
			size += int(v)
		}
		if len(b) < 27+n+size {
			return pages, nil
		}
		raw := append([]byte(nil), b[:27+n+size]...)
		want := binary.LittleEndian.Uint32(raw[22:])
		binary.LittleEndian.PutUint32(raw[22:], 0)
		p := oggPage{
			flags:   b[5],
			granule: int64(binary.LittleEndian.Uint64(b[6:])),
			serial:  binary.LittleEndian.Uint32(b[14:]),
			seq:     binary.LittleEndian.Uint32(b[18:]),
			crcOK:   oggCRC(0, raw) == want,
		}
		data := b[27+n : 27+n+size]
		for _, v := range table {
			partial = append(partial, data[:v]...)
			data = data[v:]
			if v < 255 {
				p.packets = append(p.packets, partial)
				partial = nil
			}
		}
		pages = append(pages, p)
		b = b[27+n+size:]
	}
	return pages, nil
}

// readVP8Fixture returns the frames of an IVF file.
func readVP8Fixture(t *testing.T) [][]byte {
	t.Helper()
	f, err := os.Open(videoFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, _, err := ivfreader.NewWith(f)
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]byte
	for {
		frame, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			return frames
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, frame)
	}
}

// loopProvider hands out fixture frames in a loop with an explicit
// duration, count frames in all, and records when the first and last went
// out. The SDK paces samples by their duration.
// publisher is a Go participant of the shared test support, with the
// identity the recorder's files are named after.
type publisher struct {
	*livekittest.Publisher
	identity string
}

// publish joins room as identity and publishes audio (and video) for d.
func publish(t *testing.T, wsURL, room, identity string, withVideo bool, d time.Duration) *publisher {
	t.Helper()
	token := livekittest.JoinToken(t, testAPIKey, testAPISecret, room, identity)
	return &publisher{Publisher: livekittest.Publish(t, wsURL, token, withVideo, d), identity: identity}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		<-tick.C
	}
}

// waitChan waits for ch to close or fails after d.
func waitChan(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("timed out after %s waiting for %s", d, what)
	}
}
