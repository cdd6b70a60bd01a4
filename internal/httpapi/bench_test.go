package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// BenchmarkRoomRetrieveBySlug measures GET rooms/{slug}/ through the whole
// router (request id, security headers, session lookup, CSRF cookie, room
// and role lookups, LiveKit token signing, JSON encoding) on each engine:
// as the owner (who also gets the access list) and anonymously on a public
// room. Run it with
//
//	go test -run '^$' -bench RoomRetrieve -benchmem ./internal/httpapi/
func BenchmarkRoomRetrieveBySlug(b *testing.B) {
	for _, e := range storagetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			env := newAPIEnv(b, e, withRealClock())
			c := env.newCast(b, rooms.Public, nil)
			path := "/rooms/" + c.room.Slug + "/"
			for _, who := range []string{asOwner, anonymous} {
				cl := c.clients[who]
				b.Run(who, func(b *testing.B) {
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
		})
	}
}
