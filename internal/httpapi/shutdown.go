package httpapi

import (
	"context"
	"net/http"
	"sync"
)

// streams tracks the long-lived requests (the lobby's event streams) so that
// shutdown can end them: http.Server.Shutdown waits for every request to
// finish but never cancels their contexts, so an open stream would hold the
// shutdown until its deadline.
type streams struct {
	mu      sync.Mutex
	closing bool
	next    uint64
	open    map[uint64]context.CancelFunc
}

// streamContext returns the context a stream handler runs under: the
// request's, cancelled as well when the server shuts down. done must be
// called when the stream ends. A map of cancel functions rather than a
// goroutine per stream, which ten thousand waiting guests would multiply.
func (s *Server) streamContext(r *http.Request) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancel(r.Context())
	st := &s.streams
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closing {
		cancel()
		return ctx, func() {}
	}
	if st.open == nil {
		st.open = map[uint64]context.CancelFunc{}
	}
	id := st.next
	st.next++
	st.open[id] = cancel
	return ctx, func() {
		st.mu.Lock()
		delete(st.open, id)
		st.mu.Unlock()
		cancel()
	}
}

// Shutdown ends every open event stream, and every stream opened from now
// on, so that http.Server.Shutdown only waits for ordinary requests.
// Register it with http.Server.RegisterOnShutdown.
func (s *Server) Shutdown() {
	st := &s.streams
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closing = true
	for id, cancel := range st.open {
		cancel()
		delete(st.open, id)
	}
}
