package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoFFmpeg is returned by Composite when ffmpeg is not on PATH. The
// per-track files and the manifest are then the recording.
var ErrNoFFmpeg = errors.New("recorder: composite: ffmpeg not found on PATH")

// Composite output names inside the recording directory.
const (
	CompositeAudioFile = "composite.ogg"
	CompositeVideoFile = "composite.mp4"
)

// Composite canvas: tiles share a 1280x720 frame at 30 fps.
const (
	canvasW   = 1280
	canvasH   = 720
	canvasFPS = 30
)

// Composite mixes a finished recording in dir with ffmpeg and returns the
// path of the result: for ModeTranscript the audio of every participant
// mixed into composite.ogg (Opus), for ModeScreenRecording a tiled
// composite.mp4 (H.264 + AAC). Each file is placed on the timeline at its
// manifest offset. It returns ErrNoFFmpeg when ffmpeg is missing.
//
// Audio and video are separate ffmpeg passes, muxed at the end: ffmpeg 5.1
// produced broken AAC when amix shared a graph with video filters.
func Composite(ctx context.Context, dir string, mode Mode) (string, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", ErrNoFFmpeg
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return "", err
	}
	var audio []Segment
	var video [][]Segment
	var totalMS int64
	for _, t := range m.Tracks {
		var segs []Segment
		for _, s := range t.Segments {
			if s.DurationMS > 0 {
				segs = append(segs, s)
				totalMS = max(totalMS, s.OffsetMS+s.DurationMS)
			}
		}
		if len(segs) == 0 {
			continue
		}
		if t.Kind == "audio" {
			audio = append(audio, segs...)
		} else if mode == ModeScreenRecording {
			video = append(video, segs)
		}
	}
	switch mode {
	case ModeTranscript:
		if len(audio) == 0 {
			return "", errors.New("recorder: composite: no audio recorded")
		}
		out := filepath.Join(dir, CompositeAudioFile)
		return out, runFFmpeg(ctx, ffmpeg, mixAudioArgs(dir, audio, []string{"-c:a", "libopus", "-b:a", "64k"}, out))
	case ModeScreenRecording:
		if totalMS == 0 {
			return "", errors.New("recorder: composite: nothing recorded")
		}
		out := filepath.Join(dir, CompositeVideoFile)
		vtmp := filepath.Join(dir, ".composite-video.mp4")
		defer os.Remove(vtmp)
		if err := runFFmpeg(ctx, ffmpeg, tileVideoArgs(dir, video, totalMS, vtmp)); err != nil {
			return "", err
		}
		if len(audio) == 0 {
			return out, os.Rename(vtmp, out)
		}
		atmp := filepath.Join(dir, ".composite-audio.m4a")
		defer os.Remove(atmp)
		if err := runFFmpeg(ctx, ffmpeg, mixAudioArgs(dir, audio, []string{"-c:a", "aac", "-b:a", "128k"}, atmp)); err != nil {
			return "", err
		}
		return out, runFFmpeg(ctx, ffmpeg, []string{
			"-i", vtmp, "-i", atmp, "-map", "0:v", "-map", "1:a", "-c", "copy", "-movflags", "+faststart", out,
		})
	default:
		return "", fmt.Errorf("recorder: composite: unknown mode %q", mode)
	}
}

// mixAudioArgs delays every audio segment by its offset and sums them
// without normalisation (amix would otherwise lower each voice by the
// number of inputs).
func mixAudioArgs(dir string, segs []Segment, codec []string, out string) []string {
	var args []string
	var graph strings.Builder
	for i, s := range segs {
		args = append(args, "-i", filepath.Join(dir, s.File))
		fmt.Fprintf(&graph, "[%d:a]aresample=48000,adelay=delays=%d:all=1[a%d];", i, s.OffsetMS, i)
	}
	for i := range segs {
		fmt.Fprintf(&graph, "[a%d]", i)
	}
	fmt.Fprintf(&graph, "amix=inputs=%d:normalize=0:duration=longest[out]", len(segs))
	args = append(args, "-filter_complex", graph.String(), "-map", "[out]")
	args = append(args, codec...)
	return append(args, out)
}

// tileVideoArgs lays the video tracks out on a grid. Each tile is black
// until its first segment's offset and between segments, then shows the
// segments scaled to the tile, and holds its last frame to the end. Black
// lead-ins use color+concat: tpad start padding was dropped when stacking.
func tileVideoArgs(dir string, tracks [][]Segment, totalMS int64, out string) []string {
	total := float64(totalMS) / 1000
	if len(tracks) == 0 {
		return []string{
			"-f", "lavfi", "-i", fmt.Sprintf("color=c=black:s=%dx%d:r=%d:d=%.3f", canvasW, canvasH, canvasFPS, total),
			"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out,
		}
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(tracks)))))
	rows := (len(tracks) + cols - 1) / cols
	w, h := canvasW/cols&^1, canvasH/rows&^1
	black := func(d float64) string {
		return fmt.Sprintf("color=c=black:s=%dx%d:r=%d:d=%.3f,format=yuv420p,setsar=1", w, h, canvasFPS, d)
	}
	var args []string
	var graph strings.Builder
	input := 0
	for ti, segs := range tracks {
		var parts []string
		var cursor int64
		for k, s := range segs {
			if gap := s.OffsetMS - cursor; gap > 20 {
				fmt.Fprintf(&graph, "%s[g%d_%d];", black(float64(gap)/1000), ti, k)
				parts = append(parts, fmt.Sprintf("[g%d_%d]", ti, k))
			}
			args = append(args, "-i", filepath.Join(dir, s.File))
			fmt.Fprintf(&graph, "[%d:v]fps=%d,scale=%d:%d:force_original_aspect_ratio=decrease,"+
				"pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v%d_%d];",
				input, canvasFPS, w, h, w, h, ti, k)
			parts = append(parts, fmt.Sprintf("[v%d_%d]", ti, k))
			input++
			cursor = s.OffsetMS + s.DurationMS
		}
		rest := max(float64(totalMS-cursor)/1000, 0)
		fmt.Fprintf(&graph, "%sconcat=n=%d:v=1:a=0,tpad=stop_mode=clone:stop_duration=%.3f[t%d];",
			strings.Join(parts, ""), len(parts), rest, ti)
	}
	cells := cols * rows
	for ti := len(tracks); ti < cells; ti++ {
		fmt.Fprintf(&graph, "%s[t%d];", black(total), ti)
	}
	if cells == 1 {
		graph.WriteString("[t0]null[v]")
	} else {
		var layout []string
		for i := range cells {
			fmt.Fprintf(&graph, "[t%d]", i)
			layout = append(layout, fmt.Sprintf("%d_%d", i%cols*w, i/cols*h))
		}
		fmt.Fprintf(&graph, "xstack=inputs=%d:layout=%s[v]", cells, strings.Join(layout, "|"))
	}
	return append(args, "-filter_complex", graph.String(), "-map", "[v]",
		"-t", fmt.Sprintf("%.3f", total), "-r", fmt.Sprint(canvasFPS),
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out)
}

func runFFmpeg(ctx context.Context, ffmpeg string, args []string) error {
	args = append([]string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y"}, args...)
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := stderr.String()
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return fmt.Errorf("recorder: composite: ffmpeg: %w: %s", err, strings.TrimSpace(msg))
	}
	return nil
}
