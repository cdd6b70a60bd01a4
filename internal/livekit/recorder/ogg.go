package recorder

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Ogg page header flags (RFC 3533, section 6).
const (
	oggFlagContinued = 0x01
	oggFlagBOS       = 0x02
	oggFlagEOS       = 0x04
)

// opusSampleRate is the Opus granule and RTP clock rate.
const opusSampleRate = 48000

// silenceFrame is a 20 ms CELT-only Opus packet that decodes to silence:
// TOC 0xf8 (config 31, mono, one frame) followed by an empty CELT frame.
var silenceFrame = []byte{0xf8, 0xff, 0xfe}

// silenceSamples is the duration of silenceFrame at 48 kHz.
const silenceSamples = 960

// oggCRCTable is the lookup table of the Ogg CRC-32 (polynomial 0x04c11db7,
// not reflected, initial value 0, no final xor). It is computed once and
// never written afterwards.
var oggCRCTable = func() [256]uint32 {
	var t [256]uint32
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// oggCRC computes the Ogg checksum of b.
func oggCRC(crc uint32, b []byte) uint32 {
	for _, c := range b {
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^c]
	}
	return crc
}

// oggOpusWriter writes one logical Opus stream into an Ogg file.
//
// It differs from pion's oggwriter on purpose: pre-skip is 0 (the packets
// come from a live encoder whose priming samples were already played), the
// granule position is the sample count at the end of the last packet that
// completes on the page (RFC 7845), and packets are grouped into pages of
// about pageSamples so that the overhead stays small while a crash loses at
// most one page.
type oggOpusWriter struct {
	w           io.Writer
	serial      uint32
	pageSeq     uint32
	granule     int64 // samples at the end of the last packet accepted
	pageSamples int64
	pending     [][]byte
	pendingLen  int64 // samples in pending
	segments    int   // lacing values pending
	bytes       int64
	closed      bool
}

// newOggOpusWriter writes the OpusHead and OpusTags pages and returns a
// writer for audio packets. pageSamples is the page flush threshold in
// 48 kHz samples.
func newOggOpusWriter(w io.Writer, serial uint32, channels int, pageSamples int64) (*oggOpusWriter, error) {
	if channels < 1 || channels > 2 {
		return nil, fmt.Errorf("recorder: ogg: unsupported channel count %d", channels)
	}
	o := &oggOpusWriter{w: w, serial: serial, pageSamples: pageSamples}
	head := make([]byte, 19)
	copy(head, "OpusHead")
	head[8] = 1 // version
	head[9] = byte(channels)
	binary.LittleEndian.PutUint16(head[10:], 0) // pre-skip
	binary.LittleEndian.PutUint32(head[12:], opusSampleRate)
	binary.LittleEndian.PutUint16(head[16:], 0) // output gain
	head[18] = 0                                // channel mapping family
	if err := o.writePage([][]byte{head}, 0, oggFlagBOS); err != nil {
		return nil, err
	}
	vendor := "meet-recorder"
	tags := make([]byte, 0, 8+4+len(vendor)+4)
	tags = append(tags, "OpusTags"...)
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(vendor)))
	tags = append(tags, vendor...)
	tags = binary.LittleEndian.AppendUint32(tags, 0) // no user comments
	if err := o.writePage([][]byte{tags}, 0, 0); err != nil {
		return nil, err
	}
	return o, nil
}

// lacingValues is the number of segment table entries a packet needs.
func lacingValues(n int) int { return n/255 + 1 }

// WritePacket appends one Opus packet that lasts samples (48 kHz). The
// packet is buffered until its page is full; pages never split packets.
func (o *oggOpusWriter) WritePacket(pkt []byte, samples int64) error {
	if o.closed {
		return errors.New("recorder: ogg: write after close")
	}
	lv := lacingValues(len(pkt))
	if lv > 255 {
		return fmt.Errorf("recorder: ogg: packet of %d bytes too large", len(pkt))
	}
	if len(o.pending) > 0 && (o.pendingLen >= o.pageSamples || o.segments+lv > 255) {
		if err := o.flush(0); err != nil {
			return err
		}
	}
	o.pending = append(o.pending, pkt)
	o.segments += lv
	o.pendingLen += samples
	o.granule += samples
	return nil
}

// Granule returns the number of samples accepted so far.
func (o *oggOpusWriter) Granule() int64 { return o.granule }

// Bytes returns the number of bytes written to the underlying writer.
func (o *oggOpusWriter) Bytes() int64 { return o.bytes }

// Close writes the pending packets on a final page flagged end-of-stream.
// It does not close the underlying writer.
func (o *oggOpusWriter) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	return o.flush(oggFlagEOS)
}

func (o *oggOpusWriter) flush(flags byte) error {
	err := o.writePage(o.pending, o.granule, flags)
	o.pending = o.pending[:0]
	o.pendingLen = 0
	o.segments = 0
	return err
}

// writePage writes packets as one page. The caller guarantees that they fit
// into 255 lacing values.
func (o *oggOpusWriter) writePage(packets [][]byte, granule int64, flags byte) error {
	var table []byte
	size := 0
	for _, p := range packets {
		for n := len(p); ; n -= 255 {
			if n < 255 {
				table = append(table, byte(n))
				break
			}
			table = append(table, 255)
		}
		size += len(p)
	}
	page := make([]byte, 27, 27+len(table)+size)
	copy(page, "OggS")
	page[4] = 0 // version
	page[5] = flags
	binary.LittleEndian.PutUint64(page[6:], uint64(granule))
	binary.LittleEndian.PutUint32(page[14:], o.serial)
	binary.LittleEndian.PutUint32(page[18:], o.pageSeq)
	page[26] = byte(len(table))
	page = append(page, table...)
	for _, p := range packets {
		page = append(page, p...)
	}
	binary.LittleEndian.PutUint32(page[22:], oggCRC(0, page))
	o.pageSeq++
	n, err := o.w.Write(page)
	o.bytes += int64(n)
	if err != nil {
		return fmt.Errorf("recorder: ogg: write page: %w", err)
	}
	return nil
}

// opusPacketSamples returns the duration of an Opus packet in 48 kHz
// samples, read from its TOC byte (RFC 6716, section 3.1). It returns 0 for
// a malformed packet.
func opusPacketSamples(pkt []byte) int64 {
	if len(pkt) == 0 {
		return 0
	}
	toc := pkt[0]
	config := toc >> 3
	var frame int64 // samples per frame at 48 kHz
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		frame = []int64{480, 960, 1920, 2880}[config%4]
	case config < 16: // hybrid: 10, 20 ms
		frame = []int64{480, 960}[config%2]
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = []int64{120, 240, 480, 960}[config%4]
	}
	var frames int64
	switch toc & 0x03 {
	case 0:
		frames = 1
	case 1, 2:
		frames = 2
	default:
		if len(pkt) < 2 {
			return 0
		}
		frames = int64(pkt[1] & 0x3f)
	}
	return frame * frames
}

// opusChannels reports the channel count signalled by a packet's TOC.
func opusChannels(pkt []byte) int {
	if len(pkt) > 0 && pkt[0]&0x04 != 0 {
		return 2
	}
	return 1
}
