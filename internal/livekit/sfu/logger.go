package sfu

import (
	"context"
	"log/slog"
	"strings"

	lklogger "github.com/livekit/protocol/logger"
	"github.com/livekit/protocol/logger/zaputil"
)

// slogLogger adapts an injected *slog.Logger to LiveKit's logger interface,
// so the embedded SFU logs through meet's handler instead of its own zap
// setup (whose InitFromConfig would also replace slog's default logger).
//
// LiveKit logs every join, track and ICE step at info level; those become
// debug records here so that meet's info log stays readable. Warnings and
// errors keep their level, except the routine ICE and RTP noise listed in
// routineWarnings, which is info-level news in a warning's clothes.
type slogLogger struct {
	l *slog.Logger
}

var _ lklogger.Logger = slogLogger{}

// NewLogger adapts l to LiveKit's logger interface, for the LiveKit SDKs'
// SetLogger: their participants log every ICE step, which then go through
// meet's handler at debug level instead of the standard library's logger.
func NewLogger(l *slog.Logger) lklogger.Logger { return slogLogger{l} }

func (s slogLogger) log(level slog.Level, msg string, err error, kv []any) {
	if !s.l.Enabled(context.Background(), level) {
		return
	}
	if err != nil {
		kv = append(kv, "error", err)
	}
	s.l.Log(context.Background(), level, msg, kv...)
}

func (s slogLogger) Debugw(msg string, kv ...any) { s.log(slog.LevelDebug-4, msg, nil, kv) }
func (s slogLogger) Infow(msg string, kv ...any)  { s.log(slog.LevelDebug, msg, nil, kv) }
func (s slogLogger) Warnw(msg string, err error, kv ...any) {
	level := slog.LevelWarn
	if routineWarning(msg) {
		level = slog.LevelDebug
	}
	s.log(level, msg, err, kv)
}
func (s slogLogger) Errorw(msg string, err error, kv ...any) {
	s.log(slog.LevelError, msg, err, kv)
}
func (s slogLogger) WithValues(kv ...any) lklogger.Logger { return slogLogger{s.l.With(kv...)} }
func (s slogLogger) WithUnlikelyValues(kv ...any) lklogger.UnlikelyLogger {
	return lklogger.NewUnlikelyLogger(s, kv...)
}
func (s slogLogger) WithName(name string) lklogger.Logger {
	return slogLogger{s.l.With("lk_logger", name)}
}
func (s slogLogger) WithComponent(c string) lklogger.Logger {
	return slogLogger{s.l.With("lk_component", c)}
}
func (s slogLogger) WithCallDepth(int) lklogger.Logger { return s }
func (s slogLogger) WithItemSampler() lklogger.Logger  { return s }
func (s slogLogger) WithoutSampler() lklogger.Logger   { return s }
func (s slogLogger) WithDeferredValues() (lklogger.Logger, lklogger.DeferredFieldResolver) {
	return s, zaputil.NoOpDeferrer{}
}

// routineWarnings start the warnings that pion (through LiveKit) logs in the
// ordinary course of a call: ICE checks before the browser's candidates
// arrive, candidates meet's loopback-only defaults do not use, packets that
// race a closing connection. LiveKit's own filter lists older wordings of
// some of them, which pion has since changed.
var routineWarnings = []string{
	"failed to ping without candidate pairs",
	"pingallcandidates called with no candidate pairs",
	"discarded message from",
	"discard message from",
	"discard success message from",
	"remote mdns candidate added, but mdns is disabled",
	"failed to discover mdns candidate",
	"failed to read from candidate",
	"ignoring remote candidate",
	"failed to find pair for add binding",
	"failed to send packet",
	"incoming unhandled rtcp ssrc",
	"failed to accept rtp stream is already closed",
	"failed to accept rtcp stream is already closed",
}

// routineWarning reports whether msg is one of routineWarnings.
func routineWarning(msg string) bool {
	m := strings.ToLower(msg)
	for _, p := range routineWarnings {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}
