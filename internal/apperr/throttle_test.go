package apperr_test

import (
	"errors"
	"testing"
	"time"

	"meet/internal/apperr"
)

func TestThrottle(t *testing.T) {
	for _, tt := range []struct {
		wait time.Duration
		msg  string
		secs int
	}{
		{0, "Request was throttled. Expected available in 1 second.", 1},
		{200 * time.Millisecond, "Request was throttled. Expected available in 1 second.", 1},
		{time.Second, "Request was throttled. Expected available in 1 second.", 1},
		{1001 * time.Millisecond, "Request was throttled. Expected available in 2 seconds.", 2},
		{59 * time.Second, "Request was throttled. Expected available in 59 seconds.", 59},
	} {
		err := apperr.Throttle(tt.wait)
		var ra *apperr.RetryAfter
		if err.Kind != apperr.Throttled || err.Msg != tt.msg || !errors.As(err, &ra) || ra.WaitSeconds() != tt.secs {
			t.Errorf("Throttle(%v) = %+v, want %q and %d s", tt.wait, err, tt.msg, tt.secs)
		}
	}
}
