// Command meet-loadtest drives a running `meet serve` with N guests waiting in
// one room's lobby and hosts admitting them, and reports the admission
// latency (host's POST enter sent → guest holding a LiveKit token), the
// request rate, and the server's CPU and memory.
//
// Guests either hold a Server-Sent Events stream (-mode push) or poll
// request-entry every second as La Suite Meet's front end does (-mode poll).
// It only talks to loopback addresses: it is a benchmark, not a flood tool.
//
//	meet-loadtest -url http://127.0.0.1:8080 -email host@example.com -guests 1000 -mode push
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "meet-loadtest:", err)
		}
		os.Exit(1)
	}
}

// config is the tool's settings, from flags (and the password from the
// environment when not given as a flag).
type config struct {
	base         *url.URL
	guests       int
	mode         string // push or poll
	hosts        int
	rate         float64 // admissions per second, all hosts together
	duration     time.Duration
	timeout      time.Duration
	pollEvery    time.Duration
	ramp         int // concurrent knocks while guests arrive
	email        string
	password     string
	room         string // existing room (id or slug) to reuse; "" creates one
	serverPID    int
	settle       time.Duration
	markdownName string
}

// throttlePerMinute is meet's default request-entry throttle per cookie.
const throttlePerMinute = 150

// parseConfig reads and validates the flags, reporting every problem at once.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("meet-loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "base URL of the meet server (loopback only)")
	fs.IntVar(&c.guests, "guests", 1000, "number of waiting guests")
	fs.StringVar(&c.mode, "mode", "push", "how guests and hosts learn of changes: push (Server-Sent Events) or poll (every -poll-every)")
	fs.IntVar(&c.hosts, "hosts", 1, "number of hosts (sessions of the owner) listing and admitting guests")
	fs.Float64Var(&c.rate, "rate", 20, "admissions per second, all hosts together")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "length of the admission phase (measurement window)")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Minute, "give up after this long in total")
	fs.DurationVar(&c.pollEvery, "poll-every", time.Second, "poll interval in poll mode (the reference front end polls every second)")
	fs.IntVar(&c.ramp, "ramp", 64, "concurrent request-entry calls while guests arrive")
	fs.StringVar(&c.email, "email", "", "e-mail of a local account that owns (or will create) the room")
	fs.StringVar(&c.password, "password", "", "its password (default: $MEET_LOADTEST_PASSWORD)")
	fs.StringVar(&c.room, "room", "", "id or slug of an existing restricted room owned by the account (default: create one)")
	fs.IntVar(&c.serverPID, "server-pid", 0, "pid of the server, for CPU and RSS (default: the process listening on the URL's port)")
	fs.DurationVar(&c.settle, "settle", 2*time.Second, "pause between the last guest's arrival and the admission phase")
	fs.StringVar(&c.markdownName, "label", "", "label of the Markdown result row (default: mode and N)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.password == "" {
		c.password = getenv("MEET_LOADTEST_PASSWORD")
	}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	u, err := loopbackURL(*rawURL)
	if err != nil {
		bad("-url: %v", err)
	}
	c.base = u
	if c.guests < 1 {
		bad("-guests must be at least 1")
	}
	if c.mode != "push" && c.mode != "poll" {
		bad("-mode must be push or poll, got %q", c.mode)
	}
	if c.hosts < 1 {
		bad("-hosts must be at least 1")
	}
	if c.rate <= 0 {
		bad("-rate must be positive")
	}
	if c.duration <= 0 {
		bad("-duration must be positive")
	}
	if c.timeout <= c.duration {
		bad("-timeout must be longer than -duration")
	}
	// Each poll is one request-entry; the server allows throttlePerMinute a minute per cookie.
	if minEvery := time.Minute / throttlePerMinute; c.pollEvery <= minEvery {
		bad("-poll-every must be longer than %s (request-entry is throttled at %d a minute per guest)", minEvery, throttlePerMinute)
	}
	if c.ramp < 1 {
		bad("-ramp must be at least 1")
	}
	if c.email == "" || c.password == "" {
		bad("-email and -password (or MEET_LOADTEST_PASSWORD) are required: a local account (meet user add)")
	}
	if c.serverPID < 0 {
		bad("-server-pid must be positive")
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	if c.markdownName == "" {
		c.markdownName = fmt.Sprintf("%s, N = %d", c.mode, c.guests)
	}
	return c, nil
}

// loopbackURL parses raw and accepts it only when its host is 127.0.0.1, ::1
// or localhost: the tool opens thousands of connections and must never be
// pointed at someone else's server.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("give a base URL without credentials, query or fragment")
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("host %q is not loopback (127.0.0.1, ::1 or localhost)", u.Hostname())
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// isLoopbackHost reports whether host is exactly 127.0.0.1, ::1 or localhost.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback))
}

// run is the whole tool: parse, prepare the room, run the scenario, report.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	files, err := raiseOpenFiles()
	if err != nil {
		fmt.Fprintf(stderr, "warning: raising the open-file limit: %v\n", err)
	}
	if need := uint64(cfg.guests + cfg.hosts + 64); files < need {
		fmt.Fprintf(stderr, "warning: %d open files allowed, %d needed; raise the hard limit (ulimit -Hn) for this tool and for meet serve\n", files, need)
	}
	pid := cfg.serverPID
	if pid == 0 {
		if pid, err = pidListeningOn(cfg.base); err != nil {
			fmt.Fprintf(stderr, "warning: server process not found (%v): no CPU/RSS figures; pass -server-pid\n", err)
		}
	}
	res, err := newScenario(cfg, pid, stderr).run(ctx)
	if err != nil {
		return err
	}
	res.write(stdout, cfg)
	return nil
}

// raiseOpenFiles raises the soft RLIMIT_NOFILE to the hard limit (Go does so
// at start too; doing it here keeps the tool's needs explicit) and returns
// the soft limit in force.
func raiseOpenFiles() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		raised := syscall.Rlimit{Cur: lim.Max, Max: lim.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return lim.Cur, err
		}
		lim = raised
	}
	return lim.Cur, nil
}
