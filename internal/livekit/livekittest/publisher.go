package livekittest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	lkauth "github.com/livekit/protocol/auth"
	lkproto "github.com/livekit/protocol/livekit"
	protologger "github.com/livekit/protocol/logger"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
)

// The publishers' media are real encoder output (the recorder's fixtures):
// a 440 Hz Opus tone in 20 ms frames and a 320x180 VP8 test pattern.
var (
	//go:embed testdata/tone.ogg
	toneOgg []byte
	//go:embed testdata/testsrc.ivf
	testsrcIVF []byte
)

const (
	audioFrame = 20 * time.Millisecond
	videoFrame = 33 * time.Millisecond
)

// JoinToken mints a plain join token for identity in room.
func JoinToken(t testing.TB, apiKey, apiSecret, room, identity string) string {
	t.Helper()
	jwt, err := lkauth.NewAccessToken(apiKey, apiSecret).SetIdentity(identity).SetName("Name of " + identity).
		SetVideoGrant(&lkauth.VideoGrant{RoomJoin: true, Room: room}).SetValidFor(time.Hour).ToJWT()
	if err != nil {
		t.Fatalf("livekittest: token: %v", err)
	}
	return jwt
}

// Publisher is a Go participant sending real Opus (and VP8) frames.
type Publisher struct {
	room         *lksdk.Room
	audio, video *loopProvider
	done         chan struct{}
}

// Publish joins with token and sends Opus audio, and VP8 video when
// withVideo, for d; it disconnects when the test ends.
func Publish(t testing.TB, wsURL, token string, withVideo bool, d time.Duration) *Publisher {
	t.Helper()
	room, err := lksdk.ConnectToRoomWithToken(wsURL, token, lksdk.NewRoomCallback(),
		lksdk.WithAutoSubscribe(false), lksdk.WithLogger(protologger.GetDiscardLogger()))
	if err != nil {
		t.Fatalf("livekittest: publisher connect: %v", err)
	}
	t.Cleanup(room.Disconnect)
	p := &Publisher{room: room, done: make(chan struct{})}
	var wg sync.WaitGroup
	start := func(prov *loopProvider, c webrtc.RTPCodecCapability, opts *lksdk.TrackPublicationOptions) {
		track, err := lksdk.NewLocalSampleTrack(c)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		if err := track.StartWrite(prov, wg.Done); err != nil {
			t.Fatal(err)
		}
		if _, err := room.LocalParticipant.PublishTrack(track, opts); err != nil {
			t.Fatalf("livekittest: publish: %v", err)
		}
	}
	p.audio = &loopProvider{frames: opusPackets(t), dur: audioFrame, count: int(d / audioFrame)}
	start(p.audio, webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2},
		&lksdk.TrackPublicationOptions{Name: "mic", Source: lkproto.TrackSource_MICROPHONE})
	if withVideo {
		p.video = &loopProvider{frames: vp8Frames(t), dur: videoFrame, count: int(d / videoFrame)}
		start(p.video, webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
			&lksdk.TrackPublicationOptions{Name: "camera", Source: lkproto.TrackSource_CAMERA, VideoWidth: 320, VideoHeight: 180})
	}
	go func() {
		wg.Wait()
		close(p.done)
	}()
	return p
}

// Done is closed once every track sent its last frame.
func (p *Publisher) Done() <-chan struct{} { return p.done }

// AudioSpan returns when the first audio frame went out and when the audio ended.
func (p *Publisher) AudioSpan() (time.Time, time.Time) { return p.audio.span() }

// VideoSpan returns when the first video frame went out and when the video
// ended (zero times without video).
func (p *Publisher) VideoSpan() (time.Time, time.Time) {
	if p.video == nil {
		return time.Time{}, time.Time{}
	}
	return p.video.span()
}

// Leave disconnects the publisher.
func (p *Publisher) Leave() { p.room.Disconnect() }

// loopProvider hands out frames in a loop, count in all, with an explicit
// duration (the SDK's own IVF pacing is wrong).
type loopProvider struct {
	lksdk.BaseSampleProvider
	frames [][]byte
	dur    time.Duration
	count  int

	mu          sync.Mutex
	n           int
	first, last time.Time
}

func (p *loopProvider) NextSample(context.Context) (media.Sample, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n >= p.count {
		return media.Sample{}, io.EOF
	}
	now := time.Now()
	if p.n == 0 {
		p.first = now
	}
	p.last = now
	f := p.frames[p.n%len(p.frames)]
	p.n++
	return media.Sample{Data: f, Duration: p.dur}, nil
}

func (p *loopProvider) span() (time.Time, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first, p.last.Add(p.dur)
}

// opusPackets returns the audio packets of the Ogg fixture (one packet per
// page segment run; the fixture has no packet spanning pages).
func opusPackets(t testing.TB) [][]byte {
	t.Helper()
	b := toneOgg
	var pkts [][]byte
	var partial []byte
	for len(b) >= 27 && string(b[:4]) == "OggS" {
		n := int(b[26])
		table := b[27 : 27+n]
		data := b[27+n:]
		size := 0
		for _, v := range table {
			size += int(v)
		}
		seg := data[:size]
		for _, v := range table {
			partial = append(partial, seg[:v]...)
			seg = seg[v:]
			if v < 255 {
				if !bytes.HasPrefix(partial, []byte("OpusHead")) && !bytes.HasPrefix(partial, []byte("OpusTags")) {
					pkts = append(pkts, partial)
				}
				partial = nil
			}
		}
		b = data[size:]
	}
	if len(pkts) == 0 {
		t.Fatal("livekittest: no Opus packets in the fixture")
	}
	return pkts
}

// vp8Frames returns the frames of the IVF fixture.
func vp8Frames(t testing.TB) [][]byte {
	t.Helper()
	r, _, err := ivfreader.NewWith(bytes.NewReader(testsrcIVF))
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
