// Package withsfu holds the tests of the HTTP API that need a real LiveKit
// SFU: in-call actions seen by Go participants, recordings made by the
// track recorder, room metadata seen in the call, a worker killed mid-way.
//
// They live apart from package httpapi's tests so that httpapi's test
// binary does not link livekit-server (the SFU runs in a child process,
// the test binary re-executed; see livekittest.StartSFU), which made it
// slow to build under the race detector. The package has no code of its
// own; env_test.go copies the few helpers of httpapi's tests these tests
// use.
//
// Only tests import the SFU here (livekittest); httpapi itself must not
// import livekit-server (internal/imports_test.go checks it).
package withsfu
