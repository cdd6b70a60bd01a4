package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"meet/internal/apperr"
)

// statusOf is the one place where an error kind becomes an HTTP status.
func statusOf(kind apperr.Kind) int {
	switch kind {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Throttled:
		return http.StatusTooManyRequests
	case apperr.Unsupported:
		return http.StatusUnsupportedMediaType
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	case apperr.BadGateway:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// writeError renders err in La Suite Meet's error shapes: {"field": [...]} for
// validation errors, {"<key>": "message"} otherwise ("detail" by default). The
// cause is logged, never sent; internal errors get a generic message.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *apperr.Error
	if !errors.As(err, &e) {
		e = apperr.Wrap(apperr.Internal, "", err)
	}
	status := statusOf(e.Kind)
	if status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestIDFrom(r.Context()))
	} else if e.Err != nil {
		log.DebugContext(r.Context(), "request refused", "err", err)
	}
	if e.Kind == apperr.Unauthenticated && w.Header().Get("WWW-Authenticate") == "" {
		// Session authentication's scheme, unless the handler named its own.
		w.Header().Set("WWW-Authenticate", "Session")
	}
	if status == http.StatusTooManyRequests {
		setRetryAfter(w, err)
	}
	if len(e.Fields) > 0 {
		writeJSON(w, status, e.Fields)
		return
	}
	msg := e.Msg
	if msg == "" {
		msg = defaultMessage(status)
	}
	key := e.Key
	if key == "" {
		key = "detail"
	}
	writeJSON(w, status, map[string]string{key: msg})
}

// setRetryAfter tells a throttled client when to come back: the wait its
// error carries (apperr.RetryAfter, or any cause with WaitSeconds), else one
// second, so that every 429 has the header. A header the handler set is kept.
func setRetryAfter(w http.ResponseWriter, err error) {
	if w.Header().Get("Retry-After") != "" {
		return
	}
	secs := 1
	var wait interface{ WaitSeconds() int }
	if errors.As(err, &wait) {
		secs = max(1, wait.WaitSeconds())
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

func defaultMessage(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Invalid request."
	case http.StatusUnauthorized:
		return "Authentication credentials were not provided."
	case http.StatusForbidden:
		return "You do not have permission to perform this action."
	case http.StatusNotFound:
		return "Not found."
	case http.StatusConflict:
		return "Conflict."
	case http.StatusTooManyRequests:
		return "Request was throttled."
	case http.StatusServiceUnavailable:
		return "Service temporarily unavailable, try again later."
	case http.StatusBadGateway:
		return "An upstream service failed."
	}
	return "A server error occurred."
}

// methodNotAllowed answers 405 on a route that exists for other methods only,
// where a broader pattern would otherwise take the request (PATCH users/me/
// would reach users/{id}/). dispatch leaves such routes out of Allow.
type methodNotAllowed struct{ allow string }

func (m methodNotAllowed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", m.allow)
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": `Method "` + r.Method + `" not allowed.`})
}
