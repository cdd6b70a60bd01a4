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
	"files":      {"meet/internal/apperr", "meet/internal/auth"},
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

// noSFU lists the packages that must not link the LiveKit server, even
// through other meet packages, with whether their tests are held to it too.
// The SFU is package livekit/sfu: cmd/meet serves one, and tests that need a
// real SFU import it (through livekittest) from packages of their own
// (httpapi/withsfu), so that the API's test binary stays small to link.
var noSFU = map[string]bool{
	"livekit": false, // its own tests run an SFU
	"httpapi": true,
}

const livekitServer = "github.com/livekit/livekit-server"

func TestLiveKitServerStaysInSFU(t *testing.T) {
	for pkg, withTests := range noSFU {
		if chain := sfuChain(t, pkg, withTests, map[string]bool{}); chain != nil {
			t.Errorf("%s links %s through %s; only internal/livekit/sfu may import it", pkg, livekitServer, strings.Join(chain, " → "))
		}
	}
}

// sfuChain returns the imports by which the meet package in dir (relative
// to internal/) reaches livekit-server, or nil when it does not.
func sfuChain(t *testing.T, dir string, withTests bool, seen map[string]bool) []string {
	t.Helper()
	if seen[dir] {
		return nil
	}
	seen[dir] = true
	for path := range imports(t, dir, withTests) {
		if strings.HasPrefix(path, livekitServer) {
			return []string{path}
		}
		if sub, ok := strings.CutPrefix(path, "meet/internal/"); ok {
			if chain := sfuChain(t, sub, false, seen); chain != nil {
				return append([]string{path}, chain...)
			}
		}
	}
	return nil
}
