package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"time"
)

// result is what a run measured.
type result struct {
	ramp           time.Duration // until every guest waited
	window         time.Duration // the admission phase
	admitted       int           // enter POSTs answered, 404s excluded
	expired        int           // enter answered 404 (the entry had expired)
	undelivered    int           // admitted guests who never got their token
	latencies      []time.Duration
	pollTimes      []time.Duration // request-entry response times (poll mode)
	enterTimes     []time.Duration // enter response times
	reqPerSec      float64
	eventsPerSec   float64
	haveServer     bool
	serverCores    float64
	toolCores      float64
	rssWindowMax   uint64
	rssMax         uint64
	rssHWM         uint64
	waitingAtStart int
	waitingAtEnd   int
	errors         map[string]int
}

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted, or 0 when it is empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// write prints a readable report and a Markdown table row.
func (r *result) write(w io.Writer, cfg config) {
	l := r.latencies
	fmt.Fprintf(w, "mode %s, %d guests, %d hosts, admitting %.0f/s for %s\n", cfg.mode, cfg.guests, cfg.hosts, cfg.rate, cfg.duration)
	fmt.Fprintf(w, "ramp: all guests waiting after %s; hosts saw %d waiting at the start, %d at the end\n",
		r.ramp.Round(time.Millisecond), r.waitingAtStart, r.waitingAtEnd)
	fmt.Fprintf(w, "admissions: %d (%d expired before the host decided, %d never reached the guest)\n", r.admitted, r.expired, r.undelivered)
	fmt.Fprintf(w, "admission latency: p50 %s, p95 %s, p99 %s, max %s\n",
		ms(percentile(l, 50)), ms(percentile(l, 95)), ms(percentile(l, 99)), ms(percentile(l, 100)))
	if e := r.enterTimes; len(e) > 0 {
		fmt.Fprintf(w, "enter response time (part of the latency): p50 %s, p99 %s, max %s\n",
			ms(percentile(e, 50)), ms(percentile(e, 99)), ms(percentile(e, 100)))
	}
	if len(r.pollTimes) > 0 {
		p := r.pollTimes
		fmt.Fprintf(w, "request-entry response time (polls in the window): p50 %s, p99 %s, max %s over %d polls\n",
			ms(percentile(p, 50)), ms(percentile(p, 99)), ms(percentile(p, 100)), len(p))
	}
	fmt.Fprintf(w, "requests: %.0f/s sent; stream events: %.0f/s received\n", r.reqPerSec, r.eventsPerSec)
	server := "n/a (server process not found)"
	if r.haveServer {
		server = fmt.Sprintf("%.2f cores, RSS max %s in the window, %s over the run (VmHWM %s)",
			r.serverCores, mib(r.rssWindowMax), mib(r.rssMax), mib(r.rssHWM))
	}
	fmt.Fprintf(w, "server: %s\n", server)
	fmt.Fprintf(w, "this tool: %.2f cores (it shares the machine with the server)\n", r.toolCores)
	errs := 0
	for _, k := range slices.Sorted(maps.Keys(r.errors)) {
		fmt.Fprintf(w, "error: %s × %d\n", k, r.errors[k])
		errs += r.errors[k]
	}
	fmt.Fprintf(w, "\n| run | admitted | p50 | p95 | p99 | max | req/s | server CPU | server max RSS | tool CPU | errors |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	cpu, rss := "n/a", "n/a"
	if r.haveServer {
		cpu, rss = fmt.Sprintf("%.2f cores", r.serverCores), mib(r.rssMax)
	}
	fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %.0f | %s | %s | %.2f cores | %d |\n",
		cfg.markdownName, len(l), ms(percentile(l, 50)), ms(percentile(l, 95)), ms(percentile(l, 99)), ms(percentile(l, 100)),
		r.reqPerSec, cpu, rss, r.toolCores, errs+r.undelivered)
}
