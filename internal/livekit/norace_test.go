//go:build !race

package livekit

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
