// Package https lets meet be its own front door on the public Internet:
// certificates from PEM files or obtained and renewed from an ACME CA
// (golang.org/x/crypto/acme/autocert), the plain-HTTP listener that
// redirects to https and answers ACME http-01 challenges, and a listener
// that shares the HTTPS port with TURN over TLS.
//
// It imports only the standard library and golang.org/x/crypto/acme; it
// knows nothing of meet's settings, rooms or LiveKit.
package https
