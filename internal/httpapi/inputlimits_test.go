package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"meet/internal/storage/storagetest"
)

// A client choosing its own HTTP method name must not be able to create
// metric series: every unknown method is counted as "other".
func TestMetricsLabelsAreBounded(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite)
	metricsSize := func() (string, int) {
		r := env.serve(httptest.NewRequest(http.MethodGet, "http://meet.test/metrics", nil))
		if r.status != http.StatusOK {
			t.Fatalf("/metrics: %d", r.status)
		}
		return string(r.body), strings.Count(string(r.body), "meet_http_requests_total{")
	}
	for i := range 3 {
		req := httptest.NewRequest("X"+strconv.Itoa(i), "http://meet.test/api/v1.0/config/", nil)
		env.serve(req)
	}
	_, before := metricsSize()
	for i := 3; i < 200; i++ {
		env.serve(httptest.NewRequest("X"+strconv.Itoa(i), "http://meet.test/api/v1.0/config/", nil))
		env.serve(httptest.NewRequest(http.MethodGet, "http://meet.test/api/v1.0/no-such-route-"+strconv.Itoa(i)+"/", nil))
	}
	body, after := metricsSize()
	// The /metrics scrape itself adds its own series once.
	if after > before+2 {
		t.Fatalf("197 new method names and paths grew meet_http_requests_total from %d to %d series", before, after)
	}
	if strings.Contains(body, `method="X1`) || strings.Contains(body, "no-such-route") {
		t.Fatalf("a client-chosen value became a label:\n%s", body)
	}
	if !strings.Contains(body, `method="other"`) || !strings.Contains(body, `route="unmatched"`) {
		t.Fatalf("unknown methods and paths are not counted under other/unmatched:\n%s", body)
	}
}

// Every request line names the signed-in user.
func TestRequestLogNamesTheUser(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite)
	ann := env.userClient(t, "ann")
	expect(t, ann.do(t, http.MethodGet, "/rooms/", nil), http.StatusOK,
		map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
	var found bool
	for _, line := range strings.Split(env.logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "request" || rec["path"] != apiV1+"/rooms/" {
			continue
		}
		found = true
		if rec["user_id"] != ann.user.ID {
			t.Fatalf("request line user_id = %v, want %s: %s", rec["user_id"], ann.user.ID, line)
		}
	}
	if !found {
		t.Fatalf("no request line for rooms/ in:\n%s", env.logs.String())
	}
}

// NUL characters are refused with 400 under the field's name on both
// engines (PostgreSQL cannot store them), and nothing is stored.
func TestNullCharactersRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		ann := env.userClient(t, "ann")
		nul := map[string][]string{"name": {"Null characters are not allowed."}}
		expect(t, ann.do(t, http.MethodPost, "/rooms/", `{"name":"a\u0000b"}`), http.StatusBadRequest, nul)
		expect(t, ann.do(t, http.MethodPost, "/rooms/", `{"name":"ok","configuration":{"k\u0000":1}}`), http.StatusBadRequest,
			map[string][]string{"configuration": {"Null characters are not allowed."}})
		// An escaped backslash followed by "u0000" is text, not a NUL.
		created := ann.do(t, http.MethodPost, "/rooms/", `{"name":"a\\u0000b"}`)
		if created.status != http.StatusCreated {
			t.Fatalf("literal backslash-u0000 refused: %d %s", created.status, created.body)
		}
		list := ann.do(t, http.MethodGet, "/rooms/", nil).decoded(t).(map[string]any)
		if results := list["results"].([]any); list["count"] != 1.0 || results[0].(map[string]any)["name"] != `a\u0000b` {
			t.Fatalf("stored rooms: %v", list)
		}
		expect(t, ann.do(t, http.MethodGet, "/rooms/some-room/?username=a%00", nil), http.StatusBadRequest,
			map[string][]string{"username": {"Null characters are not allowed."}})
		expect(t, ann.do(t, http.MethodGet, "/rooms/a%00b/", nil), http.StatusNotFound, map[string]string{"detail": "Not found."})
	})
}

// Page numbers whose offset overflows are pages past the end: 404.
func TestHugePageNumbers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newAPIEnv(t, e)
		ann := env.userClient(t, "ann")
		for _, q := range []string{"page=9223372036854775807", "page=107374183&page_size=20", "page=99999999999999999999"} {
			expect(t, ann.do(t, http.MethodGet, "/rooms/?"+q, nil), http.StatusNotFound, map[string]string{"detail": "Invalid page."})
		}
	})
}
