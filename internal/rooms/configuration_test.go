package rooms_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

func TestParseConfiguration(t *testing.T) {
	const sourcesMsg = `can_publish_sources: Input should be 'camera', 'microphone', 'screen_share' or 'screen_share_audio', got %q.`
	tests := []struct {
		name string
		raw  string
		want string // the configuration as JSON, when valid
		msg  string // the message under the field, when invalid
	}{
		{"absent", ``, `{}`, ""},
		{"null", `null`, `{}`, ""},
		{"empty", `{}`, `{}`, ""},
		{"sources null kept", `{"can_publish_sources": null}`, `{"can_publish_sources": null}`, ""},
		{"no source", `{"can_publish_sources": []}`, `{"can_publish_sources": []}`, ""},
		{"camera", `{"can_publish_sources": ["camera"]}`, `{"can_publish_sources": ["camera"]}`, ""},
		{"microphone", `{"can_publish_sources": ["microphone"]}`, `{"can_publish_sources": ["microphone"]}`, ""},
		{"screen_share", `{"can_publish_sources": ["screen_share"]}`, `{"can_publish_sources": ["screen_share"]}`, ""},
		{"screen_share_audio", `{"can_publish_sources": ["screen_share_audio"]}`, `{"can_publish_sources": ["screen_share_audio"]}`, ""},
		{"all sources, order kept", `{"can_publish_sources": ["screen_share_audio", "camera", "screen_share", "microphone"]}`,
			`{"can_publish_sources": ["screen_share_audio", "camera", "screen_share", "microphone"]}`, ""},
		{"mute true", `{"everyone_can_mute": true}`, `{"everyone_can_mute": true}`, ""},
		{"mute false", `{"everyone_can_mute": false}`, `{"everyone_can_mute": false}`, ""},
		{"mute null kept", `{"everyone_can_mute": null}`, `{"everyone_can_mute": null}`, ""},
		{"both", `{"everyone_can_mute": false, "can_publish_sources": ["camera"]}`, `{"can_publish_sources": ["camera"], "everyone_can_mute": false}`, ""},
		{"both null", `{"everyone_can_mute": null, "can_publish_sources": null}`, `{"can_publish_sources": null, "everyone_can_mute": null}`, ""},

		{"extra key", `{"can_record": true}`, "", "can_record: Extra inputs are not permitted."},
		{"extra key beside valid ones", `{"everyone_can_mute": true, "zzz": 1}`, "", "zzz: Extra inputs are not permitted."},
		{"unknown source", `{"can_publish_sources": ["hologram"]}`, "", sprintf(sourcesMsg, "hologram")},
		{"source in capitals", `{"can_publish_sources": ["CAMERA"]}`, "", sprintf(sourcesMsg, "CAMERA")},
		{"sources as a string", `{"can_publish_sources": "camera"}`, "", "can_publish_sources: Input should be a valid list of strings."},
		{"sources with a number", `{"can_publish_sources": [1]}`, "", "can_publish_sources: Input should be a valid list of strings."},
		{"sources with null", `{"can_publish_sources": [null]}`, "", sprintf(sourcesMsg, "")},
		{"sources as an object", `{"can_publish_sources": {"camera": true}}`, "", "can_publish_sources: Input should be a valid list of strings."},
		{"mute as a string", `{"everyone_can_mute": "true"}`, "", "everyone_can_mute: Input should be a valid boolean."},
		{"mute as a number", `{"everyone_can_mute": 1}`, "", "everyone_can_mute: Input should be a valid boolean."},
		{"mute as a list", `{"everyone_can_mute": [true]}`, "", "everyone_can_mute: Input should be a valid boolean."},
		{"a list", `[]`, "", "Input should be a valid dictionary."},
		{"a string", `"{}"`, "", "Input should be a valid dictionary."},
		{"a number", `3`, "", "Input should be a valid dictionary."},
		{"a boolean", `true`, "", "Input should be a valid dictionary."},
		{"broken JSON", `{"everyone_can_mute": }`, "", "Input should be a valid dictionary."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := rooms.ParseConfiguration("configuration", json.RawMessage(tt.raw))
			if tt.msg != "" {
				var e *apperr.Error
				if !asError(err, &e) || e.Kind != apperr.Invalid {
					t.Fatalf("got %v, %v; want a validation error", cfg, err)
				}
				if diff := cmp.Diff(map[string][]string{"configuration": {tt.msg}}, e.Fields); diff != "" {
					t.Fatalf("fields (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfiguration: %v", err)
			}
			if cfg == nil {
				t.Fatal("nil configuration; want an empty one")
			}
			// The parsed configuration encodes back to what was sent,
			// explicit nulls included.
			got, err := json.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decodeJSON(t, tt.want), decodeJSON(t, string(got))); diff != "" {
				t.Fatalf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfigurationNamesItsField(t *testing.T) {
	_, err := rooms.ParseConfiguration("default_room_configuration", json.RawMessage(`{"x": 1}`))
	var e *apperr.Error
	if !asError(err, &e) {
		t.Fatalf("err = %v", err)
	}
	if diff := cmp.Diff(map[string][]string{"default_room_configuration": {"x: Extra inputs are not permitted."}}, e.Fields); diff != "" {
		t.Fatal(diff)
	}
}

func TestConfigurationAccessors(t *testing.T) {
	tests := []struct {
		raw        string
		sources    []string
		sourcesSet bool
		canMute    bool
	}{
		{`{}`, nil, false, true},
		{`{"can_publish_sources": null, "everyone_can_mute": null}`, nil, false, true},
		{`{"can_publish_sources": [], "everyone_can_mute": false}`, []string{}, true, false},
		{`{"can_publish_sources": ["microphone", "camera"], "everyone_can_mute": true}`, []string{"microphone", "camera"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			cfg, err := rooms.ParseConfiguration("configuration", json.RawMessage(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			sources, set := cfg.PublishSources()
			if diff := cmp.Diff(tt.sources, sources); diff != "" || set != tt.sourcesSet {
				t.Errorf("PublishSources() = %v, %v; want %v, %v", sources, set, tt.sources, tt.sourcesSet)
			}
			if got := cfg.EveryoneCanMute(); got != tt.canMute {
				t.Errorf("EveryoneCanMute() = %v, want %v", got, tt.canMute)
			}
			if cfg.Empty() != (tt.raw == `{}`) {
				t.Errorf("Empty() = %v", cfg.Empty())
			}
		})
	}
}

func TestConfigurationCloneDoesNotAlias(t *testing.T) {
	cfg, err := rooms.ParseConfiguration("configuration", json.RawMessage(`{"can_publish_sources": ["camera", "microphone"]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Clone()
	c["can_publish_sources"].([]any)[0] = "screen_share"
	c["everyone_can_mute"] = false
	if got, _ := cfg.PublishSources(); got[0] != "camera" || len(cfg) != 1 {
		t.Fatalf("Clone aliases the original: %v", cfg)
	}
}

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}
