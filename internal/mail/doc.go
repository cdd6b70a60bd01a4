// Package mail sends e-mail over SMTP: a multipart/alternative message (text
// and HTML, UTF-8, quoted-printable) delivered to one recipient per
// connection, upgraded with STARTTLS when the server offers it, bounded by the
// caller's context and a timeout; and the meeting invitation
// (rooms.Inviter). The recording-ready message is written by recordings.
//
// It imports only the standard library and rooms (whose Inviter it
// implements); recordings imports it.
package mail
