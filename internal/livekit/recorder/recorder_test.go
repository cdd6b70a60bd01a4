package recorder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"meet/internal/livekit/livekittest"
)

// probeResult is the part of ffprobe's JSON the tests read.
type probeResult struct {
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		CodecName    string `json:"codec_name"`
		CodecType    string `json:"codec_type"`
		NbReadFrames string `json:"nb_read_frames"`
		Width        int    `json:"width"`
	} `json:"streams"`
}

func (p probeResult) duration() float64 {
	d, _ := strconv.ParseFloat(p.Format.Duration, 64)
	return d
}

func (p probeResult) frames() int {
	n := 0
	for _, s := range p.Streams {
		v, _ := strconv.Atoi(s.NbReadFrames)
		n += v
	}
	return n
}

// ffprobe decodes every frame of path and returns the summary and what
// ffprobe printed on stderr (decode errors).
func ffprobe(t *testing.T, path string) (probeResult, string) {
	t.Helper()
	p, errs, err := tryFFprobe(path)
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	return p, errs
}

// tryFFprobe is ffprobe for files that may legitimately not decode.
func tryFFprobe(path string) (probeResult, string, error) {
	cmd := exec.Command("ffprobe", "-v", "error", "-count_frames",
		"-show_entries", "format=duration:stream=codec_name,codec_type,nb_read_frames,width",
		"-of", "json", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var p probeResult
	if err := cmd.Run(); err != nil {
		return p, "", fmt.Errorf("%w: %s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
		return p, "", err
	}
	return p, strings.TrimSpace(stderr.String()), nil
}

func haveFFprobe() bool {
	_, err := exec.LookPath("ffprobe")
	return err == nil
}

// checkOggFile verifies page CRCs, monotonic granules and, if finalized,
// the end-of-stream flag on the last page. It returns the final granule.
func checkOggFile(t *testing.T, path string, finalized bool) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseOgg(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(pages) < 2 || pages[0].flags&oggFlagBOS == 0 {
		t.Fatalf("%s: %d pages, want OpusHead BOS page first", path, len(pages))
	}
	var last int64
	for i, p := range pages {
		if !p.crcOK {
			t.Errorf("%s: page %d: bad CRC", path, i)
		}
		if p.granule < last {
			t.Errorf("%s: page %d: granule %d < %d", path, i, p.granule, last)
		}
		last = p.granule
	}
	if eos := pages[len(pages)-1].flags&oggFlagEOS != 0; eos != finalized {
		t.Errorf("%s: last page EOS = %v, want %v", path, eos, finalized)
	}
	return last
}

func TestRecordScreenRecordingEndToEnd(t *testing.T) {
	sfu := startSFU(t)
	const room = "e2e-screen"
	const publishFor = 5 * time.Second
	dir := t.TempDir()
	token, err := NewToken(testAPIKey, testAPISecret, room, "e2e", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sess, err := Start(ctx, Options{
		WSURL: sfu.WSURL(), Token: token, Dir: dir, Mode: ModeScreenRecording,
		Segment: 2 * time.Second, CheckpointInterval: 500 * time.Millisecond,
		KeepWhenEmpty: true, Log: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	pubs := []*publisher{
		publish(t, sfu.WSURL(), room, "alice", true, publishFor),
		publish(t, sfu.WSURL(), room, "bob", true, publishFor),
	}
	for _, p := range pubs {
		waitChan(t, p.Done(), 30*time.Second, p.identity+" publishing")
	}
	res, err := sess.Stop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("start to first byte on disk: %s (recorder joined first)", sess.timeToFirstByte())
	if !res.Finalized || res.StopReason != "stop" {
		t.Errorf("result finalized=%v reason=%q", res.Finalized, res.StopReason)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Finalized || len(m.Tracks) != 4 || !IsRecorderIdentity(m.RecorderIdentity) {
		t.Fatalf("manifest finalized=%v tracks=%d recorder=%q", m.Finalized, len(m.Tracks), m.RecorderIdentity)
	}
	var files int
	for _, tr := range m.Tracks {
		files += len(tr.Segments)
		if IsRecorderIdentity(tr.ParticipantIdentity) {
			t.Errorf("recorder recorded itself: %+v", tr)
		}
		if !tr.Finalized || len(tr.Segments) < 2 {
			t.Errorf("%s %s: finalized=%v segments=%d, want finalized and rotated", tr.ParticipantIdentity, tr.Kind, tr.Finalized, len(tr.Segments))
		}
		for _, s := range tr.Segments {
			if !s.Finalized {
				t.Errorf("%s: not finalized", s.File)
			}
			if tr.Kind == "audio" {
				checkOggFile(t, filepath.Join(dir, s.File), true)
			}
		}
	}
	if len(res.Files) != files {
		t.Errorf("result lists %d files, manifest %d", len(res.Files), files)
	}

	if !haveFFprobe() {
		t.Skip("ffprobe not on PATH: decode and duration checks skipped (CI installs ffmpeg)")
	}
	byIdentity := map[string]*publisher{"alice": pubs[0], "bob": pubs[1]}
	for _, tr := range m.Tracks {
		p := byIdentity[tr.ParticipantIdentity]
		span, codec := p.AudioSpan, "opus"
		if tr.Kind == "video" {
			span, codec = p.VideoSpan, "vp8"
		}
		var got float64
		for _, s := range tr.Segments {
			pr, errs := ffprobe(t, filepath.Join(dir, s.File))
			if errs != "" || len(pr.Streams) != 1 || pr.Streams[0].CodecName != codec || pr.frames() == 0 {
				t.Errorf("%s: decode: %+v %q", s.File, pr, errs)
			}
			got += pr.duration()
		}
		first, end := span()
		recStart := m.StartedAt.Add(time.Duration(tr.OffsetMS) * time.Millisecond)
		want := end.Sub(recStart).Seconds()
		t.Logf("%s %s: %d segments, ffprobe %.3fs, published %.3fs since the track's first recorded sample (publishing began %s before it)",
			tr.ParticipantIdentity, tr.Kind, len(tr.Segments), got, want, recStart.Sub(first).Round(time.Millisecond))
		if math.Abs(got-want) > 0.05*want {
			t.Errorf("%s %s: recorded %.3fs, published %.3fs: off by more than 5%%", tr.ParticipantIdentity, tr.Kind, got, want)
		}
		if lag := recStart.Sub(first); lag > 1500*time.Millisecond {
			t.Errorf("%s %s: recording started %s after publishing", tr.ParticipantIdentity, tr.Kind, lag)
		}
	}

	t.Run("composite", func(t *testing.T) {
		if _, err := exec.LookPath("ffmpeg"); err != nil {
			t.Skip("ffmpeg not on PATH")
		}
		mix, err := Composite(ctx, dir, ModeTranscript)
		if err != nil {
			t.Fatal(err)
		}
		pr, errs := ffprobe(t, mix)
		if errs != "" || len(pr.Streams) != 1 || pr.duration() < publishFor.Seconds()*0.9 {
			t.Errorf("audio mix: %+v %q", pr, errs)
		}
		mp4, err := Composite(ctx, dir, ModeScreenRecording)
		if err != nil {
			t.Fatal(err)
		}
		pr, errs = ffprobe(t, mp4)
		if errs != "" || len(pr.Streams) != 2 || pr.duration() < publishFor.Seconds()*0.9 {
			t.Errorf("tiled mp4: %+v %q", pr, errs)
		}
		t.Logf("composite: %s %.2fs, %s %.2fs", filepath.Base(mix), pr.duration(), filepath.Base(mp4), pr.duration())
	})
}

func TestRecordTranscriptRecordsAudioOnlyAndStopsWhenEmpty(t *testing.T) {
	sfu := startSFU(t)
	const room = "e2e-transcript"
	dir := t.TempDir()
	// The publisher is in the room first: the recorder must subscribe to
	// the audio that already exists when it joins.
	alice := publish(t, sfu.WSURL(), room, "alice", true, 3*time.Second)
	token, err := NewToken(testAPIKey, testAPISecret, room, "transcript", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sess, err := Start(ctx, Options{
		WSURL: sfu.WSURL(), Token: token, Dir: dir, Mode: ModeTranscript,
		EmptyTimeout: 300 * time.Millisecond, Log: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	waitChan(t, alice.Done(), 30*time.Second, "alice publishing")
	alice.Leave()
	waitChan(t, sess.Done(), livekittest.DepartureWait, "the recorder to stop in the empty room")
	res, err := sess.Stop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.StopReason != "room_empty" || !res.Finalized || len(res.Files) == 0 {
		t.Fatalf("result %+v", res)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tracks) != 1 || m.Tracks[0].Kind != "audio" || m.Tracks[0].ParticipantIdentity != "alice" {
		t.Fatalf("tracks %+v, want alice's audio only", m.Tracks)
	}
	if m.Tracks[0].DurationMS < 1000 {
		t.Errorf("recorded %d ms of audio", m.Tracks[0].DurationMS)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != ManifestFile && filepath.Ext(e.Name()) != ".ogg" {
			t.Errorf("unexpected file %s in a transcript recording", e.Name())
		}
	}
}

func TestCrashKeepsCheckpointedSegments(t *testing.T) {
	sfu := startSFU(t)
	const room = "e2e-crash"
	dir := t.TempDir()
	publish(t, sfu.WSURL(), room, "alice", true, 60*time.Second)
	child := startRecorderChild(t, sfu.WSURL(), room, dir, ModeScreenRecording, time.Second)

	// Wait until the manifest shows completed segments of both tracks.
	waitFor(t, 30*time.Second, "two completed segments per track", func() bool {
		m, err := ReadManifest(dir)
		if err != nil || len(m.Tracks) != 2 {
			return false
		}
		for _, tr := range m.Tracks {
			done := 0
			for _, s := range tr.Segments {
				if s.Finalized {
					done++
				}
			}
			if done < 2 {
				return false
			}
		}
		return true
	})
	child.kill(t)

	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatalf("manifest after crash: %v", err)
	}
	if m.Finalized {
		t.Error("manifest of a crashed recording says finalized")
	}
	for _, tr := range m.Tracks {
		for i, s := range tr.Segments {
			path := filepath.Join(dir, s.File)
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("listed segment missing: %v", err)
			}
			last := i == len(tr.Segments)-1
			if !last && !s.Finalized {
				t.Errorf("%s: an earlier segment is not finalized", s.File)
			}
			if tr.Kind == "audio" {
				granule := checkOggFile(t, path, s.Finalized)
				if s.Finalized && math.Abs(float64(granule)/48-float64(s.DurationMS)) > 40 {
					t.Errorf("%s: granule %d vs manifest %d ms", s.File, granule, s.DurationMS)
				}
			}
			if !haveFFprobe() {
				continue
			}
			if !s.Finalized {
				// The open segment keeps what reached the disk: whole Ogg
				// pages (about 1 s each; none yet if it just rotated),
				// WebM blocks without Cues.
				pr, errs, err := tryFFprobe(path)
				t.Logf("%s (open at the crash): %d frames decode, %.2fs, %q %v", s.File, pr.frames(), pr.duration(), errs, err)
				continue
			}
			pr, errs := ffprobe(t, path)
			if pr.frames() == 0 {
				t.Errorf("%s: nothing decodes after the crash: %q", s.File, errs)
			}
			if s.Finalized {
				if errs != "" {
					t.Errorf("%s: decode errors: %s", s.File, errs)
				}
				if d := pr.duration() * 1000; math.Abs(d-float64(s.DurationMS)) > 100 {
					t.Errorf("%s: ffprobe %.0f ms, manifest %d ms", s.File, d, s.DurationMS)
				}
			}
		}
	}
	if !haveFFprobe() {
		t.Skip("ffprobe not on PATH: decode checks skipped (CI installs ffmpeg)")
	}
}
