package httpapi

import (
	"context"
	"net/http"
	"time"
)

// handleHealth reports that the process is up.
func handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handleReady reports whether every dependency answers, naming the ones that don't.
func (s *Server) handleReady() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		checks := map[string]string{}
		status := http.StatusOK
		for _, c := range s.Ready {
			if err := c.Check(ctx); err != nil {
				s.log.WarnContext(ctx, "readiness check failed", "check", c.Name, "err", err)
				checks[c.Name] = "unavailable"
				status = http.StatusServiceUnavailable
				continue
			}
			checks[c.Name] = "ok"
		}
		writeJSON(w, status, map[string]any{"status": map[bool]string{true: "ok", false: "unavailable"}[status == http.StatusOK], "checks": checks})
	})
}
