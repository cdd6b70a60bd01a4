package httpapi

import (
	"net/http"
	"strconv"
	"sync"

	"meet/internal/apperr"
)

// DefaultLobbyStreamsPerClient is how many lobby push streams one client
// address (IPv6: one /64) may hold open at once on one server when
// Deps.LobbyStreamsPerClient is 0: a guest needs one, a host one per room
// it hosts, so twenty leaves room for a small office behind one NAT while one
// address can no longer hold hundreds.
const DefaultLobbyStreamsPerClient = 20

// lobbyStreamRetryAfter is the Retry-After of a refused stream, in seconds:
// streams last minutes, so an earlier retry would most likely be refused too.
const lobbyStreamRetryAfter = 10

// tooManyStreamsMessage is the detail of a refused stream.
const tooManyStreamsMessage = "Too many open lobby streams from this address."

// streamCounter counts the open streams of each client bucket. It is per
// process: it bounds what one address holds on this server, which is what
// costs memory here, and needs no shared store.
type streamCounter struct {
	mu   sync.Mutex
	open map[string]int
}

// acquire counts one more stream for bucket unless max are open already.
func (c *streamCounter) acquire(bucket string, max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open[bucket] >= max {
		return false
	}
	if c.open == nil {
		c.open = map[string]int{}
	}
	c.open[bucket]++
	return true
}

// release counts one stream of bucket as closed.
func (c *streamCounter) release(bucket string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open[bucket]--; c.open[bucket] <= 0 {
		delete(c.open, bucket)
	}
}

// openLobbyStream counts a lobby push stream against the client's address;
// release must be called when the stream ends. Past the limit it answers
// Throttled (429, with Retry-After) and the stream is not opened.
func (s *Server) openLobbyStream(w http.ResponseWriter, r *http.Request) (release func(), err error) {
	max := s.LobbyStreamsPerClient
	if max == 0 {
		max = DefaultLobbyStreamsPerClient
	}
	if max < 0 {
		return func() {}, nil
	}
	bucket := s.clientBucket(r)
	if !s.lobbyStreams.acquire(bucket, max) {
		w.Header().Set("Retry-After", strconv.Itoa(lobbyStreamRetryAfter))
		return nil, apperr.New(apperr.Throttled, tooManyStreamsMessage)
	}
	return func() { s.lobbyStreams.release(bucket) }, nil
}
