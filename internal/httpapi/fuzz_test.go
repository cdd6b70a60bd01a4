package httpapi_test

// Fuzz targets of every handler that reads a request body or sign-in
// parameters, through the real router on SQLite: whatever the input, the
// answer is never 5xx, and an error is a JSON body with an X-Request-Id.
// Each target is its own `go test -fuzz` run (see `make fuzz`); the seeds
// in testdata/fuzz and below run with every `go test`.

import (
	"net/http"
	"strings"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// nastyBodies are seeds every body target starts from: NUL bytes, invalid
// UTF-8, lone surrogates, huge and odd numbers, deep nesting, duplicate keys,
// wrong JSON types and a byte-order mark.
var nastyBodies = []string{
	"", "null", "[]", `"x"`, "{", "{}}", "\x00", `{"a":"\u0000"}`, "{\"a\":\"\x00\"}", "{\"a\":\"\xff\xfe\"}",
	`{"a":"\ud800"}`, `{"a":1e999999}`, `{"a":-0.0e-400}`, `{"a":123456789012345678901234567890}`,
	strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000), strings.Repeat("[", 20000),
	`{"a":1,"a":"2"}`, "\xef\xbb\xbf{}", `{"a":` + `"` + strings.Repeat("x", 70000) + `"}`,
}

// fuzzRoute fuzzes the body of one route, sent as who (a persona of the
// matrix) to the path made from a fixture. seeds are valid bodies.
func fuzzRoute(f *testing.F, method, who string, path func(fx *fixture) string, seeds ...func(fx *fixture) string) {
	env := newMatrixEnv(f, storagetest.SQLite)
	fx := env.newFixture(f, false)
	for _, s := range nastyBodies {
		f.Add([]byte(s))
	}
	for _, s := range seeds {
		f.Add([]byte(s(fx)))
	}
	target := strings.TrimPrefix(path(fx), apiV1)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fx.client(who)
		req := c.request(t, method, target, body)
		if who == anonymous {
			req.AddCookie(&http.Cookie{Name: httpapi.LobbyCookie, Value: fx.guestID})
		}
		checkNo5xx(t, env.serve(req), body)
	})
}

// checkNo5xx fails on a 5xx, and on an error answer that is not JSON with
// a request id.
func checkNo5xx(t *testing.T, r reply, input []byte) {
	t.Helper()
	if r.status >= 500 {
		t.Fatalf("input %.200q: status %d: %.300s", input, r.status, r.body)
	}
	if r.status >= 400 {
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("input %.200q: error %d with Content-Type %q", input, r.status, ct)
		}
		if r.header.Get("X-Request-Id") == "" {
			t.Fatalf("input %.200q: error %d without X-Request-Id", input, r.status)
		}
	}
}

func roomPath(suffix string) func(fx *fixture) string {
	return func(fx *fixture) string { return apiV1 + "/rooms/" + fx.room.ID + "/" + suffix }
}

func constant(s string) func(*fixture) string { return func(*fixture) string { return s } }

func FuzzRoomCreateBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, asOwner, constant("/rooms/"),
		constant(`{"name":"Fuzz room","access_level":"trusted","configuration":{"can_publish_sources":["camera"]}}`),
		constant(`{"name":"Réunion d'équipe","pin_code":"1234"}`))
}

func FuzzRoomUpdateBody(f *testing.F) {
	fuzzRoute(f, http.MethodPatch, asOwner, roomPath(""),
		constant(`{"name":"Renamed","access_level":"restricted","configuration":{"everyone_can_screenshare":true}}`),
		constant(`{"configuration":null}`))
}

func FuzzAccessCreateBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, asOwner, constant("/resource-accesses/"),
		func(fx *fixture) string {
			return `{"user":"` + fx.users[outsider].ID + `","resource":"` + fx.room.ID + `","role":"member"}`
		})
}

func FuzzAccessUpdateBody(f *testing.F) {
	fuzzRoute(f, http.MethodPatch, asOwner, func(fx *fixture) string { return "/resource-accesses/" + fx.accessID[asMember] + "/" },
		constant(`{"role":"administrator"}`), constant(`{"role":"owner","user":"x"}`))
}

func FuzzUserUpdateBody(f *testing.F) {
	fuzzRoute(f, http.MethodPatch, asMember, func(fx *fixture) string { return "/users/" + fx.users[asMember].ID + "/" },
		constant(`{"timezone":"Europe/Paris","language":"fr-fr","full_name":"X"}`))
}

func FuzzRequestEntryBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, anonymous, roomPath("request-entry/"), constant(`{"username":"Guest"}`))
}

func FuzzEnterBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, asOwner, roomPath("enter/"),
		func(fx *fixture) string { return `{"participant_id":"` + fx.guestID + `","allow_entry":true}` },
		constant(`{"participant_id":"nobody","allow_entry":"yes"}`))
}

func FuzzRemoveParticipantBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, asOwner, roomPath("remove-participant/"), constant(`{"participant_identity":"someone"}`))
}

func FuzzLocalLoginBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, outsider, constant("/local-login/"),
		constant(`{"email":"`+matrixLocalEmail+`","password":"`+matrixLocalPassword+`"}`),
		constant(`{"email":"nobody@example.com","password":"x"}`))
}

func FuzzRecordingStartBody(f *testing.F) {
	fuzzRoute(f, http.MethodPost, asOwner, roomPath("start-recording/"),
		constant(`{"mode":"transcript","options":{"language":"fr","original_mode":"screen_recording"}}`),
		constant(`{"mode":"screen_recording","options":null}`))
}

// fuzzQuery fuzzes the query string of a sign-in route.
func fuzzQuery(f *testing.F, path string, seeds ...string) {
	env := newMatrixEnv(f, storagetest.SQLite)
	fx := env.newFixture(f, false)
	for _, s := range append(seeds, "", "\x00", "%", "%zz", "a=%00", "returnTo=%ff", strings.Repeat("a=1&", 5000), ";;&&==") {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, rawQuery string, signedIn bool) {
		who := anonymous
		if signedIn {
			who = asOwner
		}
		req := fx.clients[who].request(t, http.MethodGet, path, nil)
		req.URL.RawQuery = rawQuery
		r := env.serve(req)
		checkNo5xx(t, r, []byte(rawQuery))
		if r.status != http.StatusFound && r.status != http.StatusBadRequest {
			t.Fatalf("query %.200q: status %d, want 302 or 400: %.300s", rawQuery, r.status, r.body)
		}
	})
}

// FuzzAuthenticateQuery: authenticate/ redirects to the provider or refuses
// the returnTo (400).
func FuzzAuthenticateQuery(f *testing.F) {
	fuzzQuery(f, "/authenticate/", "returnTo=%2Frooms%2Fx&silent=true", "returnTo=https%3A%2F%2Fevil.example%2F",
		"returnTo=http%3A%2F%2Fmeet.test%2Fx&returnTo=%2F%2Fevil", "silent=TRUE&silent=false")
}

// FuzzCallbackQuery: callback/ without a pending sign-in of that state is a
// 400, whatever the provider's parameters say.
func FuzzCallbackQuery(f *testing.F) {
	fuzzQuery(f, "/callback/", "code=abc&state=xyz", "error=login_required&state=", "state=%00&code=%ff",
		"error=access_denied&error_description=%3Cscript%3E")
}
