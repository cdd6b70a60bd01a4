package httpapi

import "net/http"

// routeTable registers routes on the server's mux and remembers each
// pattern, so that tests can check every route against the permission
// matrix: a route added to routes.go without a row there fails the build's
// tests instead of shipping unchecked.
type routeTable struct{ s *Server }

// Handle registers h for pattern, as http.ServeMux.Handle does.
func (t routeTable) Handle(pattern string, h http.Handler) {
	t.s.patterns = append(t.s.patterns, pattern)
	t.s.mux.Handle(pattern, h)
}
