package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"meet/internal/livekit"
	"meet/internal/rooms"
	"meet/internal/storage/storagetest"
)

// BenchmarkTokenIssuance compares, in one run, what a join costs through
// meet's whole router (GET rooms/{slug}/ for a guest of a public room:
// middleware, session and CSRF checks, room lookup in SQLite, grant rules,
// token signing, JSON) with a bare net/http handler that only signs the same
// LiveKit JWT and writes it. The ratio of their throughputs is the price of
// everything meet does besides signing. Both run in parallel on every core:
//
//	go test -run '^$' -bench TokenIssuance -benchmem ./internal/httpapi/
func BenchmarkTokenIssuance(b *testing.B) {
	env := newAPIEnv(b, storagetest.SQLite, withRealClock())
	room := &rooms.Room{ID: rooms.NewID(), Name: "Bench room", Slug: "bench-room", AccessLevel: rooms.Public, Configuration: rooms.Configuration{}}
	owner := env.newUser(b, "Bench Owner")
	if err := env.db.CreateRoom(b.Context(), room, owner.ID); err != nil {
		b.Fatal(err)
	}

	b.Run("meet-router", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec := httptest.NewRecorder()
				env.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1.0/rooms/bench-room/?username=Guest", nil))
				if rec.Code != http.StatusOK {
					b.Errorf("status %d: %s", rec.Code, rec.Body)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})

	issuer := livekit.NewTokenIssuer(livekit.TokenOptions{APIKey: lkKey, APISecret: lkSecret, PublicURL: lkURL})
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, err := issuer.Issue(rooms.GrantFor(room.ID, nil, rooms.Joiner{Identity: rooms.NewID(), Name: r.URL.Query().Get("username")}))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"livekit": info})
	})
	b.Run("bare-handler", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec := httptest.NewRecorder()
				bare.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/token?username=Guest", nil))
				if rec.Code != http.StatusOK {
					b.Errorf("status %d", rec.Code)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
}
