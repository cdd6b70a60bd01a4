package withsfu_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"meet/internal/livekit"
	"meet/internal/livekit/livekittest"
	"meet/internal/livekit/recorderadapter"
	"meet/internal/livekit/sfu"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// TestRecordingStatusInRoomMetadata records a call on the real SFU and
// checks what a participant sees: recording_status and recording_mode in
// the room metadata while the recording runs, gone once it is saved, and
// never the recorder itself among the participants.
func TestRecordingStatusInRoomMetadata(t *testing.T) {
	sfu := livekittest.StartSFU(t, sfu.Options{APIKey: lkKey, APISecret: lkSecret, DepartureTimeout: time.Second})
	client := livekit.NewClient(livekit.ClientOptions{URL: sfu.HTTPURL(), APIKey: lkKey, APISecret: lkSecret})
	re := newRecEnv(t, storagetest.SQLite, nil, func(c *envConfig) { c.realClock = true })
	c := re.newCast(t, rooms.Public, nil)
	adapter := recorderadapter.New(recorderadapter.Options{
		WSURL: sfu.WSURL(), APIKey: lkKey, APISecret: lkSecret, Dir: re.files.Dir(), NoComposite: true,
	})
	runWorker(t, recordings.NewWorker(re.svc, re.db, adapter, recordings.WorkerConfig{
		Poll: 20 * time.Millisecond, Lease: 5 * time.Second, RoomMetadata: client,
	}, nil))

	speaker := livekittest.Join(t, sfu.WSURL(), joinToken(t, c.clients[asOwner], c.room.ID, ""))
	if err := speaker.PublishSilence(t); err != nil {
		t.Fatal(err)
	}
	metadata := func() map[string]any {
		m := map[string]any{}
		_ = json.Unmarshal([]byte(speaker.RoomMetadata()), &m)
		return m
	}
	asked := time.Now()
	expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/",
		map[string]any{"mode": "transcript", "options": map[string]any{"original_mode": "screen_recording"}}),
		http.StatusCreated, message("Recording successfully started for room "+c.room.Slug))
	livekittest.WaitUntil(t, 20*time.Second, "recording_status started in the room metadata", func() bool {
		return metadata()[recordings.MetadataRecordingStatus] == recordings.RoomRecordingStarted
	})
	t.Logf("start request → recording_status started seen by a participant: %s", time.Since(asked).Round(time.Millisecond))
	if m := metadata(); m[recordings.MetadataRecordingMode] != "screen_recording" {
		t.Errorf("room metadata %v: recording_mode should be the mode the user chose", m)
	}
	// The recorder is in the call, yet nobody sees it.
	ps, err := client.ListParticipants(context.Background(), c.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Identity == recorderadapter.Identity && !p.Permission.CanSubscribe {
			t.Errorf("recorder cannot subscribe: %+v", p.Permission)
		}
	}
	if speaker.Sees(recorderadapter.Identity) {
		t.Fatal("participants see the recorder")
	}

	expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/stop-recording/", nil),
		http.StatusOK, message("Recording stopped for room "+c.room.Slug+"."))
	livekittest.WaitUntil(t, 30*time.Second, "the recording keys to leave the room metadata", func() bool {
		m := metadata()
		_, status := m[recordings.MetadataRecordingStatus]
		_, mode := m[recordings.MetadataRecordingMode]
		return !status && !mode
	})
	list, _, err := re.db.ListRecordingsForUser(context.Background(), c.users[asOwner].ID, rooms.Page{Number: 1, Size: 1})
	if err != nil || len(list) != 1 || !list[0].Status.IsSaved() && list[0].Status != recordings.Stopped {
		t.Fatalf("recording after stop: %+v, %v", list, err)
	}
}
