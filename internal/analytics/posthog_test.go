package analytics

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// capture is a local stand-in for PostHog's batch endpoint: it records the
// batches it accepts and answers what its mode says.
type capture struct {
	mu      sync.Mutex
	mode    string // "ok", "fail" (500) or "hang"
	batches [][]map[string]any
	keys    []string
	got     chan struct{}
	release chan struct{}
}

func newCapture(t *testing.T, mode string) (*capture, *httptest.Server) {
	c := &capture{mode: mode, got: make(chan struct{}, 1000), release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/batch/" || r.Method != http.MethodPost {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		c.mu.Lock()
		mode := c.mode
		c.mu.Unlock()
		switch mode {
		case "hang":
			select {
			case <-r.Context().Done():
			case <-c.release:
			}
			return
		case "fail":
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		var body struct {
			APIKey string           `json:"api_key"`
			Batch  []map[string]any `json:"batch"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.batches = append(c.batches, body.Batch)
		c.keys = append(c.keys, body.APIKey)
		c.mu.Unlock()
		c.got <- struct{}{}
	}))
	t.Cleanup(func() { close(c.release); srv.Close() })
	return c, srv
}

func (c *capture) setMode(m string) { c.mu.Lock(); c.mode = m; c.mu.Unlock() }

// events returns every accepted event in order.
func (c *capture) events() []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]any
	for _, b := range c.batches {
		out = append(out, b...)
	}
	return out
}

// waitEvents waits until n events were accepted.
func (c *capture) waitEvents(t *testing.T, n int) []map[string]any {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if ev := c.events(); len(ev) >= n {
			return ev
		}
		select {
		case <-c.got:
		case <-deadline:
			t.Fatalf("accepted %d events, want %d", len(c.events()), n)
		}
	}
}

func fastOptions(host string, reg prometheus.Registerer) Options {
	return Options{
		APIKey: "phc_test", Host: host, BatchSize: 100, FlushInterval: 10 * time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, RequestTimeout: 200 * time.Millisecond,
		FlushTimeout: 300 * time.Millisecond, Registerer: reg,
	}
}

// start runs the client until the test ends; stop cancels it and returns
// Run's error once it returned.
func start(t *testing.T, p *PostHog) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after its context ended")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

func TestBatchesCarryEveryEventInPostHogShape(t *testing.T) {
	c, srv := newCapture(t, "ok")
	p, err := NewPostHog(fastOptions(srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	p.now = func() time.Time { return time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC) }
	start(t, p)
	p.Identify("user-1", map[string]any{"email": "anon-hash"})
	p.Identify("", map[string]any{"email": "skipped"}) // anonymous: never sent
	for i := range 249 {
		p.Track("user-1", "room_created", map[string]any{"room_id": "r" + strconv.Itoa(i), "from_callback": false})
	}
	got := c.waitEvents(t, 250)
	if len(got) != 250 {
		t.Fatalf("accepted %d events, want 250", len(got))
	}
	c.mu.Lock()
	for i, b := range c.batches {
		if len(b) > 100 {
			t.Errorf("batch %d holds %d events, more than the batch size", i, len(b))
		}
		if c.keys[i] != "phc_test" {
			t.Errorf("batch %d api_key %q", i, c.keys[i])
		}
	}
	c.mu.Unlock()
	wantFirst := map[string]any{"event": "$identify", "distinct_id": "user-1", "timestamp": "2026-12-05T09:00:00Z",
		"properties": map[string]any{"$lib": "meet", "$set": map[string]any{"email": "anon-hash"}}}
	if b, w := mustJSON(t, got[0]), mustJSON(t, wantFirst); b != w {
		t.Fatalf("identify event\n got %s\nwant %s", b, w)
	}
	wantLast := map[string]any{"event": "room_created", "distinct_id": "user-1", "timestamp": "2026-12-05T09:00:00Z",
		"properties": map[string]any{"$lib": "meet", "room_id": "r248", "from_callback": false}}
	if b, w := mustJSON(t, got[249]), mustJSON(t, wantLast); b != w {
		t.Fatalf("last event\n got %s\nwant %s", b, w)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A service answering 500 loses nothing: the batch stays queued and is
// retried with backoff until it is accepted.
func TestFailingServiceLosesNothingWhileTheQueueHasRoom(t *testing.T) {
	c, srv := newCapture(t, "fail")
	p, err := NewPostHog(fastOptions(srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	start(t, p)
	for i := range 300 {
		p.Track("u", "e"+strconv.Itoa(i), nil)
	}
	// Let several attempts fail before the service recovers.
	waitFor(t, func() bool { return p.sent.Load() == 0 && p.queue.len() == 300 })
	c.setMode("ok")
	got := c.waitEvents(t, 300)
	for i, ev := range got {
		if ev["event"] != "e"+strconv.Itoa(i) {
			t.Fatalf("event %d is %v: order or completeness broken", i, ev["event"])
		}
	}
	if d := p.dropped.Load(); d != 0 {
		t.Fatalf("dropped %v events although the queue had room", d)
	}
}

// A hung service neither blocks callers nor grows memory: a full queue drops
// its oldest events and counts them; once the service answers, the newest
// events arrive.
func TestHungServiceNeverBlocksAndDropsTheOldest(t *testing.T) {
	c, srv := newCapture(t, "hang")
	reg := prometheus.NewRegistry()
	opts := fastOptions(srv.URL, reg)
	opts.QueueSize = 50
	p, err := NewPostHog(opts)
	if err != nil {
		t.Fatal(err)
	}
	start(t, p)
	done := make(chan struct{})
	go func() {
		for i := range 10_050 {
			p.Track("u", "e"+strconv.Itoa(i), nil)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Track blocked while the analytics service hangs")
	}
	if n := p.queue.len(); n != 50 {
		t.Fatalf("queue holds %d events, want its limit 50", n)
	}
	if d := p.dropped.Load(); d != 10_000 {
		t.Fatalf("dropped counter %v, want 10000", d)
	}
	c.setMode("ok")
	// A batch read from the queue just before the service recovered may
	// arrive too (its events were sent, not lost); the newest 50 must end
	// the stream, in order.
	var got []map[string]any
	waitFor(t, func() bool {
		got = c.events()
		return len(got) >= 50 && got[len(got)-1]["event"] == "e10049"
	})
	for i, ev := range got[len(got)-50:] {
		if want := "e" + strconv.Itoa(10_000+i); ev["event"] != want {
			t.Fatalf("after recovery event %d is %v, want %s", i, ev["event"], want)
		}
	}
	families, err := reg.Gather()
	if err != nil || len(families) != 3 {
		t.Fatalf("registered metrics: %d families, %v", len(families), err)
	}
}

// Stopping flushes what is queued.
func TestStopFlushesTheQueue(t *testing.T) {
	c, srv := newCapture(t, "ok")
	opts := fastOptions(srv.URL, nil)
	opts.FlushInterval = time.Hour // only the shutdown flush can send
	p, err := NewPostHog(opts)
	if err != nil {
		t.Fatal(err)
	}
	stop := start(t, p)
	for i := range 10 {
		p.Track("u", "e"+strconv.Itoa(i), nil)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := c.events(); len(got) != 10 {
		t.Fatalf("flushed %d events at shutdown, want 10", len(got))
	}
}

// Stopping with a hung service gives up after FlushTimeout.
func TestStopWithAHungServiceKeepsItsDeadline(t *testing.T) {
	_, srv := newCapture(t, "hang")
	p, err := NewPostHog(fastOptions(srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	stop := start(t, p)
	p.Track("u", "e", nil)
	// stop fails the test when Run has not returned within 10 s; the flush
	// deadline is 300 ms.
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if p.queue.len() != 1 {
		t.Fatalf("queue %d after a failed flush, want the unsent event kept", p.queue.len())
	}
}

func TestNewPostHogRefusesBadSettings(t *testing.T) {
	if _, err := NewPostHog(Options{}); err == nil {
		t.Error("empty key accepted")
	}
	if _, err := NewPostHog(Options{APIKey: "k", Host: "eu.i.posthog.com"}); err == nil {
		t.Error("host without scheme accepted")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		<-tick.C
	}
}
