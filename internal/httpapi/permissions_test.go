package httpapi_test

// The permission matrix: who may call every route, in one table. Each row is
// one pattern exactly as routes.go registers it and the status each kind of
// caller gets, on a restricted room, on every engine. TestPermissionMatrix
// fails when routes.go registers a pattern without a row here (or a row names
// a pattern that no longer exists): adding a route means adding its row.

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// statuses are a row's expected statuses, one per matrixCallers column:
//
//	anonymous, stranger (signed in, no role), member, administrator, owner,
//	LiveKit token of this room, LiveKit token of another room.
type statuses [7]int

// permRow is one route of the matrix.
type permRow struct {
	// pattern is the route exactly as routes.go registers it.
	pattern string
	want    statuses
	// body returns the request body (nil: none): a valid request, so that
	// the statuses tell permissions apart, not validation.
	body func(f *fixture) any
	// id is the {id} path value (default: the room for rooms/, the member's
	// access for resource-accesses/, the saved recording for recordings/,
	// the member for users/).
	id func(f *fixture) string
	// edit changes the request before it is sent (headers, form bodies).
	edit func(f *fixture, r *http.Request)
	// activeRecording gives the room a recording in progress.
	activeRecording bool
	// why says what the row means where it is not obvious.
	why string
}

// Statuses, short, so each row fits on a line.
const (
	s200 = http.StatusOK
	s201 = http.StatusCreated
	s204 = http.StatusNoContent
	s302 = http.StatusFound
	s400 = http.StatusBadRequest
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s405 = http.StatusMethodNotAllowed
	s503 = http.StatusServiceUnavailable
)

// all is the same status for every caller.
func all(s int) statuses { return statuses{s, s, s, s, s, s, s} }

// permissionMatrix lists every route. Columns: anonymous, stranger, member,
// administrator, owner, LiveKit token (this room), LiveKit token (another room).
func permissionMatrix() []permRow {
	const v = apiV1
	roomName := func(f *fixture) any { return map[string]any{"name": "Matrix " + f.room.ID[:8] + " renamed"} }
	return []permRow{
		// Operations: open to all, outside authentication.
		{pattern: "GET /healthz", want: all(s200)},
		{pattern: "GET /readyz", want: all(s200)},
		{pattern: "GET /metrics", want: all(s200), why: "public on the API listener; serve it on its own listener to hide it"},

		// Configuration and users
		{pattern: "GET " + v + "/openapi.json", want: all(s200), why: "the API's description is public"},
		{pattern: "GET " + v + "/config/{$}", want: all(s200)},
		{pattern: "GET " + v + "/users/me/{$}", want: statuses{s401, s200, s200, s200, s200, s401, s401}},
		{pattern: "GET " + v + "/users/{$}", want: statuses{s401, s200, s200, s200, s200, s401, s401}},
		{pattern: "PUT " + v + "/users/me/{$}", want: all(s405)},
		{pattern: "PATCH " + v + "/users/me/{$}", want: all(s405)},
		{pattern: "PUT " + v + "/users/{id}/{$}", want: statuses{s401, s403, s200, s403, s403, s401, s401},
			body: userEdit, why: "only the user itself (the member here) edits its settings"},
		{pattern: "PATCH " + v + "/users/{id}/{$}", want: statuses{s401, s403, s200, s403, s403, s401, s401}, body: userEdit},

		// Rooms
		{pattern: "GET " + v + "/rooms/{$}", want: all(s200), why: "anonymous callers get an empty page, as the reference"},
		{pattern: "POST " + v + "/rooms/{$}", want: statuses{s401, s201, s201, s201, s201, s401, s401},
			body: func(f *fixture) any { return map[string]any{"name": "Matrix new " + f.room.ID[:8]} }},
		{pattern: "GET " + v + "/rooms/{id}/{$}", want: all(s200), why: "everyone sees a restricted room; only roles get a token"},
		{pattern: "GET " + v + "/rooms/{id}/preview/{$}", want: all(s200), why: "anyone with the link sees whether they must knock; names only for roles (preview_test.go)"},
		{pattern: "PUT " + v + "/rooms/{id}/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}, body: roomName},
		{pattern: "PATCH " + v + "/rooms/{id}/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}, body: roomName},
		{pattern: "DELETE " + v + "/rooms/{id}/{$}", want: statuses{s401, s403, s403, s403, s204, s401, s401}},
		{pattern: "POST " + v + "/rooms/{id}/remove-participant/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401},
			body: func(f *fixture) any { return map[string]any{"participant_identity": f.guestID} }},
		{pattern: "POST " + v + "/rooms/{id}/update-participant-role/{$}", want: statuses{s401, s403, s403, s403, s403, s401, s401},
			body: func(f *fixture) any {
				return map[string]any{"participant_identity": f.users[asMember].Sub, "role": "administrator"}
			},
			why: "hosts must be in the call themselves; the matrix's hosts are not (the role tests cover a connected host)"},
		{pattern: "POST " + v + "/rooms/{id}/invite/{$}", want: statuses{s401, s403, s403, s503, s503, s401, s401},
			body: func(*fixture) any { return map[string]any{"emails": []string{"guest@example.org"}} },
			why:  "hosts pass the rights check; without an SMTP server the matrix's hosts get 503 (invite_test.go sends)"},
		{pattern: "POST " + v + "/rooms/creation-callback/{$}", want: all(s200),
			body: func(*fixture) any { return map[string]any{"callback_id": "matrix-callback"} },
			why:  "anyone may poll; the result is read once"},
		{pattern: "GET " + v + "/rooms/creation-callback/{$}", want: all(s405)},
		{pattern: "PUT " + v + "/rooms/creation-callback/{$}", want: all(s405)},
		{pattern: "PATCH " + v + "/rooms/creation-callback/{$}", want: all(s405)},
		{pattern: "DELETE " + v + "/rooms/creation-callback/{$}", want: all(s405)},
		{pattern: "POST " + v + "/diagnostics/connection/{$}", want: all(s404),
			why: "the connection test is off in the matrix, the reference's default (diagnostics_test.go covers it on)"},
		{pattern: "/rtc", want: all(s204), why: "forwarded untouched: the SFU checks the join token"},
		{pattern: "/rtc/", want: all(s204), why: "forwarded untouched: the SFU checks the join token"},
		{pattern: "POST " + v + "/rooms/webhooks-livekit/{$}", want: statuses{s401, s401, s401, s401, s401, s400, s400},
			body: func(*fixture) any { return `{"event":"room_started"}` },
			why:  "only LiveKit's signature (a token over the body's hash) is accepted; a join token is not one"},

		// Resource accesses
		{pattern: "GET " + v + "/resource-accesses/{$}", want: statuses{s401, s200, s200, s200, s200, s401, s401}},
		{pattern: "POST " + v + "/resource-accesses/{$}", want: statuses{s401, s403, s403, s201, s201, s401, s401}, body: newAccess},
		{pattern: "GET " + v + "/resource-accesses/{id}/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401},
			why: "only the room's administrators and owners, even for one's own access"},
		{pattern: "PUT " + v + "/resource-accesses/{id}/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}, body: accessEdit},
		{pattern: "PATCH " + v + "/resource-accesses/{id}/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}, body: accessEdit},
		{pattern: "DELETE " + v + "/resource-accesses/{id}/{$}", want: statuses{s401, s403, s403, s204, s204, s401, s401}},

		// Lobby
		{pattern: "POST " + v + "/rooms/{id}/request-entry/{$}", want: all(s200),
			body: func(*fixture) any { return map[string]any{"username": "Knocker"} }},
		{pattern: "GET " + v + "/rooms/{id}/request-entry/stream/{$}", want: all(s200),
			edit: func(f *fixture, r *http.Request) {
				r.URL.RawQuery = "username=Waiting+Guest"
				r.AddCookie(&http.Cookie{Name: httpapi.LobbyCookie, Value: f.guestID})
			},
			why: "the waiting guest's stream, whoever holds its lobby cookie"},
		{pattern: "GET " + v + "/rooms/{id}/waiting-participants/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}},
		{pattern: "GET " + v + "/rooms/{id}/waiting-participants/stream/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401}},
		{pattern: "POST " + v + "/rooms/{id}/enter/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401},
			body: func(f *fixture) any { return map[string]any{"participant_id": f.guestID, "allow_entry": true} }},

		// Sign-in
		{pattern: "GET " + v + "/logout/{$}", want: all(s302)},
		{pattern: "POST " + v + "/logout/{$}", want: all(s302)},
		{pattern: "GET " + v + "/authenticate/{$}", want: all(s302)},
		{pattern: "GET " + v + "/callback/{$}", want: all(s400), why: "no pending sign-in state"},
		{pattern: "GET " + v + "/logout-callback/{$}", want: all(s302)},
		{pattern: "POST " + v + "/backchannel-logout/{$}", want: all(s400), why: "no logout token"},
		{pattern: "POST " + v + "/setup/{$}", want: all(s404),
			body: func(*fixture) any {
				return map[string]any{"token": matrixSetupToken, "email": "first@example.org", "password": "first-password"}
			},
			why: "the right token, but accounts exist: the first-run setup is closed (firstrun_test.go covers an empty instance)"},
		{pattern: "POST " + v + "/local-login/{$}", want: all(s204), why: "right password: anyone may sign in as the account",
			body: func(*fixture) any {
				return map[string]any{"email": matrixLocalEmail, "password": matrixLocalPassword}
			}},

		// Recordings
		{pattern: "POST " + v + "/rooms/{id}/start-recording/{$}", want: statuses{s401, s403, s403, s201, s201, s401, s401},
			body: func(*fixture) any { return map[string]any{"mode": "screen_recording"} }},
		{pattern: "POST " + v + "/rooms/{id}/stop-recording/{$}", want: statuses{s401, s403, s403, s200, s200, s401, s401},
			activeRecording: true},
		{pattern: "GET " + v + "/recordings/{$}", want: statuses{s401, s200, s200, s200, s200, s401, s401}},
		{pattern: "GET " + v + "/recordings/media-auth/{$}", want: statuses{s401, s404, s403, s200, s200, s401, s401},
			why: "as retrieve: 404 without a recording access, 403 for members",
			edit: func(f *fixture, r *http.Request) {
				r.Header.Set("X-Original-URL", "https://meet.test/media/recordings/"+f.recording.ID+".ogg")
			}},
		{pattern: "POST " + v + "/recordings/storage-hook/{$}", want: all(s401), body: func(*fixture) any { return "{}" },
			why: "only the storage's bearer token"},
		{pattern: "POST " + v + "/recordings/external-process-hook/{$}", want: all(s401), body: func(*fixture) any { return "{}" },
			why: "only the summary service's bearer token"},
		{pattern: "GET " + v + "/recordings/{id}/{$}", want: statuses{s401, s404, s403, s200, s200, s401, s401},
			why: "404 without a recording access, 403 for members, as the reference"},
		{pattern: "DELETE " + v + "/recordings/{id}/{$}", want: statuses{s401, s404, s403, s204, s204, s401, s401}},
		{pattern: "GET " + v + "/recordings/{id}/download/{$}", want: statuses{s401, s404, s403, s200, s200, s401, s401}},

		// External API: only an application's credentials and the delegated
		// tokens they buy count (external_test.go covers those, per scope and role).
		{pattern: "POST " + extV1 + "/application/token/{$}", want: all(s200),
			body: func(f *fixture) any { return tokenReq(f.extClientID, f.extSecret, f.users[asOwner].Email) },
			why:  "whoever holds the application's credentials; sessions and LiveKit tokens play no part"},
		{pattern: "GET " + extV1 + "/rooms/{$}", want: all(s401), why: "sessions and LiveKit tokens are not delegated tokens"},
		{pattern: "POST " + extV1 + "/rooms/{$}", want: all(s401), body: func(*fixture) any { return map[string]any{} },
			why: "sessions and LiveKit tokens are not delegated tokens"},
		{pattern: "GET " + extV1 + "/rooms/{id}/{$}", want: all(s401), why: "sessions and LiveKit tokens are not delegated tokens"},
	}
}

func userEdit(*fixture) any { return map[string]any{"timezone": "Europe/Paris", "language": "fr-fr"} }

func newAccess(f *fixture) any {
	return map[string]any{"user": f.users[outsider].ID, "resource": f.room.ID, "role": "member"}
}

func accessEdit(f *fixture) any {
	return map[string]any{"user": f.users[asMember].ID, "resource": f.room.ID, "role": "administrator"}
}

// defaultID is the {id} of a pattern whose row does not say.
func defaultID(f *fixture, pattern string) string {
	switch {
	case strings.Contains(pattern, "/resource-accesses/"):
		return f.accessID[asMember]
	case strings.Contains(pattern, "/recordings/"):
		return f.recording.ID
	case strings.Contains(pattern, "/users/"):
		return f.users[asMember].ID
	}
	return f.room.ID
}

// cellRequest builds the request of row for caller who.
func cellRequest(t *testing.T, row permRow, f *fixture, who string) *http.Request {
	t.Helper()
	method, path, ok := strings.Cut(row.pattern, " ")
	if !ok {
		method, path = http.MethodGet, row.pattern
	}
	id := defaultID(f, row.pattern)
	if row.id != nil {
		id = row.id(f)
	}
	path = strings.ReplaceAll(strings.TrimSuffix(path, "{$}"), "{id}", id)
	var body any
	if row.body != nil {
		body = row.body(f)
	}
	c, bearer := f.client(who)
	req := c.request(t, method, strings.TrimPrefix(path, apiV1), body)
	if !strings.HasPrefix(path, apiV1) {
		req.URL.Path, req.RequestURI = path, path
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if row.edit != nil {
		row.edit(f, req)
	}
	return req
}

func TestPermissionMatrix(t *testing.T) {
	rows := permissionMatrix()
	byPattern := map[string]permRow{}
	for _, r := range rows {
		if _, dup := byPattern[r.pattern]; dup {
			t.Errorf("permission matrix: two rows for %q", r.pattern)
		}
		byPattern[r.pattern] = r
	}

	t.Run("every route has a row", func(t *testing.T) {
		env := newMatrixEnv(t, storagetest.SQLite)
		patterns := httpapi.Patterns(env.srv)
		for _, p := range patterns {
			if _, ok := byPattern[p]; !ok {
				t.Errorf("route %q (routes.go) has no row in permissionMatrix (permissions_test.go): add one with the status each caller gets", p)
			}
		}
		for _, r := range rows {
			if !slices.Contains(patterns, r.pattern) {
				t.Errorf("permissionMatrix row %q names no registered route: remove or rename it", r.pattern)
			}
		}
	})

	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newMatrixEnv(t, e)
		for _, row := range rows {
			t.Run(row.pattern, func(t *testing.T) {
				for i, who := range matrixCallers {
					f := env.newFixture(t, row.activeRecording)
					got, body := serveCell(env.srv, cellRequest(t, row, f, who))
					if got != row.want[i] {
						t.Errorf("%s as %s: status %d, want %d (%s); body: %.300s", row.pattern, who, got, row.want[i], row.why, body)
					}
				}
			})
		}
	})
}
