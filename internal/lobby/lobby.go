package lobby

import (
	"context"
	"time"

	"meet/internal/auth"
	"meet/internal/rooms"
)

// Status is where a participant stands in a room's lobby.
type Status string

// The statuses of a lobby entry.
const (
	Waiting  Status = "waiting"  // knocked, no decision yet
	Accepted Status = "accepted" // admitted by a host, or allowed in directly
	Denied   Status = "denied"   // refused by a host
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Waiting || s == Accepted || s == Denied }

// Entry is one participant in one room's lobby.
type Entry struct {
	// ID is the participant id: a random UUID the server minted, named by
	// the (signed) lobby cookie, and the LiveKit identity of a guest once
	// admitted.
	ID       string
	Username string
	Status   Status
	Color    string
	// KnockedAt is when the entry was created; waiting lists are in this order.
	KnockedAt time.Time
}

// Store keeps lobby entries with a time to live. Every method is atomic with
// respect to the others, across replicas for shared implementations, and an
// entry past its time to live is gone for every method.
//
//   - Knock returns the live entry of (roomID, e.ID), refreshing its time to
//     live to ttl when it is waiting; when there is none it stores e as a
//     waiting entry for ttl and reports created.
//   - Touch refreshes a waiting entry's time to live and returns the entry
//     (whatever its status); apperr.NotFound when there is none.
//   - Get returns the live entry; apperr.NotFound when there is none.
//   - Decide moves a waiting entry to status to, living ttl from now, and
//     returns the entry as it was before. An entry already decided is left
//     unchanged (the caller compares the returned status). apperr.NotFound
//     when there is no live entry.
//   - List returns the live entries of a room with the given status, in
//     knock order, at a cost proportional to the room's entries.
//   - Delete removes one entry, DeleteRoom every entry of a room; both
//     succeed when there is nothing to remove.
//
// Errors other than apperr.NotFound are apperr.Unavailable (the store is
// unreachable) or apperr.Internal.
type Store interface {
	Knock(ctx context.Context, roomID string, e Entry, ttl time.Duration) (got Entry, created bool, err error)
	Touch(ctx context.Context, roomID, id string, ttl time.Duration) (Entry, error)
	Get(ctx context.Context, roomID, id string) (Entry, error)
	Decide(ctx context.Context, roomID, id string, to Status, ttl time.Duration) (before Entry, err error)
	List(ctx context.Context, roomID string, status Status) ([]Entry, error)
	Delete(ctx context.Context, roomID, id string) error
	DeleteRoom(ctx context.Context, roomID string) error
}

// Event says that something changed in a room's lobby: one participant's
// entry, or, when Participant is empty, possibly every entry of the room.
// Events carry no state: whoever receives one re-reads the Store.
type Event struct {
	Room        string `json:"room"`
	Participant string `json:"participant,omitempty"`
}

// Broker carries lobby events to every replica. Publish fails with
// apperr.Unavailable when the transport is down; events may be lost then, and
// the streams' periodic re-reads make up for it. Subscribe calls deliver for
// every event of roomID until cancel is called; deliver must not block.
type Broker interface {
	Publish(ctx context.Context, ev Event) error
	Subscribe(ctx context.Context, roomID string, deliver func(Event)) (cancel func(), err error)
}

// Limiter counts requests per key in a sliding window. Allow records one
// request and reports whether it fits in limit requests per window; when it
// does not, wait is how long until one more would fit (the refused request is
// not recorded). Errors are apperr.Unavailable or apperr.Internal.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, wait time.Duration, err error)
}

// Notifier sends a data message to every participant of a LiveKit room
// (the livekit adapter's Client implements it). It returns apperr.NotFound
// when the LiveKit room is not active.
type Notifier interface {
	SendData(ctx context.Context, lkRoom string, payload []byte, reliable bool) error
}

// Rooms is what the lobby needs from the rooms rules (*rooms.Service
// implements it): finding a room, the caller's role, the host check,
// minting a LiveKit join block, and lifting a removal when a host admits the
// removed guest again.
type Rooms interface {
	Lookup(ctx context.Context, idOrSlug string) (*rooms.Room, error)
	RoleOf(ctx context.Context, p auth.Principal, roomID string) (rooms.Role, error)
	Authorize(ctx context.Context, p auth.Principal, idOrSlug string) (*rooms.Room, rooms.Role, error)
	Join(ctx context.Context, room *rooms.Room, slug string, p auth.Principal, role rooms.Role, identity, username, color string) (rooms.LiveKitInfo, error)
	// Readmit lifts a removal from the call (see rooms.Service.Deny).
	Readmit(ctx context.Context, lkRoom, identity string) error
}

var _ Rooms = (*rooms.Service)(nil)
