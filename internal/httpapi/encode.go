package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"meet/internal/apperr"
)

// maxBodyBytes bounds every JSON request body.
const maxBodyBytes = 1 << 20

// writeJSON encodes v as the response body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonObject is a decoded request body whose fields are decoded one by one, so
// a wrong type is reported under the field's name.
type jsonObject map[string]json.RawMessage

// decodeObject reads a JSON object body of at most maxBodyBytes. An empty body
// is an empty object, as DRF treats it.
func decodeObject(r *http.Request) (jsonObject, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			return nil, apperr.New(apperr.Unsupported, fmt.Sprintf("Unsupported media type %q in request.", mt))
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, apperr.New(apperr.Invalid, "Request body is larger than "+strconv.Itoa(maxBodyBytes)+" bytes.")
	case err != nil:
		return nil, apperr.Wrap(apperr.Invalid, "Could not read the request body.", err)
	case len(body) == 0:
		return jsonObject{}, nil
	}
	var obj jsonObject
	// encoding/json would silently replace invalid UTF-8; refuse it as DRF does.
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil || !utf8.Valid(body) {
		return nil, apperr.New(apperr.Invalid, "JSON parse error - the body must be a JSON object.")
	}
	if err := obj.refuseNulls(); err != nil {
		return nil, err
	}
	return obj, nil
}

// nullCharMessage is DRF's ProhibitNullCharactersValidator message.
const nullCharMessage = "Null characters are not allowed."

// refuseNulls reports the first field whose value holds a NUL character
// anywhere (in a string or an object key, at any depth). PostgreSQL cannot
// store NUL in text and SQLite would store what PostgreSQL refuses, so both
// engines refuse it up front, under the field's name as DRF's CharField does.
func (o jsonObject) refuseNulls() error {
	for field, raw := range o {
		if strings.ContainsRune(field, 0) {
			return apperr.New(apperr.Invalid, nullCharMessage)
		}
		if !bytes.Contains(raw, []byte(`\u0000`)) {
			continue // an escaped NUL is the only way JSON carries one
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil || holdsNull(v) {
			return apperr.Field(field, nullCharMessage)
		}
	}
	return nil
}

// holdsNull reports whether a decoded JSON value holds a NUL character.
func holdsNull(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, 0)
	case []any:
		return slices.ContainsFunc(x, holdsNull)
	case map[string]any:
		for k, val := range x {
			if strings.ContainsRune(k, 0) || holdsNull(val) {
				return true
			}
		}
	}
	return false
}

// bodyHoldsNull reports whether a JSON body carries a NUL character anywhere,
// for bodies decoded elsewhere than by decodeObject.
func bodyHoldsNull(body []byte) bool {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return false
	}
	var v any
	return json.Unmarshal(body, &v) == nil && holdsNull(v)
}

// refuseNullsInURL checks the request line: a path with a NUL names nothing
// (404), a query parameter with one is refused under its name (400).
func refuseNullsInURL(r *http.Request) error {
	if strings.ContainsRune(r.URL.Path, 0) {
		return apperr.New(apperr.NotFound, "Not found.")
	}
	if !strings.Contains(r.URL.RawQuery, "%00") && !strings.ContainsRune(r.URL.RawQuery, 0) {
		return nil
	}
	for k, vs := range r.URL.Query() {
		if strings.ContainsRune(k, 0) || slices.ContainsFunc(vs, func(v string) bool { return strings.ContainsRune(v, 0) }) {
			return apperr.Field(strings.ReplaceAll(k, "\x00", ""), nullCharMessage)
		}
	}
	return nil
}

// has reports whether the body sent field (even as null).
func (o jsonObject) has(field string) bool { _, ok := o[field]; return ok }

// isNull reports whether the field was sent as null.
func (o jsonObject) isNull(field string) bool { return string(o[field]) == "null" }

// str decodes a string field; ok is false when absent. Numbers are refused.
func (o jsonObject) str(field string) (s string, ok bool, err error) {
	raw, present := o[field]
	switch {
	case !present:
		return "", false, nil
	case string(raw) == "null":
		return "", true, apperr.Field(field, "This field may not be null.")
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, apperr.Field(field, "Not a valid string.")
	}
	return s, true, nil
}

// choice decodes a field whose value must be a string that valid accepts;
// ok is false when absent. As in DRF, a refused value is quoted in the
// message, whatever its JSON type ("3" is not a valid choice.).
func (o jsonObject) choice(field string, valid func(string) bool) (s string, ok bool, err error) {
	raw, present := o[field]
	switch {
	case !present:
		return "", false, nil
	case string(raw) == "null":
		return "", true, apperr.Field(field, "This field may not be null.")
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		s = string(raw)
		return s, true, apperr.Field(field, `"`+s+`" is not a valid choice.`)
	}
	if !valid(s) {
		return s, true, apperr.Field(field, `"`+s+`" is not a valid choice.`)
	}
	return s, true, nil
}

// boolean decodes a boolean field; ok is false when absent.
func (o jsonObject) boolean(field string) (b bool, ok bool, err error) {
	raw, present := o[field]
	if !present {
		return false, false, nil
	}
	if err := json.Unmarshal(raw, &b); err != nil || string(raw) == "null" {
		return false, true, apperr.Field(field, "Must be a valid boolean.")
	}
	return b, true, nil
}

// required reports the reference's message for a missing field.
func required(field string) error { return apperr.Field(field, "This field is required.") }
