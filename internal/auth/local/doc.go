// Package local signs people in with an e-mail address and a password kept by
// meet itself, for single-machine installs without an identity provider.
//
// Passwords are hashed with argon2id and stored as PHC strings
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash). Login does the same work whether or
// not the e-mail address is known (one hash verification on every path), says
// the same thing for every failure, is rate limited per client address (IPv6
// by /64), per account and client, and per account from everywhere, and runs
// a bounded number of hashes at once (see Limits). Changing a password or
// disabling an account ends the account's sessions.
//
// It is an adapter: it imports users, auth and apperr, and must not import
// httpapi, storage or any other adapter.
package local
