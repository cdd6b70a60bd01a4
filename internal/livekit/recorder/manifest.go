package recorder

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ManifestFile is the name of the manifest inside a recording directory.
const ManifestFile = "manifest.json"

// ManifestVersion is the version of the manifest format written by this
// package.
const ManifestVersion = 1

// Manifest describes a recording directory: which tracks were recorded,
// into which files, and where each file sits on the recording's timeline.
// It is rewritten atomically while recording, so a reader always sees a
// complete document, at most CheckpointInterval old.
type Manifest struct {
	Version          int       `json:"version"`
	Room             string    `json:"room"`
	RoomSID          string    `json:"room_sid,omitempty"`
	Mode             Mode      `json:"mode"`
	RecorderIdentity string    `json:"recorder_identity"`
	StartedAt        time.Time `json:"started_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	EndedAt          time.Time `json:"ended_at,omitzero"`
	// DurationMS is the time from StartedAt to EndedAt (or to UpdatedAt
	// while recording).
	DurationMS int64 `json:"duration_ms"`
	// Finalized reports whether the recording was stopped cleanly and every
	// file was closed properly. A false value after the recorder is gone
	// means it crashed: segments listed as finalized are complete, the last
	// segment of each track is playable up to the last checkpoint.
	Finalized  bool            `json:"finalized"`
	StopReason string          `json:"stop_reason,omitempty"`
	Tracks     []TrackManifest `json:"tracks"`
}

// TrackManifest describes one recorded track.
type TrackManifest struct {
	ParticipantIdentity string    `json:"participant_identity"`
	ParticipantName     string    `json:"participant_name,omitempty"`
	ParticipantSID      string    `json:"participant_sid"`
	TrackSID            string    `json:"track_sid"`
	TrackName           string    `json:"track_name,omitempty"`
	Source              string    `json:"source"`
	Kind                string    `json:"kind"`
	Codec               string    `json:"codec"`
	SubscribedAt        time.Time `json:"subscribed_at"`
	EndedAt             time.Time `json:"ended_at,omitzero"`
	// OffsetMS is when the first sample was written, in milliseconds from
	// the start of the recording. It is meaningful only once Segments is
	// not empty.
	OffsetMS int64 `json:"offset_ms"`
	// DurationMS is the media duration written so far, all segments
	// together.
	DurationMS int64     `json:"duration_ms"`
	Segments   []Segment `json:"segments"`
	Counters   Counters  `json:"counters"`
	// Finalized reports whether the track ended and its last file was
	// closed properly.
	Finalized bool   `json:"finalized"`
	Error     string `json:"error,omitempty"`
}

// Segment is one file of a track.
type Segment struct {
	Seq int `json:"seq"`
	// File is the file name, relative to the recording directory.
	File string `json:"file"`
	// OffsetMS is the segment's first sample in milliseconds from the
	// start of the recording.
	OffsetMS   int64 `json:"offset_ms"`
	DurationMS int64 `json:"duration_ms"`
	Bytes      int64 `json:"bytes"`
	Width      int   `json:"width,omitempty"`
	Height     int   `json:"height,omitempty"`
	// Finalized reports whether the file was closed properly (Ogg
	// end-of-stream page, WebM Cues and Duration).
	Finalized bool `json:"finalized"`
}

// Counters are per-track statistics, useful to judge a recording's quality.
type Counters struct {
	Packets       uint64 `json:"packets"`
	Bytes         uint64 `json:"bytes"`
	Padding       uint64 `json:"padding"`
	Late          uint64 `json:"late"`
	Lost          uint64 `json:"lost"`
	Frames        uint64 `json:"frames"`
	SkippedFrames uint64 `json:"skipped_frames"`
	SilenceFrames uint64 `json:"silence_frames"`
	Keyframes     uint64 `json:"keyframes,omitempty"`
	PLIs          uint64 `json:"plis,omitempty"`
}

// ReadManifest reads the manifest of the recording in dir.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("recorder: read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("recorder: decode manifest: %w", err)
	}
	return &m, nil
}

// writeManifest replaces dir/manifest.json atomically: the document is
// written to a temporary file, synced, then renamed over the old one.
func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("recorder: encode manifest: %w", err)
	}
	f, err := os.CreateTemp(dir, ".manifest-*.tmp")
	if err != nil {
		return fmt.Errorf("recorder: write manifest: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, ManifestFile))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("recorder: write manifest: %w", err)
	}
	return nil
}
