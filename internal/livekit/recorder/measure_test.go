package recorder

import (
	"flag"
	"fmt"
	"testing"
	"time"
)

var measure = flag.Bool("recorder.measure", false, "run TestMeasureRecorder (CPU, RSS and first-byte latency of a recorder process)")

// TestMeasureRecorder measures a recorder running in its own process
// against publishers in this one:
//
//	go test ./internal/livekit/recorder -run TestMeasureRecorder -recorder.measure -v
//
// CPU and max RSS come from the child's rusage; "first byte" is the time
// from Start to the first byte of a media file, with the recorder joining a
// room where media already flows.
func TestMeasureRecorder(t *testing.T) {
	if !*measure {
		t.Skip("measurement: run with -recorder.measure")
	}
	const recordFor = 15 * time.Second
	scenarios := []struct {
		name         string
		publishers   int
		video        bool
		mode         Mode
		participants int
	}{
		{"idle (empty room)", 0, false, ModeTranscript, 0},
		{"2 participants, audio only (transcript)", 2, true, ModeTranscript, 2},
		{"2 participants, audio+video (screen_recording)", 2, true, ModeScreenRecording, 2},
		{"4 participants, audio+video (screen_recording)", 4, true, ModeScreenRecording, 4},
	}
	var report []string
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sfu := startSFU(t)
			room := fmt.Sprintf("measure-%d", i)
			var pubs []*publisher
			for p := range sc.publishers {
				pubs = append(pubs, publish(t, sfu.WSURL(), room, fmt.Sprintf("p%d", p), sc.video, recordFor+10*time.Second))
			}
			dir := t.TempDir()
			if len(pubs) > 0 {
				// Let media flow before the recorder joins.
				waitFor(t, 10*time.Second, "media flowing", func() bool {
					first, _ := pubs[len(pubs)-1].AudioSpan()
					return !first.IsZero() && time.Since(first) > 500*time.Millisecond
				})
			}
			child := startRecorderChild(t, sfu.WSURL(), room, dir, sc.mode, DefaultSegment)
			start := time.Now()
			waitFor(t, 20*time.Second, "the recorder's manifest", func() bool {
				_, err := ReadManifest(dir)
				return err == nil
			})
			<-time.After(recordFor - time.Since(start)) // pacing the measurement window, not synchronisation
			rep, ru := child.terminate(t)
			wall := time.Since(start).Seconds()
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
			rss := float64(ru.Maxrss) / 1024
			line := fmt.Sprintf("%-48s cpu %.2fs/%.1fs = %4.1f%% of a core", sc.name, cpu, wall, 100*cpu/wall)
			if sc.participants > 0 {
				line += fmt.Sprintf(" (%.1f%% per participant)", 100*cpu/wall/float64(sc.participants))
			}
			line += fmt.Sprintf(", max RSS %.1f MB, connect %.0f ms, first byte %.0f ms, stop %.0f ms, files %d, finalized %v",
				rss, rep.ConnectMS, rep.FirstByteMS, rep.StopMS, rep.Files, rep.Finalized)
			t.Log(line)
			report = append(report, line)
		})
	}
	for _, l := range report {
		fmt.Println(l)
	}
}
