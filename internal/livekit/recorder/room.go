package recorder

import (
	"strings"
	"time"

	"github.com/livekit/protocol/livekit"
	protologger "github.com/livekit/protocol/logger"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
)

func (s *Session) connectOptions() []lksdk.ConnectOption {
	return []lksdk.ConnectOption{
		// In transcript mode nothing is subscribed unless asked, so the SFU
		// never forwards video to the recorder.
		lksdk.WithAutoSubscribe(s.opts.Mode == ModeScreenRecording),
		// The SDK logs through the protocol package's process-wide zap
		// logger; keep it out of ours (our own logs cover the session).
		lksdk.WithLogger(protologger.GetDiscardLogger()),
	}
}

func (s *Session) callbacks() *lksdk.RoomCallback {
	cb := lksdk.NewRoomCallback()
	cb.ParticipantCallback.OnTrackSubscribed = s.onTrackSubscribed
	cb.ParticipantCallback.OnTrackPublished = func(pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
		if s.opts.Mode == ModeTranscript {
			s.subscribeAudio(pub, rp)
		}
	}
	cb.OnParticipantConnected = func(*lksdk.RemoteParticipant) { s.checkEmpty("") }
	cb.OnParticipantDisconnected = func(rp *lksdk.RemoteParticipant) { s.checkEmpty(rp.SID()) }
	cb.OnDisconnected = func() { go s.finish("disconnected") }
	return cb
}

// subscribeAudio subscribes to pub when it is a participant's audio track
// (transcript mode subscribes to nothing else). Subscribing twice is
// harmless; asking pub.IsSubscribed() first is not: in server-sdk-go v2.17.0
// it reads a field the SDK's track goroutine writes without a lock.
func (s *Session) subscribeAudio(pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
	if IsRecorderIdentity(rp.Identity()) || pub.Kind() != lksdk.TrackKindAudio {
		return
	}
	if err := pub.SetSubscribed(true); err != nil {
		s.log.Warn("recorder: subscribe failed", "track_sid", pub.SID(), "err", err)
	}
}

func (s *Session) onTrackSubscribed(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
	if IsRecorderIdentity(rp.Identity()) {
		return
	}
	log := s.log.With("participant_identity", rp.Identity(), "track_sid", pub.SID())
	kind := track.Kind()
	if s.opts.Mode == ModeTranscript && kind != webrtc.RTPCodecTypeAudio {
		_ = pub.SetSubscribed(false)
		return
	}
	mime := strings.ToLower(track.Codec().MimeType)
	if mime != strings.ToLower(webrtc.MimeTypeOpus) && mime != strings.ToLower(webrtc.MimeTypeVP8) {
		log.Warn("recorder: unsupported codec, track not recorded", "codec", mime)
		return
	}
	if kind == webrtc.RTPCodecTypeVideo {
		// Ask for the top simulcast layer.
		_ = pub.SetVideoQuality(livekit.VideoQuality_HIGH)
	}
	ssrc := track.SSRC()
	t := &trackRecorder{
		log:       log,
		dir:       s.opts.Dir,
		base:      fileBase(rp.Identity(), pub.SID()),
		segment:   s.opts.Segment,
		start:     s.start,
		maxDelay:  s.opts.JitterLatency,
		firstByte: s.noteFirstByte,
		pli:       func() { rp.WritePLI(ssrc) },
		info: TrackManifest{
			ParticipantIdentity: rp.Identity(),
			ParticipantName:     rp.Name(),
			ParticipantSID:      rp.SID(),
			TrackSID:            pub.SID(),
			TrackName:           pub.Name(),
			Source:              strings.ToLower(pub.Source().String()),
			Kind:                kind.String(),
			Codec:               mime,
			SubscribedAt:        time.Now().UTC(),
			Segments:            []Segment{},
		},
	}
	t.changed = func() {
		if err := s.checkpoint(); err != nil {
			t.log.Error("recorder: manifest checkpoint failed", "err", err)
		}
	}
	var w mediaWriter
	if kind == webrtc.RTPCodecTypeAudio {
		w = newAudioWriter(t)
	} else {
		w = newVideoWriter(t)
	}

	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return
	}
	s.tracks = append(s.tracks, t)
	s.tracksWG.Add(1)
	s.mu.Unlock()
	log.Info("recorder: track subscribed", "kind", kind.String(), "codec", mime)
	t.changed()
	go func() {
		defer s.tracksWG.Done()
		t.run(track, w)
		log.Info("recorder: track ended")
	}()
}

// checkEmpty arms the empty-room timer when no participant other than
// recorders remains, and disarms it when one is present. leftSID is a
// participant that just left and must not be counted.
func (s *Session) checkEmpty(leftSID string) {
	if s.opts.KeepWhenEmpty {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.room == nil || s.stopping {
		return
	}
	present := 0
	for _, rp := range s.room.GetRemoteParticipants() {
		if rp.SID() != leftSID && !IsRecorderIdentity(rp.Identity()) {
			present++
		}
	}
	if present > 0 {
		if s.emptyTimer != nil {
			s.emptyTimer.Stop()
			s.emptyTimer = nil
		}
		return
	}
	if s.emptyTimer == nil {
		s.log.Info("recorder: room is empty", "stop_in_ms", s.opts.EmptyTimeout.Milliseconds())
		s.emptyTimer = time.AfterFunc(s.opts.EmptyTimeout, func() { s.finish("room_empty") })
	}
}
