package rooms

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"meet/internal/apperr"
)

// Publish sources a participant can be allowed to send.
const (
	SourceCamera           = "camera"
	SourceMicrophone       = "microphone"
	SourceScreenShare      = "screen_share"
	SourceScreenShareAudio = "screen_share_audio"
)

// DefaultSources are what owners and administrators may always publish, and
// what everyone may publish when the room configuration says nothing.
var DefaultSources = []string{SourceCamera, SourceMicrophone, SourceScreenShare, SourceScreenShareAudio}

// Configuration is a room's public configuration, kept as the JSON object the
// client sent so that absent keys and explicit nulls round-trip unchanged.
// Only the keys of the reference schema are accepted (see ParseConfiguration).
type Configuration map[string]any

// ParseConfiguration validates raw JSON against the room configuration schema:
// an object (or null) whose only keys are can_publish_sources (a list of known
// sources, or null) and everyone_can_mute (a boolean, or null). Problems are
// reported under field.
func ParseConfiguration(field string, raw json.RawMessage) (Configuration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return Configuration{}, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, apperr.Field(field, "Input should be a valid dictionary.")
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cfg := Configuration{}
	for _, k := range keys {
		v := obj[k]
		switch k {
		case "can_publish_sources":
			if string(v) == "null" {
				cfg[k] = nil
				continue
			}
			var list []string
			if err := json.Unmarshal(v, &list); err != nil {
				return nil, apperr.Field(field, "can_publish_sources: Input should be a valid list of strings.")
			}
			for _, s := range list {
				if !slices.Contains(DefaultSources, s) {
					return nil, apperr.Field(field, fmt.Sprintf("can_publish_sources: Input should be 'camera', 'microphone', 'screen_share' or 'screen_share_audio', got %q.", s))
				}
			}
			anyList := make([]any, len(list))
			for i, s := range list {
				anyList[i] = s
			}
			cfg[k] = anyList
		case "everyone_can_mute":
			if string(v) == "null" {
				cfg[k] = nil
				continue
			}
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return nil, apperr.Field(field, "everyone_can_mute: Input should be a valid boolean.")
			}
			cfg[k] = b
		default:
			return nil, apperr.Field(field, fmt.Sprintf("%s: Extra inputs are not permitted.", k))
		}
	}
	return cfg, nil
}

// PublishSources returns the configured sources and whether the configuration
// sets them (a null or absent key does not; an empty list does).
func (c Configuration) PublishSources() ([]string, bool) {
	v, ok := c["can_publish_sources"]
	if !ok || v == nil {
		return nil, false
	}
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, s := range list {
		if str, ok := s.(string); ok {
			out = append(out, str)
		}
	}
	return out, true
}

// EveryoneCanMute reports whether any participant may mute others (true when unset).
func (c Configuration) EveryoneCanMute() bool {
	b, ok := c["everyone_can_mute"].(bool)
	return !ok || b
}

// Empty reports whether the configuration has no keys.
func (c Configuration) Empty() bool { return len(c) == 0 }

// Clone returns a copy safe to modify.
func (c Configuration) Clone() Configuration {
	out := make(Configuration, len(c))
	for k, v := range c {
		if l, ok := v.([]any); ok {
			v = slices.Clone(l)
		}
		out[k] = v
	}
	return out
}
