// Package apperr is meet's single error vocabulary. Every error that can reach a
// client carries a Kind (mapped to an HTTP status in exactly one place, the
// httpapi package) and a message that is safe to show to users; the wrapped
// cause is only ever logged.
//
// It imports nothing but the standard library.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind string

// The kinds of error meet distinguishes.
const (
	Invalid         Kind = "invalid"         // the request is malformed or fails validation (400)
	Unauthenticated Kind = "unauthenticated" // credentials are missing or wrong (401)
	Forbidden       Kind = "forbidden"       // the caller may not do this (403)
	NotFound        Kind = "not_found"       // the thing does not exist, or is hidden from the caller (404)
	Conflict        Kind = "conflict"        // the request conflicts with the current state (409)
	Throttled       Kind = "throttled"       // too many requests (429)
	Unsupported     Kind = "unsupported"     // the body's media type is not accepted (415)
	Unavailable     Kind = "unavailable"     // a dependency is down; retrying later may work (503)
	BadGateway      Kind = "bad_gateway"     // a dependency refused the work (502)
	Internal        Kind = "internal"        // a bug or an unexpected failure (500)
)

// Error is an error with a kind, a public message and an optional cause.
//
// Fields holds per-field validation messages ({"field": ["reason"]}), which the
// HTTP layer renders as La Suite Meet's validation body. Key selects the JSON
// key the public message is rendered under ("detail" when empty; some
// endpoints of the reference API use "message" or "error").
type Error struct {
	Kind   Kind
	Msg    string
	Key    string
	Fields map[string][]string
	Err    error
}

// Error returns the public message followed by the cause, for logs.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " [%s: %s]", k, strings.Join(e.Fields[k], "; "))
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a public message.
func New(kind Kind, msg string) *Error { return &Error{Kind: kind, Msg: msg} }

// Wrap returns an error of the given kind with a public message and a logged cause.
func Wrap(kind Kind, msg string, cause error) *Error { return &Error{Kind: kind, Msg: msg, Err: cause} }

// Keyed returns an error whose public message is rendered under the JSON key key
// (for example {"message": "..."} or {"error": "..."}).
func Keyed(kind Kind, key, msg string) *Error { return &Error{Kind: kind, Msg: msg, Key: key} }

// Field returns a validation error naming one field and the reason it was refused.
func Field(field, reason string) *Error {
	return &Error{Kind: Invalid, Fields: map[string][]string{field: {reason}}}
}

// Fields collects validation problems for several fields before reporting them together.
type Fields map[string][]string

// Add records a problem with field.
func (f Fields) Add(field, reason string) { f[field] = append(f[field], reason) }

// Merge adds the field problems of err, an *Error, and reports whether err
// carried any. Errors without field problems are ignored (and reported false).
func (f Fields) Merge(err error) bool {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return false
	}
	for field, msgs := range e.Fields {
		f[field] = append(f[field], msgs...)
	}
	return true
}

// Err returns nil when no problem was recorded, else an Invalid error listing them all.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Fields: map[string][]string(f)}
}

// KindOf returns the kind of err, Internal for errors without one and "" for nil.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }
