package rooms

import (
	"context"
	"time"
)

// CreationCallbackTTL is how long the slug of a room created with a
// callback_id waits to be collected: the reference's
// ROOM_CREATION_CALLBACK_CACHE_TIMEOUT (600 s).
const CreationCallbackTTL = 10 * time.Minute

// MaxCallbackIDLength bounds the callback ids clients choose, so they cannot
// fill the cache with huge keys.
const MaxCallbackIDLength = 255

// CreationCallbacks hands the slug of a newly created room to another window
// (a calendar add-on's iframe or popup) that only knows the callback_id it
// made up and polls rooms/creation-callback/. The cache package implements it
// in memory and in Redis. Errors are apperr.Unavailable.
type CreationCallbacks interface {
	// Put stores slug under id for ttl, replacing an earlier value.
	Put(ctx context.Context, id, slug string, ttl time.Duration) error
	// Take returns the slug stored under id and deletes it, so a result is
	// read once; ok is false when there is none (never stored, already
	// taken, or expired).
	Take(ctx context.Context, id string) (slug string, ok bool, err error)
}
