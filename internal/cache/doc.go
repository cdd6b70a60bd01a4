// Package cache holds the Redis and in-memory implementations of the
// short-lived state meet keeps outside the database: lobby entries, lobby
// events across replicas, request rate limits, and sessions. Each Redis type
// has an in-memory twin behind the same domain interface, so a single binary
// runs without Redis; cmd/meet/run.go picks Redis only when MEET_REDIS_URL is
// set.
//
// It implements interfaces declared by the domain packages (lobby, auth) and
// imports them; domain packages never import cache. In-memory types take an
// injected clock and start no goroutine: their periodic sweeps are Run(ctx)
// methods that run.go starts.
package cache
