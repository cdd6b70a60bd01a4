package lobby

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"meet/internal/rooms"
)

// hub fans a replica's lobby events out to its open streams. It subscribes to
// the Broker once per room that has at least one local stream, and wakes
// only the streams an event concerns: the room's host streams always, a guest
// stream when the event names its participant or the whole room. Wake-ups are
// coalesced (a stream that has not yet reacted to one does not queue another)
// because a woken stream re-reads the store anyway.
type hub struct {
	broker Broker
	log    *slog.Logger

	mu    sync.Mutex
	rooms map[string]*hubRoom
}

type hubRoom struct {
	hosts  map[*watcher]struct{}
	guests map[string]map[*watcher]struct{}
	cancel func()
	read   *roomRead // the latest shared re-read of the room's row
}

// roomRead is one read of a room's row shared by the room's local streams;
// room, err and at are set before done is closed.
type roomRead struct {
	done chan struct{}
	room *rooms.Room
	err  error
	at   time.Time
}

// watcher is one open stream's wake-up signal.
type watcher struct{ c chan struct{} }

func (w *watcher) wake() {
	select {
	case w.c <- struct{}{}:
	default:
	}
}

func newHub(b Broker, log *slog.Logger) *hub {
	return &hub{broker: b, log: log, rooms: map[string]*hubRoom{}}
}

// publish sends ev through the broker, or straight to local streams when
// there is no broker.
func (h *hub) publish(ctx context.Context, ev Event) error {
	if h.broker == nil {
		h.deliver(ev)
		return nil
	}
	return h.broker.Publish(ctx, ev)
}

// watch registers a stream for a room's events: every event when participant
// is empty (hosts), else the events of that participant and of the whole room.
func (h *hub) watch(ctx context.Context, roomID, participant string) (*watcher, func(), error) {
	w := &watcher{c: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[roomID]
	if r == nil {
		r = &hubRoom{hosts: map[*watcher]struct{}{}, guests: map[string]map[*watcher]struct{}{}}
		if h.broker != nil {
			cancel, err := h.broker.Subscribe(ctx, roomID, h.deliver)
			if err != nil {
				return nil, nil, err
			}
			r.cancel = cancel
		}
		h.rooms[roomID] = r
	}
	if participant == "" {
		r.hosts[w] = struct{}{}
	} else {
		set := r.guests[participant]
		if set == nil {
			set = map[*watcher]struct{}{}
			r.guests[participant] = set
		}
		set[w] = struct{}{}
	}
	return w, func() { h.unwatch(roomID, participant, w) }, nil
}

func (h *hub) unwatch(roomID, participant string, w *watcher) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[roomID]
	if r == nil {
		return
	}
	if participant == "" {
		delete(r.hosts, w)
	} else if set := r.guests[participant]; set != nil {
		delete(set, w)
		if len(set) == 0 {
			delete(r.guests, participant)
		}
	}
	if len(r.hosts) == 0 && len(r.guests) == 0 {
		delete(h.rooms, roomID)
		if r.cancel != nil {
			r.cancel()
		}
	}
}

// deliver wakes the local streams ev concerns. It never blocks.
func (h *hub) deliver(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[ev.Room]
	if r == nil {
		return
	}
	for w := range r.hosts {
		w.wake()
	}
	if ev.Participant != "" {
		for w := range r.guests[ev.Participant] {
			w.wake()
		}
		return
	}
	for _, set := range r.guests {
		for w := range set {
			w.wake()
		}
	}
}

// sharedReadTimeout bounds a shared room read, which runs detached from the
// stream that started it so that stream's end does not fail the others.
const sharedReadTimeout = 10 * time.Second

// lookup returns roomID's row as read at most maxAge ago for any local
// stream of the room, calling read when there is no such read; concurrent
// callers wait for one read instead of each querying the database. Open
// guest streams re-check their room periodically, and without this a room
// with 10,000 waiting guests cost 2,000 database reads a second.
func (h *hub) lookup(ctx context.Context, roomID string, maxAge time.Duration, read func(context.Context) (*rooms.Room, error)) (*rooms.Room, error) {
	h.mu.Lock()
	r := h.rooms[roomID]
	if r == nil { // no stream registered: nothing to share
		h.mu.Unlock()
		return read(ctx)
	}
	rr := r.read
	if rr != nil {
		select {
		case <-rr.done:
			if time.Since(rr.at) >= maxAge {
				rr = nil
			}
		default: // in flight: wait for it
		}
	}
	if rr == nil {
		rr = &roomRead{done: make(chan struct{})}
		r.read = rr
		h.mu.Unlock()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedReadTimeout)
		rr.room, rr.err = read(rctx)
		cancel()
		rr.at = time.Now()
		close(rr.done)
		return rr.room, rr.err
	}
	h.mu.Unlock()
	select {
	case <-rr.done:
		return rr.room, rr.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
