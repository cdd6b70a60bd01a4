package httpapi

// Patterns returns every route pattern s registered, in routes.go's order
// (the permission matrix checks it has a row for each).
func Patterns(s *Server) []string { return append([]string(nil), s.patterns...) }
