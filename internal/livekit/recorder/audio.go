package recorder

import (
	"fmt"
	"hash/crc32"
	"os"
	"time"
)

// maxGapSamples is the largest RTP timestamp gap filled with silence (six
// hours). Anything larger is a timestamp reset, not a pause.
const maxGapSamples = 6 * 3600 * opusSampleRate

// oggPageSamples is the page flush threshold: about one second of audio,
// which is also what a crash can lose.
const oggPageSamples = opusSampleRate

// audioWriter writes an Opus track into rotating Ogg segments and keeps the
// timeline continuous: a jump of the RTP timestamp (DTX, mute, loss, the
// end-of-track idle jump) becomes 20 ms silence frames, so that decoders
// output as many samples as wall-clock time went by and mixes stay in sync.
type audioWriter struct {
	t          *trackRecorder
	segSamples int64

	started  bool
	nextTS   uint32 // RTP timestamp expected for the next packet
	channels int
	samples  int64 // samples written in all segments, silence included

	seq      int
	file     *os.File
	ogg      *oggOpusWriter
	segStart int64 // samples at the start of the current segment
	offsetMS int64 // track offset from the recording start
}

func newAudioWriter(t *trackRecorder) *audioWriter {
	return &audioWriter{t: t, segSamples: int64(t.segment.Seconds() * opusSampleRate)}
}

func (a *audioWriter) start() {}

func (a *audioWriter) write(jp jitterPacket) error {
	payload := jp.pkt.Payload
	n := opusPacketSamples(payload)
	if n == 0 {
		a.t.update(func(m *TrackManifest) { m.Counters.SkippedFrames++ })
		return nil
	}
	if !a.started {
		a.started = true
		a.nextTS = jp.pkt.Timestamp
		a.channels = opusChannels(payload)
		a.offsetMS = a.t.sinceStart(jp.at)
		a.t.update(func(m *TrackManifest) { m.OffsetMS = a.offsetMS })
	}
	gap := int64(int32(jp.pkt.Timestamp - a.nextTS))
	switch {
	case gap < -maxGapSamples || gap > maxGapSamples:
		a.t.log.Warn("recorder: audio timestamp reset", "gap_samples", gap)
	case gap < 0:
		// Duplicate or overlapping timestamp (the SDK repeats one at
		// track end): the timeline already covers it.
		a.t.update(func(m *TrackManifest) { m.Counters.SkippedFrames++ })
		return nil
	default:
		if err := a.fillSilence(gap / silenceSamples); err != nil {
			return err
		}
	}
	a.offsetMS = a.t.refineOffset(a.offsetMS, a.t.sinceStart(jp.at)-a.samples*1000/opusSampleRate)
	if err := a.writeFrame(payload, n); err != nil {
		return err
	}
	a.nextTS = jp.pkt.Timestamp + uint32(n)
	a.t.update(func(m *TrackManifest) { m.Counters.Frames++ })
	return nil
}

// fillSilence writes count 20 ms silence frames.
func (a *audioWriter) fillSilence(count int64) error {
	for range count {
		if err := a.writeFrame(silenceFrame, silenceSamples); err != nil {
			return err
		}
	}
	if count > 0 {
		a.t.update(func(m *TrackManifest) { m.Counters.SilenceFrames += uint64(count) })
	}
	return nil
}

// writeFrame writes one packet, rotating the segment first when it is full.
func (a *audioWriter) writeFrame(pkt []byte, n int64) error {
	if a.ogg != nil && a.samples-a.segStart >= a.segSamples {
		if err := a.closeSegment(); err != nil {
			return err
		}
	}
	if a.ogg == nil {
		if err := a.openSegment(); err != nil {
			return err
		}
	}
	if err := a.ogg.WritePacket(pkt, n); err != nil {
		return err
	}
	a.samples += n
	dur := (a.samples - a.segStart) * 1000 / opusSampleRate
	total := a.samples * 1000 / opusSampleRate
	bytes := a.ogg.Bytes()
	a.t.update(func(m *TrackManifest) {
		s := &m.Segments[len(m.Segments)-1]
		s.DurationMS, s.Bytes = dur, bytes
		m.DurationMS = total
	})
	return nil
}

func (a *audioWriter) openSegment() error {
	f, name, err := a.t.openFile(&a.seq, "ogg")
	if err != nil {
		return err
	}
	serial := crc32.ChecksumIEEE([]byte(name))
	ogg, err := newOggOpusWriter(f, serial, a.channels, oggPageSamples)
	if err != nil {
		_ = f.Close()
		return err
	}
	a.file, a.ogg, a.segStart = f, ogg, a.samples
	a.t.firstByte(time.Now())
	seg := Segment{
		Seq:      a.seq,
		File:     name,
		OffsetMS: a.offsetMS + a.segStart*1000/opusSampleRate,
		Bytes:    ogg.Bytes(),
	}
	a.seq++
	a.t.update(func(m *TrackManifest) { m.Segments = append(m.Segments, seg) })
	a.t.changed()
	return nil
}

// closeSegment writes the end-of-stream page, syncs and closes the file.
func (a *audioWriter) closeSegment() error {
	if a.ogg == nil {
		return nil
	}
	err := a.ogg.Close()
	if serr := a.file.Sync(); err == nil {
		err = serr
	}
	if cerr := a.file.Close(); err == nil {
		err = cerr
	}
	bytes := a.ogg.Bytes()
	a.file, a.ogg = nil, nil
	if err != nil {
		return fmt.Errorf("recorder: close ogg segment: %w", err)
	}
	a.t.update(func(m *TrackManifest) {
		s := &m.Segments[len(m.Segments)-1]
		s.Bytes, s.Finalized = bytes, true
	})
	a.t.changed()
	return nil
}

func (a *audioWriter) close() error { return a.closeSegment() }
