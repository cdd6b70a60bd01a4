package analytics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a PostHog client. Zero values take the defaults in brackets.
type Options struct {
	// APIKey is the PostHog project API key (required).
	APIKey string
	// Host is PostHog's base URL [https://eu.i.posthog.com].
	Host string
	// QueueSize bounds the events waiting to be sent [10,000].
	QueueSize int
	// BatchSize is the most events sent in one request [100].
	BatchSize int
	// FlushInterval is how long an event may wait for a fuller batch [2 s].
	FlushInterval time.Duration
	// RequestTimeout bounds one request to PostHog [5 s].
	RequestTimeout time.Duration
	// MaxBackoff caps the wait between retries of a failed batch [1 min];
	// the first retry waits MinBackoff [500 ms], each next one twice as long.
	MinBackoff, MaxBackoff time.Duration
	// FlushTimeout bounds the final flush when Run's context ends [5 s].
	FlushTimeout time.Duration
	// HTTPClient sends the requests [a new http.Client].
	HTTPClient *http.Client
	// Registerer receives the queue metrics (nil: not registered).
	Registerer prometheus.Registerer
	// Log receives send failures (nil: discarded).
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Host == "" {
		o.Host = "https://eu.i.posthog.com"
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 10_000
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	def(&o.FlushInterval, 2*time.Second)
	def(&o.RequestTimeout, 5*time.Second)
	def(&o.MinBackoff, 500*time.Millisecond)
	def(&o.MaxBackoff, time.Minute)
	def(&o.FlushTimeout, 5*time.Second)
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// PostHog queues events and sends them to PostHog's batch API from Run.
// Identify and Track never block and never fail.
type PostHog struct {
	opts  Options
	queue *queue
	wake  chan struct{}
	now   func() time.Time
	// Counters, exported as Prometheus counters.
	dropped, sent, failed atomic.Uint64
}

// NewPostHog returns a client; it starts no goroutine (run Run).
func NewPostHog(opts Options) (*PostHog, error) {
	if opts.APIKey == "" {
		return nil, errors.New("analytics: PostHog API key is empty")
	}
	opts = opts.withDefaults()
	if !strings.HasPrefix(opts.Host, "https://") && !strings.HasPrefix(opts.Host, "http://") {
		return nil, fmt.Errorf("analytics: PostHog host %q is not an http(s) URL", opts.Host)
	}
	p := &PostHog{
		opts: opts, queue: newQueue(opts.QueueSize), wake: make(chan struct{}, 1), now: time.Now,
	}
	counter := func(name, help string, v *atomic.Uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(v.Load()) })
	}
	if opts.Registerer != nil {
		for _, c := range []prometheus.Collector{
			counter("meet_analytics_events_dropped_total", "Analytics events dropped because the queue was full.", &p.dropped),
			counter("meet_analytics_events_sent_total", "Analytics events accepted by the analytics service.", &p.sent),
			counter("meet_analytics_events_rejected_total", "Analytics events the analytics service refused (4xx); not retried.", &p.failed),
		} {
			if err := opts.Registerer.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// Identify records who a person is (properties such as the anonymised e-mail).
func (p *PostHog) Identify(distinctID string, props map[string]any) {
	p.enqueue(Event{Identify: true, DistinctID: distinctID, Properties: props})
}

// Track records that a person did something.
func (p *PostHog) Track(distinctID, event string, props map[string]any) {
	p.enqueue(Event{Name: event, DistinctID: distinctID, Properties: props})
}

func (p *PostHog) enqueue(ev Event) {
	if ev.DistinctID == "" {
		return // anonymous people are not tracked, as in the reference
	}
	ev.Time = p.now()
	if p.queue.push(ev) {
		p.dropped.Add(1)
	}
	if p.queue.len() >= p.opts.BatchSize {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// Run sends queued events until ctx ends, then flushes what is left within
// FlushTimeout. A batch that fails (network error, timeout, 429 or 5xx) stays
// queued and is retried with exponential backoff; a batch PostHog refuses as
// invalid (other 4xx) is dropped and counted.
func (p *PostHog) Run(ctx context.Context) error {
	backoff := time.Duration(0)
	timer := time.NewTimer(p.opts.FlushInterval)
	defer timer.Stop()
	for {
		// While backing off, a full batch does not cut the wait short: a
		// failing service is not hammered.
		wake := p.wake
		if backoff > 0 {
			wake = nil
		}
		select {
		case <-ctx.Done():
			return p.flush()
		case <-timer.C:
		case <-wake:
		}
		wait := p.opts.FlushInterval
		if err := p.sendAll(ctx); err != nil {
			backoff = min(max(2*backoff, p.opts.MinBackoff), p.opts.MaxBackoff)
			wait = backoff
			p.opts.Log.WarnContext(ctx, "analytics: batch not sent, retrying", "err", err, "retry_in", backoff, "queued", p.queue.len())
		} else {
			backoff = 0
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}

// flush sends what is queued, within FlushTimeout, once Run is asked to stop.
func (p *PostHog) flush() error {
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.FlushTimeout)
	defer cancel()
	for p.queue.len() > 0 {
		if err := p.sendAll(ctx); err != nil {
			if ctx.Err() != nil {
				p.opts.Log.Warn("analytics: events not sent before shutdown", "queued", p.queue.len(), "err", err)
				return nil
			}
			select {
			case <-ctx.Done():
			case <-time.After(p.opts.MinBackoff):
			}
		}
	}
	return nil
}

// sendAll sends batches until the queue is empty or one fails.
func (p *PostHog) sendAll(ctx context.Context) error {
	for {
		batch, last := p.queue.peek(p.opts.BatchSize)
		if len(batch) == 0 {
			return nil
		}
		status, err := p.send(ctx, batch)
		switch {
		case err != nil:
			return err
		case status >= 200 && status < 300:
			p.sent.Add(uint64(len(batch)))
		case status == http.StatusTooManyRequests || status >= 500:
			return fmt.Errorf("analytics: PostHog answered %d", status)
		default:
			p.failed.Add(uint64(len(batch)))
			p.opts.Log.WarnContext(ctx, "analytics: PostHog refused a batch; dropped", "status", status, "events", len(batch))
		}
		p.queue.ack(last)
	}
}

// batchEvent is one event of PostHog's batch API.
type batchEvent struct {
	Event      string         `json:"event"`
	DistinctID string         `json:"distinct_id"`
	Properties map[string]any `json:"properties"`
	Timestamp  string         `json:"timestamp"`
}

// send posts one batch and returns PostHog's status.
func (p *PostHog) send(ctx context.Context, batch []Event) (int, error) {
	events := make([]batchEvent, 0, len(batch))
	for _, ev := range batch {
		be := batchEvent{Event: ev.Name, DistinctID: ev.DistinctID, Properties: map[string]any{"$lib": "meet"},
			Timestamp: ev.Time.UTC().Format(time.RFC3339Nano)}
		if ev.Identify {
			be.Event = "$identify"
			be.Properties["$set"] = ev.Properties
		} else {
			for k, v := range ev.Properties {
				be.Properties[k] = v
			}
		}
		events = append(events, be)
	}
	body, err := json.Marshal(map[string]any{"api_key": p.opts.APIKey, "batch": events})
	if err != nil {
		return 0, fmt.Errorf("analytics: encode batch: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(p.opts.Host, "/")+"/batch/", bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("analytics: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("analytics: send batch: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
