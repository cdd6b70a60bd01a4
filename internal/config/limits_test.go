package config

import (
	"bytes"
	"strings"
	"testing"
)

func TestLimitSettings(t *testing.T) {
	c, err := Load("meet serve", nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Rooms.CreationPerMinute != 30 || c.Local.HashMemoryMB != 0 {
		t.Errorf("room creation %d/min, hash memory %d MiB; want 30 and 0 (automatic)", c.Rooms.CreationPerMinute, c.Local.HashMemoryMB)
	}
	c, err = Load("meet serve", nil, env(map[string]string{"MEET_ROOM_CREATION_PER_MINUTE": "0", "MEET_PASSWORD_HASH_MEMORY_MB": "512"}), &bytes.Buffer{})
	if err != nil || c.Rooms.CreationPerMinute != 0 || c.Local.HashMemoryMB != 512 {
		t.Fatalf("Load = %+v, %+v, %v", c.Rooms, c.Local, err)
	}
	_, err = Load("meet serve", nil, env(map[string]string{"MEET_ROOM_CREATION_PER_MINUTE": "-1", "MEET_PASSWORD_HASH_MEMORY_MB": "-5"}), &bytes.Buffer{})
	for _, want := range []string{"MEET_ROOM_CREATION_PER_MINUTE: must not be negative", "MEET_PASSWORD_HASH_MEMORY_MB: must not be negative"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %v lacks %q", err, want)
		}
	}
}
