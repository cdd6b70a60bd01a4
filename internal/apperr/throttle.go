package apperr

import (
	"fmt"
	"math"
	"time"
)

// RetryAfter is the cause of a Throttled error: how long until the caller
// may try again. The HTTP layer sends it as the Retry-After header.
type RetryAfter struct{ Wait time.Duration }

// Error describes the wait, for logs.
func (e *RetryAfter) Error() string { return "throttled for " + e.Wait.String() }

// WaitSeconds is the wait rounded up to whole seconds, at least one, as
// Django REST framework reports it (a zero Retry-After would invite an
// immediate retry that is refused again).
func (e *RetryAfter) WaitSeconds() int { return max(1, int(math.Ceil(e.Wait.Seconds()))) }

// Throttle returns the Throttled error of a refused request that may be
// retried after wait, with La Suite Meet's (Django REST framework's) message:
// "Request was throttled. Expected available in N seconds." ("1 second" in
// the singular).
func Throttle(wait time.Duration) *Error {
	ra := &RetryAfter{Wait: wait}
	unit := "seconds"
	if ra.WaitSeconds() == 1 {
		unit = "second"
	}
	return Wrap(Throttled, fmt.Sprintf("Request was throttled. Expected available in %d %s.", ra.WaitSeconds(), unit), ra)
}
