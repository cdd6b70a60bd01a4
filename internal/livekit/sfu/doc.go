// Package sfu runs the LiveKit server (github.com/livekit/livekit-server)
// inside meet's process, with loopback-safe defaults: Start, Options and
// Server.
//
// It is the only package that imports livekit-server, and it is kept apart
// from package livekit (tokens, the RoomService client, webhooks) so that
// what only talks to an SFU — the HTTP API and its tests — does not link a
// whole SFU. Only cmd/meet, which serves one, and tests that need a real
// SFU import it.
//
// It must not import meet's other packages: package livekit's own tests
// start an SFU from here, and an import of livekit would be a cycle.
package sfu
