package analytics

import (
	"sync"
	"time"
)

// Event is one analytics event. Identify events carry the person's
// properties; Track events a named action.
type Event struct {
	// Identify is true for an identify event ($identify in PostHog).
	Identify bool
	// Name is the tracked event's name (empty for identify events).
	Name string
	// DistinctID identifies the person: meet's user id, never an e-mail address.
	DistinctID string
	// Properties are the event's properties (identify: the person's).
	Properties map[string]any
	// Time is when the event happened.
	Time time.Time
}

// queued is an event with its position in the stream, so the sender can
// acknowledge exactly what it sent even when older events were dropped
// meanwhile.
type queued struct {
	seq uint64
	ev  Event
}

// queue is a bounded FIFO that drops its oldest event when full. Events stay
// in it until the sender acknowledges them, so a failed batch is retried and
// nothing is lost while the queue has room.
type queue struct {
	mu      sync.Mutex
	items   []queued
	limit   int
	nextSeq uint64
	dropped uint64
}

func newQueue(limit int) *queue { return &queue{limit: limit} }

// push appends ev, dropping the oldest event when the queue is full; it
// reports whether one was dropped.
func (q *queue) push(ev Event) (dropped bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) >= q.limit {
		q.items = q.items[1:]
		q.dropped++
		dropped = true
	}
	q.nextSeq++
	q.items = append(q.items, queued{seq: q.nextSeq, ev: ev})
	return dropped
}

// peek returns up to n of the oldest events, without removing them, and the
// sequence number of the last one.
func (q *queue) peek(n int) ([]Event, uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items))
	if n == 0 {
		return nil, 0
	}
	out := make([]Event, n)
	for i := range n {
		out[i] = q.items[i].ev
	}
	return out, q.items[n-1].seq
}

// ack removes every event up to and including seq (those still queued).
func (q *queue) ack(seq uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := 0
	for i < len(q.items) && q.items[i].seq <= seq {
		i++
	}
	// Copy down so the backing array does not grow without bound.
	q.items = append(q.items[:0], q.items[i:]...)
}

// len returns how many events wait.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
