package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// openAPIFragments are the parts of the OpenAPI document, one file per API
// (api.json for /api/v1.0/, external.json for /external-api/v1.0/). Each is
// {"paths": {...}, "components": {"schemas": {...}, "securitySchemes": {...}}}.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

// openAPIFragment is one fragment file.
type openAPIFragment struct {
	Paths      map[string]json.RawMessage            `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

// OpenAPIDocument merges every fragment of fsys (openapi/*.json) into one
// OpenAPI 3.1 document served from publicURL. A path, or a component of the
// same kind and name, defined by two fragments is an error: two APIs must not
// claim the same route or silently replace each other's schemas.
func OpenAPIDocument(fsys fs.FS, publicURL *url.URL) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	paths := map[string]json.RawMessage{}
	components := map[string]map[string]json.RawMessage{}
	owner := map[string]string{} // "paths /x" or "schemas Room" → file
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var f openAPIFragment
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("httpapi: OpenAPI fragment %s: %w", name, err)
		}
		claim := func(key string) error {
			if prev, ok := owner[key]; ok {
				return fmt.Errorf("httpapi: OpenAPI fragments %s and %s both define %s", prev, name, key)
			}
			owner[key] = name
			return nil
		}
		for p, item := range f.Paths {
			if err := claim("path " + p); err != nil {
				return nil, err
			}
			paths[p] = item
		}
		for kind, defs := range f.Components {
			if components[kind] == nil {
				components[kind] = map[string]json.RawMessage{}
			}
			for n, def := range defs {
				if err := claim(kind + " " + n); err != nil {
					return nil, err
				}
				components[kind][n] = def
			}
		}
	}
	server := strings.TrimSuffix(publicURL.String(), "/")
	return json.Marshal(map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "meet",
			"version":     "1.0",
			"description": "La Suite Meet compatible API of meet. docs/api.md describes each route's behaviour.",
		},
		"servers":    []map[string]string{{"url": server}},
		"paths":      paths,
		"components": components,
	})
}

// handleOpenAPI serves the OpenAPI document: public, cacheable, the same
// for every caller.
func (s *Server) handleOpenAPI(doc []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(doc)
	})
}
