package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"meet/internal/httpapi"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// BenchmarkRoomRetrieveAnalytics measures GET rooms/{slug}/ as the owner,
// which records a room_token_issued event, with no analytics service and
// with one that answers, hangs or fails (500): the request only queues the
// event, so its latency must not depend on the service. Run it with
//
//	go test -run '^$' -bench RoomRetrieveAnalytics -benchmem ./internal/httpapi/
func BenchmarkRoomRetrieveAnalytics(b *testing.B) {
	for _, mode := range []string{"none", "ok", "hang", "fail"} {
		b.Run(mode, func(b *testing.B) {
			var opt envOption = withRealClock()
			deps := func(*httpapi.Deps) {}
			if mode != "none" {
				ph := startPostHog(b, newCaptureServer(b, mode))
				deps = func(d *httpapi.Deps) { d.Analytics = ph }
			}
			env := newAPIEnv(b, storagetest.SQLite, opt, withDeps(deps))
			c := env.newCast(b, rooms.Public, nil)
			path := "/rooms/" + c.room.Slug + "/"
			cl := c.clients[asOwner]
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				env.srv.ServeHTTP(rec, cl.request(b, http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
