// Package secretfile keeps generated secrets (the instance key, the embedded
// SFU's API credentials) in files of the data directory, created once and
// race-free: processes started together on a fresh data directory (meet
// serve and meet recorder) all end up with the same secret.
//
// It imports only the standard library.
package secretfile
