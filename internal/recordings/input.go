package recordings

import (
	"bytes"
	"encoding/json"

	"meet/internal/apperr"
)

// StartInput is the body of start-recording.
type StartInput struct {
	Mode    Mode
	Options Options
}

// errInvalidRequest is the reference's one answer to any bad start body.
var errInvalidRequest = apperr.New(apperr.Invalid, InvalidRequestMessage)

// ParseStart decodes a start-recording body: {"mode": "screen_recording" |
// "transcript", "options": {language?, transcribe?, collect_metadata?,
// original_mode?} | null}. Any problem, including an unknown option key or
// a missing mode, is 400 {"detail": "Invalid request."} as in the reference.
func ParseStart(body []byte) (StartInput, error) {
	var raw struct {
		Mode    *Mode           `json:"mode"`
		Options json.RawMessage `json:"options"`
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return StartInput{}, errInvalidRequest
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.Mode == nil || !raw.Mode.Valid() {
		return StartInput{}, errInvalidRequest
	}
	in := StartInput{Mode: *raw.Mode}
	opts := bytes.TrimSpace(raw.Options)
	if len(opts) == 0 || string(opts) == "null" {
		return in, nil
	}
	dec := json.NewDecoder(bytes.NewReader(opts))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in.Options); err != nil || dec.More() {
		return StartInput{}, errInvalidRequest
	}
	if om := in.Options.OriginalMode; om != nil && !om.Valid() {
		return StartInput{}, errInvalidRequest
	}
	return in, nil
}
