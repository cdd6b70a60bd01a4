// Package mail sends e-mail over SMTP: a multipart/alternative message (text
// and HTML, UTF-8, quoted-printable) delivered to one recipient per
// connection, upgraded with STARTTLS when the server offers it, bounded by the
// caller's context and a timeout. The messages themselves (recording ready,
// meeting invitation) are written by the packages that send them.
//
// It imports only the standard library.
package mail
