// Package recorder records a LiveKit room from the inside: it joins as a
// hidden participant holding a recorder grant, subscribes to the published
// tracks and writes them to local files, one file series per track.
//
// It exists because LiveKit Egress (GStreamer, cgo, Chrome) cannot run in
// meet's deployments; a pure-Go subscriber replaces it for per-track
// recordings and audio-only transcripts. The design follows the measured
// prototype in shared/reference/track-recorder.md:
//
//   - Opus audio goes to Ogg through a small muxer of our own (pre-skip 0,
//     granule at packet end, about one page per second) and RTP timestamp
//     gaps are filled with 20 ms Opus silence frames so that decoders keep
//     the timeline.
//   - VP8 video goes to WebM through ebml-go with Cues and a real Duration.
//     Padding-only packets are dropped, a time-based jitter buffer (at most
//     500 ms) reorders packets, frames are gated on keyframes and a PLI is
//     sent at start and after loss.
//   - Files rotate every Options.Segment (five minutes by default) and a
//     manifest.json, rewritten atomically every few seconds and at every
//     track start and end, lists every segment with its offset from the
//     start of the recording. A crash therefore loses seconds, not the
//     meeting. Files are named <identity>_<trackSid>_<seq>.ogg|webm with a
//     four-digit seq; the identity is reduced to [A-Za-z0-9._-].
//   - Stopping disconnects, flushes each jitter buffer (the equivalent of
//     the samplebuilder's ForcePop) and finalizes files and manifest.
//   - Composite mixes the per-track files with ffmpeg after the recording
//     when ffmpeg is installed; without it the per-track files and the
//     manifest are the recording.
//
// The recorder's identity starts with IdentityPrefix ("meet-recorder-").
// Everything that looks at participants (this package, webhook handlers,
// participant lists) must ignore identities with that prefix.
//
// The package knows nothing about the database, HTTP or job queues: a
// recordings worker calls Start and Session.Stop and stores the Result.
// It imports the LiveKit SDK and must stay inside internal/livekit.
package recorder
