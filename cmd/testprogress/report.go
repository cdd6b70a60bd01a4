package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

// pkgState is what a package has printed so far.
type pkgState struct {
	out        []string            // output outside any test
	tests      map[string][]string // output by test
	order      []string            // tests in the order they started
	failed     map[string]bool
	ended      map[string]bool // tests that passed, failed or skipped
	ran, skips int
}

// summary is the outcome of a run.
type summary struct {
	done   int
	failed []string // packages
}

// report reads go test's JSON from r and writes one line per finished
// package to w: "[done/total] ok|FAIL|skip package time (tests)". For a
// failed package it writes the whole output of its failed tests and what
// the package printed outside them, and build output for a failed build.
// Lines that are not JSON are copied as they are.
func report(r io.Reader, w io.Writer, total int) summary {
	var sum summary
	pkgs := map[string]*pkgState{}
	builds := map[string][]string{} // build output by import path
	start := time.Now()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(w, sc.Text())
			continue
		}
		if e.Action == "build-output" {
			builds[e.ImportPath] = append(builds[e.ImportPath], e.Output)
			continue
		}
		if e.Package == "" {
			continue
		}
		p := pkgs[e.Package]
		if p == nil {
			p = &pkgState{tests: map[string][]string{}, failed: map[string]bool{}, ended: map[string]bool{}}
			pkgs[e.Package] = p
		}
		if e.Test != "" {
			switch e.Action {
			case "run":
				p.order = append(p.order, e.Test)
			case "output":
				p.tests[e.Test] = append(p.tests[e.Test], e.Output)
			case "pass":
				p.ran++
				p.ended[e.Test] = true
			case "skip":
				p.ran++
				p.skips++
				p.ended[e.Test] = true
			case "fail":
				p.ran++
				p.failed[e.Test] = true
				p.ended[e.Test] = true
			}
			continue
		}
		switch e.Action {
		case "output":
			p.out = append(p.out, e.Output)
			continue
		case "pass", "fail", "skip":
		default:
			continue
		}
		sum.done++
		count := fmt.Sprint(sum.done)
		if total > 0 {
			count = fmt.Sprintf("%d/%d", sum.done, total)
		}
		status := map[string]string{"pass": "ok  ", "fail": "FAIL", "skip": "--  "}[e.Action]
		detail := fmt.Sprintf("%d tests", p.ran)
		if p.skips > 0 {
			detail += fmt.Sprintf(", %d skipped", p.skips)
		}
		if e.Action == "skip" {
			detail = "no tests"
		}
		fmt.Fprintf(w, "[%s] %s %s %.1fs (%s)\n", count, status, e.Package, e.Elapsed, detail)
		if e.Action == "fail" {
			sum.failed = append(sum.failed, e.Package)
			writeFailure(w, e, p, builds)
		}
		delete(pkgs, e.Package)
	}
	fmt.Fprintf(w, "%d packages in %s", sum.done, time.Since(start).Round(time.Second))
	if len(sum.failed) > 0 {
		fmt.Fprintf(w, "; FAILED: %s", strings.Join(sum.failed, " "))
	}
	fmt.Fprintln(w)
	return sum
}

func writeFailure(w io.Writer, e event, p *pkgState, builds map[string][]string) {
	rule := strings.Repeat("-", 72) + "\n"
	fmt.Fprint(w, rule)
	if e.FailedBuild != "" {
		fmt.Fprint(w, strings.Join(builds[e.FailedBuild], ""))
	}
	// A test that never ended was running when the binary died (a panic
	// or the timeout): its output says what it was doing.
	for _, name := range p.order {
		if p.failed[name] || !p.ended[name] {
			fmt.Fprint(w, strings.Join(p.tests[name], ""))
		}
	}
	fmt.Fprint(w, strings.Join(p.out, ""))
	fmt.Fprint(w, rule)
}
