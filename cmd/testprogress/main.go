// Command testprogress runs `go test -json` and reports package by package,
// with a count, so that `make test` shows how far it is. A failing package's
// failing tests are printed with their whole output, and so is the output
// the package printed outside any test (a panic, a timeout, a build error).
//
// It also decides which optional suites run: when MEET_TEST_DATABASE_URL or
// MEET_TEST_REDIS_URL is unset and PostgreSQL (user postgres) or Redis
// answers at its default loopback address, the variable is set for the
// tests; otherwise it says that those suites are skipped.
//
// Usage: testprogress [-total N] [-services=false] -- <go test flags and packages>
//
// It exits non-zero when a package fails or go test does.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testprogress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	total := fs.Int("total", 0, "number of packages, for the count (0: unknown)")
	services := fs.Bool("services", true, "use PostgreSQL and Redis at their default loopback addresses when they answer")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	env := os.Environ()
	if *services {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		env = append(env, optionalSuites(ctx, os.Getenv, stdout)...)
		cancel()
	}
	cmd := exec.Command("go", append([]string{"test", "-json"}, fs.Args()...)...)
	cmd.Env = env
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "testprogress:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "testprogress:", err)
		return 1
	}
	sum := report(out, stdout, *total)
	waitErr := cmd.Wait()
	switch {
	case len(sum.failed) > 0:
		return 1
	case waitErr != nil:
		fmt.Fprintln(stderr, "testprogress: go test:", waitErr)
		return 1
	}
	return 0
}
