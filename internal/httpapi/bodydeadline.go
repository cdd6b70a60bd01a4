package httpapi

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultBodyTimeout is how long a client may take to send a request body
// when Deps.BodyTimeout is 0. Request bodies are JSON of at most 1 MiB; 15 s
// is 70 KiB/s for the largest, and cuts a client that trickles bytes to hold
// a connection.
const DefaultBodyTimeout = 15 * time.Second

// bodyDeadline bounds the time a client takes to send its request body: the
// connection's read deadline is set when a request with a body arrives and
// cleared once the body has been read to its end.
//
// Not http.Server.ReadTimeout: that deadline stays on the connection while
// the handler runs, and when it passes, the server's background read fails
// and cancels the request's context — the lobby's Server-Sent Event streams
// and the /rtc WebSocket would be cut after ReadTimeout. Requests without a
// body (the streams' GETs, WebSocket upgrades) get no deadline here; their
// headers are bounded by the server's ReadHeaderTimeout.
func bodyDeadline(next http.Handler, timeout time.Duration) http.Handler {
	if timeout <= 0 {
		timeout = DefaultBodyTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(timeout)); err != nil {
			next.ServeHTTP(w, r) // a writer without deadlines (httptest.ResponseRecorder)
			return
		}
		b := &deadlineBody{ReadCloser: r.Body, rc: rc}
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// deadlineBody clears the connection's read deadline once the body is read
// to its end, so that a handler running longer than the body timeout keeps
// its context (see bodyDeadline).
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	once sync.Once
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(func() { _ = b.rc.SetReadDeadline(time.Time{}) })
	}
	return n, err
}
