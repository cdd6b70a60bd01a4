// Package internal_test checks the package cut: domain packages depend only
// on the standard library and each other, and LiveKit stays in its adapter.
package internal_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowed lists, for each domain package, the meet packages and modules its
// non-test files may import besides the standard library.
var allowed = map[string][]string{
	"apperr": {},
	"config": {},
	"mail":   {"meet/internal/rooms"},
	"auth":   {"meet/internal/apperr"},
	"rooms":  {"meet/internal/apperr", "meet/internal/auth", "golang.org/x/text/unicode/norm"},
	"users":  {"meet/internal/apperr", "meet/internal/rooms"},
	"lobby":  {"meet/internal/apperr", "meet/internal/auth", "meet/internal/rooms"},
	"applications": {"meet/internal/apperr", "meet/internal/auth", "meet/internal/rooms", "meet/internal/users",
		"github.com/golang-jwt/jwt/v5"},
	"recordings": {"meet/internal/apperr", "meet/internal/auth", "meet/internal/mail", "meet/internal/rooms", "meet/internal/users"},
}

func imports(t *testing.T, dir string, withTests bool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	entries, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range entries {
		if !withTests && strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			out[path] = append(out[path], file)
		}
	}
	return out
}

func isStdlib(path string) bool {
	return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") && !strings.HasPrefix(path, "meet/")
}

func TestDomainPackagesImportNoAdapters(t *testing.T) {
	for pkg, ok := range allowed {
		for path, files := range imports(t, pkg, false) {
			if isStdlib(path) || slices.Contains(ok, path) {
				continue
			}
			t.Errorf("%s imports %s (in %v); domain packages may import only %v and the standard library", pkg, path, files, ok)
		}
	}
}

func TestLiveKitStaysInItsAdapter(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "web", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasPrefix(filepath.ToSlash(path), "../internal/livekit/") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/livekit/") || strings.HasPrefix(p, "github.com/pion/") {
				t.Errorf("%s imports %s: only internal/livekit may import LiveKit and pion", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
