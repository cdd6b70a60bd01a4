// Package httpapi is meet's HTTP adapter: the La Suite Meet compatible REST API
// under /api/v1.0/, health and readiness endpoints, and the web front end
// mounted at the root.
//
// routes.go lists every route. Handlers are maker functions returning
// http.Handler; they decode and validate input, call a domain service, and
// encode the reply. Errors travel as apperr values and are mapped to statuses
// and La Suite Meet's error bodies in errors.go, the only such place.
//
// httpapi imports domain packages; domain packages never import it. It must
// not import the LiveKit server (github.com/livekit/livekit-server), not even
// through other packages nor in its tests: it talks to the SFU through
// package livekit only, and the tests that need a real SFU live in
// httpapi/withsfu, so that this package's test binary does not link one
// (internal/imports_test.go checks it).
package httpapi
