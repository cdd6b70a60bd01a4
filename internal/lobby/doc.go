// Package lobby is the waiting room of restricted and trusted rooms: guests
// knock (request entry), the room's owners and administrators see who waits
// and admit or deny them, and an admitted guest receives a LiveKit join token.
//
// LiveKit has no secure lobby of its own, so the state lives here, in a Store
// with short time-to-live entries (waiting 3 s, refreshed by every poll or kept
// alive by an open push stream; accepted 6 h; denied 5 s). Every transition is
// atomic in the Store: two hosts deciding at once, or an admission racing an
// expiry, give exactly one outcome, and an expired entry is never resurrected.
//
// Changes are announced through a Broker (in memory, or Redis pub/sub across
// replicas) so that push streams (WatchEntry, WatchWaiting) see them at once;
// the streams also re-read the store on a short tick, so a lost message only
// delays an update and never loses it.
//
// It imports only the standard library, apperr, auth and rooms. The Store,
// Broker, Limiter and Notifier implementations live in adapters (cache,
// livekit); they import lobby, never the reverse.
package lobby
