package recorder

import (
	"time"

	"github.com/pion/rtp"
)

// maxJitterPackets bounds the reorder buffer whatever the delay: beyond it
// the oldest gap is declared lost.
const maxJitterPackets = 2048

// seqJumpReset is the forward sequence jump treated as a stream restart
// rather than as loss.
const seqJumpReset = 3000

// jitterPacket is a packet leaving the jitter buffer in sequence order.
type jitterPacket struct {
	pkt *rtp.Packet
	// at is when the packet was received.
	at time.Time
	// lost is the number of packets missing right before this one.
	lost uint64
}

type jitterEntry struct {
	pkt *rtp.Packet
	ext uint64
	at  time.Time
}

// jitterBuffer reorders RTP packets by sequence number and declares a gap
// lost once the packets behind it have waited maxDelay. Unlike the SDK's
// samplebuilder, whose latency is counted in packets and therefore depends
// on the bitrate, the delay here is a time: PLIs after a loss go out after
// at most maxDelay whatever the stream.
//
// Padding-only packets must be pushed too (and ignored when they come out):
// they occupy sequence numbers, and dropping them before the buffer would
// look like loss.
type jitterBuffer struct {
	maxDelay time.Duration
	started  bool
	lastSeq  uint16
	lastExt  uint64
	next     uint64
	buf      []jitterEntry

	late uint64 // packets behind the emitted sequence, duplicates included
	lost uint64 // packets never received
}

func newJitterBuffer(maxDelay time.Duration) *jitterBuffer {
	return &jitterBuffer{maxDelay: maxDelay}
}

// push adds a packet received at time at. Packets older than the last one
// emitted are counted as late and dropped.
func (j *jitterBuffer) push(p *rtp.Packet, at time.Time, emit func(jitterPacket)) {
	if !j.started {
		j.started = true
		j.lastSeq = p.SequenceNumber
		j.lastExt = 1<<32 + uint64(p.SequenceNumber)
		j.next = j.lastExt
	}
	diff := int16(p.SequenceNumber - j.lastSeq)
	ext := uint64(int64(j.lastExt) + int64(diff))
	if diff > 0 {
		j.lastSeq = p.SequenceNumber
		j.lastExt = ext
	}
	if ext < j.next {
		j.late++
		return
	}
	if ext-j.next > seqJumpReset {
		// The sender restarted its sequence (or a very long outage):
		// release what we hold and resynchronise on this packet.
		j.pop(at, true, emit)
		j.next = ext
	}
	i := len(j.buf)
	for i > 0 && j.buf[i-1].ext > ext {
		i--
	}
	if i > 0 && j.buf[i-1].ext == ext {
		j.late++
		return
	}
	j.buf = append(j.buf, jitterEntry{})
	copy(j.buf[i+1:], j.buf[i:])
	j.buf[i] = jitterEntry{pkt: p, ext: ext, at: at}
	j.pop(at, len(j.buf) > maxJitterPackets, emit)
}

// pop emits every packet that is in sequence, and skips a gap once the
// packets waiting behind it are older than maxDelay. With force it empties
// the buffer (the ForcePop of this buffer, used at the end of a track).
func (j *jitterBuffer) pop(now time.Time, force bool, emit func(jitterPacket)) {
	for len(j.buf) > 0 {
		e := j.buf[0]
		var lost uint64
		if e.ext != j.next {
			if !force && now.Sub(j.oldest()) < j.maxDelay {
				return
			}
			lost = e.ext - j.next
			j.lost += lost
		}
		copy(j.buf, j.buf[1:])
		j.buf[len(j.buf)-1] = jitterEntry{}
		j.buf = j.buf[:len(j.buf)-1]
		j.next = e.ext + 1
		emit(jitterPacket{pkt: e.pkt, at: e.at, lost: lost})
	}
}

// oldest returns the earliest arrival time among the buffered packets.
func (j *jitterBuffer) oldest() time.Time {
	t := j.buf[0].at
	for _, e := range j.buf[1:] {
		if e.at.Before(t) {
			t = e.at
		}
	}
	return t
}
