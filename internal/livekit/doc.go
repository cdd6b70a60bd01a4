// Package livekit is meet's adapter to the LiveKit SFU, and the only package
// that imports the LiveKit SDKs (aliased lksdk, lkproto and lkauth).
//
// It provides:
//
//   - TokenIssuer, which signs the rooms.JoinGrant computed by the domain into
//     a LiveKit join token (rooms.TokenIssuer);
//   - Client, a RoomService client whose calls take the caller's context plus
//     a per-call timeout and translate Twirp errors into apperr kinds
//     (rooms.MediaServer and the participant-control calls);
//   - WebhookReceiver, an http.Handler that verifies LiveKit's signed
//     webhooks before parsing them, filters and de-duplicates them, and hands
//     domain-neutral Events to the handlers other packages subscribe.
//
// Domain packages (rooms, lobby, recordings) must never import this package:
// they declare the interfaces they need and cmd/meet/run.go wires the
// implementations from here. This package may import the domain packages
// and apperr, but not httpapi, storage or cache, nor the LiveKit server
// (github.com/livekit/livekit-server): the SFU run inside meet's process is
// package sfu, so that the HTTP API, which imports this package, does not
// link an SFU (internal/imports_test.go checks it).
package livekit
