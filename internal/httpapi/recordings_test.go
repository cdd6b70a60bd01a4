package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/recordings"
	"meet/internal/rooms"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// Tokens of the recording hooks in tests.
const (
	recSummaryHookToken = "summary-hook-token"
	recStorageToken     = "storage-hook-token"
	recBucket           = "meet-media"
)

// recEnv is an API server with recordings on, storing files in a temporary
// directory.
type recEnv struct {
	*apiEnv
	svc   *recordings.Service
	files *recordings.LocalStore
}

// newRecEnv builds a server whose recordings settings edit may change.
func newRecEnv(t testing.TB, e storagetest.Engine, edit func(c *recordings.Config), opts ...envOption) *recEnv {
	t.Helper()
	re := &recEnv{files: recordings.NewLocalStore(t.TempDir())}
	cfg := recordings.Config{
		Enabled: true, StorageEventEnabled: true, StorageEventToken: recStorageToken, StorageBucket: recBucket,
		SummaryWebhookToken: recSummaryHookToken,
		Notify:              recordings.NotifyConfig{DownloadBaseURL: "http://meet.test/recordings", APIBaseURL: "http://meet.test/api/v1.0", SigningKey: []byte("k")},
	}
	if edit != nil {
		edit(&cfg)
	}
	opts = append(opts, withDeps(func(d *httpapi.Deps) {
		db := d.Users.(*storage.DB)
		re.svc = recordings.NewService(db, d.Rooms, re.files, cfg, d.Log, nil)
		d.Recordings = re.svc
	}))
	re.apiEnv = newAPIEnv(t, e, opts...)
	return re
}

// startedBy stores a recording of c's room started by its owner, with the
// other personas given their role on the recording too.
func (re *recEnv) startedBy(t testing.TB, c *cast, mode recordings.Mode) *recordings.Recording {
	t.Helper()
	ctx := context.Background()
	r := &recordings.Recording{RoomID: c.room.ID, Mode: mode}
	if err := re.db.CreateRecording(ctx, r, c.users[asOwner].ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{asAdmin, asMember} {
		if err := re.db.CreateRecordingAccess(ctx, r.ID, c.users[p].ID, rooms.Role(p)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := re.db.RecordingByID(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// setStatus forces a recording's status.
func (re *recEnv) setStatus(t testing.TB, id string, s recordings.Status) {
	t.Helper()
	if _, err := re.db.TransitionRecording(context.Background(), id, nil, s); err != nil {
		t.Fatal(err)
	}
}

func (re *recEnv) recording(t testing.TB, id string) *recordings.Recording {
	t.Helper()
	r, err := re.db.RecordingByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// recordingJSON is the body the API must give for r.
func recordingJSON(r *recordings.Recording) map[string]any {
	return map[string]any{
		"id": r.ID, "room": map[string]any{"id": r.Room.ID, "name": r.Room.Name, "slug": r.Room.Slug, "access_level": string(r.Room.AccessLevel)},
		"created_at": r.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"),
		"updated_at": r.UpdatedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"),
		"status":     string(r.Status), "mode": string(r.Mode), "options": optionsJSON(r.Options),
		"key": "recordings/" + r.ID + "." + r.Mode.Extension(), "is_expired": false, "expired_at": nil,
	}
}

// optionsJSON is the options object as JSON carries it.
func optionsJSON(o recordings.Options) map[string]any {
	b, _ := json.Marshal(o)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func message(msg string) map[string]any { return map[string]any{"message": msg} }

func TestRecordingRoutesAreNotFoundWhenDisabled(t *testing.T) {
	re := newRecEnv(t, storagetest.SQLite, func(c *recordings.Config) { c.Enabled = false })
	c := re.newCast(t, rooms.Public, nil)
	id := "5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60"
	for _, route := range []struct{ method, path string }{
		{http.MethodPost, "/rooms/" + c.room.ID + "/start-recording/"},
		{http.MethodPost, "/rooms/" + c.room.ID + "/stop-recording/"},
		{http.MethodGet, "/recordings/"},
		{http.MethodGet, "/recordings/" + id + "/"},
		{http.MethodDelete, "/recordings/" + id + "/"},
		{http.MethodGet, "/recordings/" + id + "/download/"},
		{http.MethodGet, "/recordings/media-auth/"},
		{http.MethodPost, "/recordings/storage-hook/"},
		{http.MethodPost, "/recordings/external-process-hook/"},
	} {
		for _, who := range []string{anonymous, asOwner} {
			t.Run(route.method+" "+route.path+" "+who, func(t *testing.T) {
				expect(t, c.clients[who].do(t, route.method, route.path, `{"mode":"transcript"}`), http.StatusNotFound, detail("Not found."))
			})
		}
	}
}

func TestRecordingStartMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		for _, tc := range []struct {
			who    string
			status int
			want   func(c *cast) any
		}{
			{anonymous, http.StatusUnauthorized, func(*cast) any { return detail(noCredentials) }},
			{outsider, http.StatusForbidden, func(*cast) any { return detail(genericForbidden) }},
			{asMember, http.StatusForbidden, func(*cast) any { return detail(genericForbidden) }},
			{asAdmin, http.StatusCreated, func(c *cast) any { return message("Recording successfully started for room " + c.room.Slug) }},
			{asOwner, http.StatusCreated, func(c *cast) any { return message("Recording successfully started for room " + c.room.Slug) }},
		} {
			t.Run(tc.who, func(t *testing.T) {
				c := re.newCast(t, rooms.Restricted, nil)
				r := c.clients[tc.who].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/",
					map[string]any{"mode": "transcript", "options": map[string]any{"language": "fr", "transcribe": true}})
				expect(t, r, tc.status, tc.want(c))
				if tc.status != http.StatusCreated {
					return
				}
				list, _, err := re.db.ListRecordingsForUser(context.Background(), c.users[tc.who].ID, rooms.Page{Number: 1, Size: 10})
				if err != nil || len(list) != 1 || list[0].Status != recordings.Initiated || list[0].Mode != recordings.Transcript ||
					*list[0].Options.Language != "fr" {
					t.Fatalf("stored recordings of the starter: %+v, %v", list, err)
				}
				// By slug too, and a second start is a conflict.
				expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.Slug+"/start-recording/", map[string]any{"mode": "screen_recording"}),
					http.StatusConflict, map[string]any{"error": "A recording is already in progress for room " + c.room.Slug})
			})
		}
		c := re.newCast(t, rooms.Public, nil)
		for name, body := range map[string]string{
			"no body":            ``,
			"no mode":            `{}`,
			"unknown mode":       `{"mode":"podcast"}`,
			"unknown option key": `{"mode":"transcript","options":{"colour":"red"}}`,
			"bad option type":    `{"mode":"transcript","options":{"transcribe":"yes"}}`,
			"bad original mode":  `{"mode":"transcript","options":{"original_mode":"x"}}`,
			"options not object": `{"mode":"transcript","options":[1]}`,
			"NUL in an option":   `{"mode":"transcript","options":{"language":"fr\u0000"}}`,
		} {
			t.Run("invalid body: "+name, func(t *testing.T) {
				// The body is checked before the room permission.
				expect(t, c.clients[outsider].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/", body),
					http.StatusBadRequest, detail("Invalid request."))
			})
		}
		t.Run("null options accepted", func(t *testing.T) {
			expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/", `{"mode":"screen_recording","options":null}`),
				http.StatusCreated, message("Recording successfully started for room "+c.room.Slug))
		})
		t.Run("unknown room", func(t *testing.T) {
			expect(t, c.clients[asOwner].do(t, http.MethodPost, "/rooms/no-such-room/start-recording/", `{"mode":"transcript"}`),
				http.StatusNotFound, detail(rooms.NoRoomMessage))
		})
	})
}

func TestRecordingStopMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		for _, tc := range []struct {
			who    string
			status int
		}{
			{anonymous, http.StatusUnauthorized}, {outsider, http.StatusForbidden}, {asMember, http.StatusForbidden},
			{asAdmin, http.StatusOK}, {asOwner, http.StatusOK},
		} {
			t.Run(tc.who, func(t *testing.T) {
				c := re.newCast(t, rooms.Public, nil)
				path := "/rooms/" + c.room.ID + "/stop-recording/"
				if manages(tc.who) {
					expect(t, c.clients[tc.who].do(t, http.MethodPost, path, nil), http.StatusNotFound, detail(recordings.NoActiveMessage))
				}
				rec := re.startedBy(t, c, recordings.ScreenRecording)
				if _, err := re.db.ActivateRecording(context.Background(), rec.ID, "session"); err != nil {
					t.Fatal(err)
				}
				want := map[int]any{
					http.StatusUnauthorized: detail(noCredentials), http.StatusForbidden: detail(genericForbidden),
					http.StatusOK: message("Recording stopped for room " + c.room.Slug + "."),
				}[tc.status]
				expect(t, c.clients[tc.who].do(t, http.MethodPost, path, nil), tc.status, want)
				wantStatus := recordings.Active
				if tc.status == http.StatusOK {
					wantStatus = recordings.Stopped
				}
				if got := re.recording(t, rec.ID).Status; got != wantStatus {
					t.Fatalf("status after stop by %s = %s, want %s", tc.who, got, wantStatus)
				}
			})
		}
	})
}

func TestRecordingRetrieveListDeleteMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		c := re.newCast(t, rooms.Public, nil)
		rec := re.startedBy(t, c, recordings.Transcript)
		path := "/recordings/" + rec.ID + "/"

		retrieve := map[string]struct {
			status int
			body   any
		}{
			anonymous: {http.StatusUnauthorized, detail(noCredentials)},
			outsider:  {http.StatusNotFound, detail(recordings.NoRecordingMessage)},
			asMember:  {http.StatusForbidden, detail(genericForbidden)},
			asAdmin:   {http.StatusOK, recordingJSON(rec)},
			asOwner:   {http.StatusOK, recordingJSON(rec)},
		}
		for _, who := range personas {
			t.Run("retrieve "+who, func(t *testing.T) {
				w := retrieve[who]
				expect(t, c.clients[who].do(t, http.MethodGet, path, nil), w.status, w.body)
			})
			t.Run("list "+who, func(t *testing.T) {
				r := c.clients[who].do(t, http.MethodGet, "/recordings/", nil)
				switch who {
				case anonymous:
					expect(t, r, http.StatusUnauthorized, detail(noCredentials))
				case outsider:
					expect(t, r, http.StatusOK, map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
				default:
					expect(t, r, http.StatusOK, map[string]any{"count": 1, "next": nil, "previous": nil, "results": []any{recordingJSON(rec)}})
				}
			})
		}
		t.Run("retrieve unknown and malformed ids", func(t *testing.T) {
			expect(t, c.clients[asOwner].do(t, http.MethodGet, "/recordings/5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60/", nil), http.StatusNotFound, detail(recordings.NoRecordingMessage))
			expect(t, c.clients[asOwner].do(t, http.MethodGet, "/recordings/nope/", nil), http.StatusNotFound, detail(recordings.NoRecordingMessage))
		})

		// Delete: refused while the recording is not final, even to owners.
		for _, who := range personas {
			t.Run("delete in progress "+who, func(t *testing.T) {
				want := map[string]struct {
					status int
					body   any
				}{
					anonymous: {http.StatusUnauthorized, detail(noCredentials)},
					outsider:  {http.StatusNotFound, detail(recordings.NoRecordingMessage)},
					asMember:  {http.StatusForbidden, detail(genericForbidden)},
					asAdmin:   {http.StatusForbidden, detail(genericForbidden)},
					asOwner:   {http.StatusForbidden, detail(genericForbidden)},
				}[who]
				expect(t, c.clients[who].do(t, http.MethodDelete, path, nil), want.status, want.body)
			})
		}
		re.setStatus(t, rec.ID, recordings.Saved)
		expect(t, c.clients[asMember].do(t, http.MethodDelete, path, nil), http.StatusForbidden, detail(genericForbidden))
		expectEmpty(t, c.clients[asAdmin].do(t, http.MethodDelete, path, nil), http.StatusNoContent)
		expect(t, c.clients[asOwner].do(t, http.MethodGet, path, nil), http.StatusNotFound, detail(recordings.NoRecordingMessage))
	})
}

func TestRecordingExpiry(t *testing.T) {
	re := newRecEnv(t, storagetest.SQLite, func(c *recordings.Config) { c.ExpirationDays = 1 })
	c := re.newCast(t, rooms.Public, nil)
	rec := re.startedBy(t, c, recordings.Transcript)
	r := c.clients[asOwner].do(t, http.MethodGet, "/recordings/"+rec.ID+"/", nil)
	body := r.decoded(t).(map[string]any)
	// The test clock is in 2026 and the server's is now: expired.
	want := rec.CreatedAt.AddDate(0, 0, 1).UTC().Format("2006-01-02T15:04:05.999999999Z07:00")
	if body["is_expired"] != true || body["expired_at"] != want {
		t.Fatalf("is_expired %v expired_at %v, want true %s", body["is_expired"], body["expired_at"], want)
	}
	re.setStatus(t, rec.ID, recordings.Saved)
	n, err := re.svc.Purge(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v; want 1", n, err)
	}
}

func TestRecordingDownloadAndMediaAuth(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		c := re.newCast(t, rooms.Public, nil)
		rec := re.startedBy(t, c, recordings.Transcript)
		content := strings.Repeat("OggS-test-content-", 100)
		src := filepath.Join(t.TempDir(), "composite.ogg")
		if err := os.WriteFile(src, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := re.files.Put(context.Background(), rec.Key(), src); err != nil {
			t.Fatal(err)
		}
		download := "/recordings/" + rec.ID + "/download/"
		mediaAuth := func(who, original string) reply {
			req := c.clients[who].request(t, http.MethodGet, "/recordings/media-auth/", nil)
			req.Header.Set("X-Original-URL", original)
			return re.serve(req)
		}
		media := "https://meet.test/media/recordings/" + rec.ID + ".ogg"

		// Not saved yet: nobody gets the file.
		expect(t, c.clients[asOwner].do(t, http.MethodGet, download, nil), http.StatusForbidden, detail(genericForbidden))
		expect(t, mediaAuth(asOwner, media), http.StatusForbidden, detail(genericForbidden))
		re.setStatus(t, rec.ID, recordings.Saved)

		for _, tc := range []struct {
			who    string
			status int
			body   any
		}{
			{anonymous, http.StatusUnauthorized, detail(noCredentials)},
			{outsider, http.StatusNotFound, detail(recordings.NoRecordingMessage)},
			{asMember, http.StatusForbidden, detail(genericForbidden)},
			{asAdmin, http.StatusOK, nil},
			{asOwner, http.StatusOK, nil},
		} {
			t.Run(tc.who, func(t *testing.T) {
				r := c.clients[tc.who].do(t, http.MethodGet, download, nil)
				ma := mediaAuth(tc.who, media)
				if tc.status != http.StatusOK {
					expect(t, r, tc.status, tc.body)
					expect(t, ma, tc.status, tc.body)
					return
				}
				if r.status != http.StatusOK || string(r.body) != content || r.header.Get("Content-Type") != "audio/ogg" ||
					r.header.Get("Accept-Ranges") != "bytes" {
					t.Fatalf("download: %d %q %v", r.status, r.header.Get("Content-Type"), r.header)
				}
				expect(t, ma, http.StatusOK, "authorized")
			})
		}
		t.Run("range request", func(t *testing.T) {
			req := c.clients[asOwner].request(t, http.MethodGet, download, nil)
			req.Header.Set("Range", "bytes=5-14")
			r := re.serve(req)
			if r.status != http.StatusPartialContent || string(r.body) != content[5:15] ||
				r.header.Get("Content-Range") != fmt.Sprintf("bytes 5-14/%d", len(content)) {
				t.Fatalf("range: %d %q %q", r.status, r.body, r.header.Get("Content-Range"))
			}
		})
		t.Run("signed URL", func(t *testing.T) {
			u := re.svc.SignedMediaURL(re.recording(t, rec.ID), 3600e9)
			path := strings.TrimPrefix(u, "http://meet.test/api/v1.0")
			r := re.anonymous().do(t, http.MethodGet, path, nil)
			if r.status != http.StatusOK || string(r.body) != content {
				t.Fatalf("signed download: %d", r.status)
			}
			expect(t, re.anonymous().do(t, http.MethodGet, path[:len(path)-2]+"00", nil), http.StatusForbidden, detail("Invalid or expired signature."))
		})
		t.Run("media-auth refusals", func(t *testing.T) {
			expect(t, mediaAuth(asOwner, ""), http.StatusForbidden, detail(genericForbidden))
			expect(t, mediaAuth(asOwner, "https://meet.test/other/"+rec.ID+".ogg"), http.StatusForbidden, detail(genericForbidden))
			expect(t, mediaAuth(asOwner, "https://meet.test/media/recordings/"+rec.ID+".wav"), http.StatusBadRequest, detail("Unsupported file extension."))
			expect(t, mediaAuth(asOwner, "https://meet.test/media/recordings/"+rec.ID+".mp4"), http.StatusNotFound, detail(recordings.NoRecordingMessage))
			expect(t, mediaAuth(asOwner, "https://meet.test/media/recordings/5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60.ogg"), http.StatusNotFound, detail(recordings.NoRecordingMessage))
		})
	})
}

func TestRecordingHooks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		c := re.newCast(t, rooms.Public, nil)
		rec := re.startedBy(t, c, recordings.Transcript)
		hook := func(path, token, body string) reply {
			req := re.anonymous().request(t, http.MethodPost, path, body)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return re.serve(req)
		}
		const ext = "/recordings/external-process-hook/"
		expect(t, hook(ext, "", `{"job_id":"j"}`), http.StatusUnauthorized, detail("Invalid authentication token."))
		expect(t, hook(ext, "wrong", `{"job_id":"j"}`), http.StatusUnauthorized, detail("Invalid authentication token."))
		expect(t, hook(ext, recSummaryHookToken, `{}`), http.StatusBadRequest, fields("job_id", "This field is required."))
		expect(t, hook(ext, recSummaryHookToken, `{"job_id":"unknown","type":"transcript","status":"success"}`), http.StatusOK, message("Event processed."))

		const storageHook = "/recordings/storage-hook/"
		event := func(bucket, key, ct string) string {
			return fmt.Sprintf(`{"Records":[{"s3":{"bucket":{"name":%q},"object":{"key":%q,"contentType":%q}}}]}`, bucket, key, ct)
		}
		key := "recordings%2F" + rec.ID + ".ogg"
		expect(t, hook(storageHook, "", event(recBucket, key, "audio/ogg")), http.StatusUnauthorized, detail("Invalid authentication token."))
		expect(t, hook(storageHook, recStorageToken, `{"Records":[]}`), http.StatusForbidden, detail("Invalid request data."))
		expect(t, hook(storageHook, recStorageToken, event("other", key, "audio/ogg")), http.StatusForbidden, detail("Invalid bucket specified."))
		expect(t, hook(storageHook, recStorageToken, event(recBucket, key, "text/plain")), http.StatusOK, message("Notification ignored."))
		expect(t, hook(storageHook, recStorageToken, event(recBucket, "recordings%2F5f0c3b4e-7d0a-4c1e-9a57-1b2c3d4e5f60.ogg", "audio/ogg")), http.StatusNotFound, detail(recordings.NoRecordingMessage))
		// Initiated is not savable.
		expect(t, hook(storageHook, recStorageToken, event(recBucket, key, "audio/ogg")), http.StatusForbidden,
			detail("Recording with ID "+rec.ID+" cannot be saved because it is either, in an error state or has already been saved."))
		re.setStatus(t, rec.ID, recordings.Stopped)
		expect(t, hook(storageHook, recStorageToken, event(recBucket, key, "audio/ogg")), http.StatusOK, message("Event processed."))
		// No summary service configured: the notification failed, so saved.
		if got := re.recording(t, rec.ID).Status; got != recordings.Saved {
			t.Fatalf("status after storage event = %s, want saved", got)
		}
	})
}

// TestRecordingConcurrentStarts sends 50 start requests for one room at
// once: the database's partial unique index lets exactly one win.
func TestRecordingConcurrentStarts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		re := newRecEnv(t, e, nil)
		c := re.newCast(t, rooms.Public, nil)
		const n = 50
		replies := make([]reply, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				replies[i] = c.clients[asOwner].do(t, http.MethodPost, "/rooms/"+c.room.ID+"/start-recording/", `{"mode":"transcript"}`)
			})
		}
		wg.Wait()
		counts := map[int]int{}
		for _, r := range replies {
			counts[r.status]++
			if r.status == http.StatusConflict {
				expect(t, r, http.StatusConflict, map[string]any{"error": "A recording is already in progress for room " + c.room.Slug})
			}
		}
		if counts[http.StatusCreated] != 1 || counts[http.StatusConflict] != n-1 {
			t.Fatalf("statuses %v, want exactly one 201 and %d 409", counts, n-1)
		}
	})
}
