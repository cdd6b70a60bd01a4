package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// failingRecorder cannot join any call.
type failingRecorder struct{ recordings.Recorder }

func (failingRecorder) Start(context.Context, recordings.RecordJob) (string, error) {
	return "", errRecorderDown
}

var errRecorderDown = errors.New("recorder down")

// metadataLog records the room metadata a worker writes.
type metadataLog struct {
	calls chan [2]any // set, remove
}

func (m *metadataLog) UpdateRoomMetadata(_ context.Context, _ string, set map[string]any, remove []string) error {
	m.calls <- [2]any{set, remove}
	return nil
}

// TestRecordingStatusClearedWhenStartFails checks that a recording that
// fails to start does not leave "starting" in the room metadata.
func TestRecordingStatusClearedWhenStartFails(t *testing.T) {
	re := newRecEnv(t, storagetest.SQLite, nil, func(c *envConfig) { c.realClock = true })
	c := re.newCast(t, rooms.Public, nil)
	meta := &metadataLog{calls: make(chan [2]any, 8)}
	runWorker(t, recordings.NewWorker(re.svc, re.db, failingRecorder{}, recordings.WorkerConfig{
		Poll: 20 * time.Millisecond, Lease: 5 * time.Second, RoomMetadata: meta,
	}, nil))
	expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/", map[string]any{"mode": "transcript"}),
		http.StatusCreated, message("Recording successfully started for room "+c.room.Slug))
	want := []string{
		`[{"recording_mode":"transcript","recording_status":"starting"},null]`,
		`[null,["recording_status","recording_mode"]]`,
	}
	for _, w := range want {
		select {
		case call := <-meta.calls:
			b, _ := json.Marshal(call)
			if string(b) != w {
				t.Fatalf("metadata update %s, want %s", b, w)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no metadata update %s within 10 s", w)
		}
	}
}
