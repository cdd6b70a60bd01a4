package recorder

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOggCRCMatchesLibogg(t *testing.T) {
	// The fixture was muxed by ffmpeg (libavformat): our CRC must accept
	// every one of its pages.
	b, err := os.ReadFile(toneFixture)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseOgg(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pages {
		if !p.crcOK {
			t.Errorf("page %d: CRC mismatch", i)
		}
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
}

func TestOggOpusWriterPages(t *testing.T) {
	var buf bytes.Buffer
	w, err := newOggOpusWriter(&buf, 0xabcd, 2, 48000)
	if err != nil {
		t.Fatal(err)
	}
	frame := bytes.Repeat([]byte{0xfc}, 100) // 20 ms CELT stereo-flagged TOC
	for range 120 {                          // 2.4 s
		if err := w.WritePacket(frame, 960); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte{0xf8}, 600) // needs 3 lacing values: 255, 255, 90
	if err := w.WritePacket(big, 960); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(frame, 960); err == nil {
		t.Error("write after close succeeded")
	}
	pages, err := parseOgg(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	type pageSummary struct {
		Flags   byte
		Granule int64
		Seq     uint32
		Packets int
		CRC     bool
	}
	var got []pageSummary
	for _, p := range pages {
		if p.serial != 0xabcd {
			t.Errorf("serial %x", p.serial)
		}
		got = append(got, pageSummary{p.flags, p.granule, p.seq, len(p.packets), p.crcOK})
	}
	want := []pageSummary{
		{oggFlagBOS, 0, 0, 1, true}, // OpusHead
		{0, 0, 1, 1, true},          // OpusTags
		{0, 48000, 2, 50, true},     // 1 s per page, granule at the end of its last packet
		{0, 96000, 3, 50, true},
		{oggFlagEOS, 121 * 960, 4, 21, true}, // the rest, flagged end of stream
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	head := pages[0].packets[0]
	if string(head[:8]) != "OpusHead" || head[9] != 2 || binary.LittleEndian.Uint16(head[10:]) != 0 ||
		binary.LittleEndian.Uint32(head[12:]) != 48000 {
		t.Errorf("OpusHead % x: want 2 channels, pre-skip 0, 48 kHz", head)
	}
	if !bytes.Equal(pages[4].packets[20], big) {
		t.Error("multi-segment packet not reassembled intact")
	}
}

func TestOggOpusWriterSplitsAt255Segments(t *testing.T) {
	var buf bytes.Buffer
	w, err := newOggOpusWriter(&buf, 1, 1, 1<<40) // never by duration
	if err != nil {
		t.Fatal(err)
	}
	for range 300 {
		if err := w.WritePacket([]byte{0x08, 0x01}, 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pages, err := parseOgg(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 4 || len(pages[2].packets) != 255 || pages[2].granule != 255*960 ||
		len(pages[3].packets) != 45 || pages[3].granule != 300*960 || pages[3].flags != oggFlagEOS {
		t.Errorf("got %d pages; page 2: %d packets granule %d", len(pages), len(pages[2].packets), pages[2].granule)
	}
}

func TestOpusPacketSamples(t *testing.T) {
	tests := []struct {
		name string
		pkt  []byte
		want int64
	}{
		{"silence frame 20 ms CELT", silenceFrame, 960},
		{"SILK 10 ms", []byte{0 << 3}, 480},
		{"SILK 60 ms", []byte{3 << 3}, 2880},
		{"hybrid 20 ms", []byte{13 << 3}, 960},
		{"CELT 2.5 ms", []byte{16 << 3}, 120},
		{"two frames of 20 ms", []byte{31<<3 | 1}, 1920},
		{"code 3, 3 frames of 20 ms", []byte{31<<3 | 3, 3}, 2880},
		{"code 3 truncated", []byte{31<<3 | 3}, 0},
		{"empty", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := opusPacketSamples(tt.pkt); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	if opusChannels([]byte{0xfc}) != 2 || opusChannels(silenceFrame) != 1 {
		t.Error("channel flag misread")
	}
}
