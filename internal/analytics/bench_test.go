package analytics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTrack is what a request pays to record an event, with the
// analytics service answering, hung, or failing: the same, since requests
// only append to the queue.
func BenchmarkTrack(b *testing.B) {
	for _, mode := range []string{"ok", "hang", "fail"} {
		b.Run(mode, func(b *testing.B) {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch mode {
				case "hang":
					select {
					case <-r.Context().Done():
					case <-release:
					}
				case "fail":
					w.WriteHeader(http.StatusInternalServerError)
				}
			}))
			defer srv.Close()
			defer close(release)
			p, err := NewPostHog(Options{APIKey: "k", Host: srv.URL})
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx) }()
			props := map[string]any{"room_id": "5f0c4b0e-8d2a-4a34-9a38-1d2b9a6c3f10", "access_level": "restricted"}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p.Track("user-1", "room_created", props)
			}
			b.StopTimer()
			cancel()
			<-done
		})
	}
}
