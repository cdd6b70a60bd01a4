package sfu

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRoutineICEWarningsLogBelowWarn(t *testing.T) {
	var buf bytes.Buffer
	l := slogLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	l.WithComponent("pion.ice").Warnw("Failed to ping without candidate pairs. Connection is not possible yet.", nil)
	l.Warnw("Discarded message from 127.0.0.1:5000, not a valid remote candidate", nil)
	if buf.Len() != 0 {
		t.Errorf("routine ICE warnings reached the info log:\n%s", buf.String())
	}
	l.Warnw("could not start room", errors.New("boom"))
	if out := buf.String(); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "could not start room") {
		t.Errorf("a real warning lost its level: %q", out)
	}
}
