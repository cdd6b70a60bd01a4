package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goTestJSON is what `go test -json` prints for a passing package, a
// package without tests, a package with a failing subtest, a test binary
// that panicked and a package that did not build.
const goTestJSON = `{"Action":"start","Package":"meet/a"}
{"Action":"run","Package":"meet/a","Test":"TestOK"}
{"Action":"output","Package":"meet/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"output","Package":"meet/a","Test":"TestOK","Output":"    a_test.go:9: noise of a passing test\n"}
{"Action":"pass","Package":"meet/a","Test":"TestOK","Elapsed":0}
{"Action":"run","Package":"meet/a","Test":"TestPG"}
{"Action":"skip","Package":"meet/a","Test":"TestPG","Elapsed":0}
{"Action":"output","Package":"meet/a","Output":"ok  \tmeet/a\t0.10s\n"}
{"Action":"pass","Package":"meet/a","Elapsed":0.1}
{"Action":"start","Package":"meet/web"}
{"Action":"output","Package":"meet/web","Output":"?   \tmeet/web\t[no test files]\n"}
{"Action":"skip","Package":"meet/web","Elapsed":0}
not JSON: printed as it is
{"Action":"run","Package":"meet/b","Test":"TestTable"}
{"Action":"output","Package":"meet/b","Test":"TestTable","Output":"=== RUN   TestTable\n"}
{"Action":"run","Package":"meet/b","Test":"TestTable/bad"}
{"Action":"output","Package":"meet/b","Test":"TestTable/bad","Output":"    b_test.go:12: status 500, want 400\n"}
{"Action":"output","Package":"meet/b","Test":"TestTable/bad","Output":"    b_test.go:13: second line of the failure\n"}
{"Action":"fail","Package":"meet/b","Test":"TestTable/bad","Elapsed":0}
{"Action":"output","Package":"meet/b","Test":"TestTable","Output":"--- FAIL: TestTable (0.00s)\n"}
{"Action":"fail","Package":"meet/b","Test":"TestTable","Elapsed":0}
{"Action":"run","Package":"meet/b","Test":"TestFine"}
{"Action":"output","Package":"meet/b","Test":"TestFine","Output":"fine output\n"}
{"Action":"pass","Package":"meet/b","Test":"TestFine","Elapsed":0}
{"Action":"output","Package":"meet/b","Output":"FAIL\tmeet/b\t0.20s\n"}
{"Action":"fail","Package":"meet/b","Elapsed":0.2}
{"Action":"run","Package":"meet/c","Test":"TestHang"}
{"Action":"output","Package":"meet/c","Test":"TestHang","Output":"    c_test.go:5: waiting for the SFU\n"}
{"Action":"output","Package":"meet/c","Output":"panic: test timed out after 30m0s\n"}
{"Action":"fail","Package":"meet/c","Elapsed":1800}
{"ImportPath":"meet/d [meet/d.test]","Action":"build-output","Output":"d_test.go:3:1: syntax error\n"}
{"ImportPath":"meet/d [meet/d.test]","Action":"build-fail"}
{"Action":"fail","Package":"meet/d","Elapsed":0,"FailedBuild":"meet/d [meet/d.test]"}
`

func TestReport(t *testing.T) {
	var out strings.Builder
	sum := report(strings.NewReader(goTestJSON), &out, 5)
	got := out.String()
	t.Log("\n" + got)
	if sum.done != 5 || strings.Join(sum.failed, " ") != "meet/b meet/c meet/d" {
		t.Errorf("done %d, failed %v; want 5 and meet/b meet/c meet/d", sum.done, sum.failed)
	}
	for _, want := range []string{
		"[1/5] ok   meet/a 0.1s (2 tests, 1 skipped)\n",
		"[2/5] --   meet/web 0.0s (no tests)\n",
		"not JSON: printed as it is\n",
		"[3/5] FAIL meet/b 0.2s (3 tests)\n",
		"=== RUN   TestTable\n--- FAIL: TestTable (0.00s)\n    b_test.go:12: status 500, want 400\n    b_test.go:13: second line of the failure\nFAIL\tmeet/b\t0.20s\n",
		"[4/5] FAIL meet/c 1800.0s (0 tests)\n",
		"    c_test.go:5: waiting for the SFU\npanic: test timed out after 30m0s\n",
		"[5/5] FAIL meet/d 0.0s (0 tests)\n",
		"d_test.go:3:1: syntax error\n",
		"; FAILED: meet/b meet/c meet/d\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, noise := range []string{"noise of a passing test", "fine output"} {
		if strings.Contains(got, noise) {
			t.Errorf("report shows %q, the output of a passing test", noise)
		}
	}
}

// TestRunExitStatus runs go test on a tiny module through run: a failing
// test makes run exit 1 and its output is shown; a passing one exits 0.
func TestRunExitStatus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module probe\n\ngo 1.25\n")
	write("p_test.go", "package p\n\nimport (\"os\"; \"testing\")\n\nfunc TestP(t *testing.T) { if os.Getenv(\"PROBE_FAIL\") != \"\" { t.Fatal(\"the probe failed\") } }\n")
	t.Chdir(dir)
	var out, errOut strings.Builder
	if code := run([]string{"-services=false", "--", "-count=1", "./..."}, &out, &errOut); code != 0 {
		t.Fatalf("passing run: exit %d\n%s%s", code, &out, &errOut)
	}
	t.Setenv("PROBE_FAIL", "1")
	out.Reset()
	if code := run([]string{"-services=false", "--", "-count=1", "./..."}, &out, &errOut); code != 1 {
		t.Fatalf("failing run: exit %d, want 1\n%s", code, &out)
	}
	if !strings.Contains(out.String(), "the probe failed") || !strings.Contains(out.String(), "[1] FAIL probe") {
		t.Errorf("failing run output:\n%s", &out)
	}
}

// TestOptionalSuites checks what is said and set: a variable already set is
// kept; a server that does not answer is reported as skipped.
func TestOptionalSuites(t *testing.T) {
	set := map[string]string{envDatabase: "postgres://elsewhere"}
	var out strings.Builder
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing can answer a cancelled context
	env := optionalSuites(ctx, func(k string) string { return set[k] }, &out)
	if len(env) != 0 {
		t.Errorf("env = %v, want nothing added", env)
	}
	for _, want := range []string{
		"PostgreSQL suites: on (MEET_TEST_DATABASE_URL from the environment)\n",
		"Redis suites: SKIPPED, nothing answers at redis://127.0.0.1:6379/0",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
}
