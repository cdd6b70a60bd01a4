package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// scenario is one run: N guests knock, hosts watch the waiting list, and
// during the measurement window hosts admit guests at the configured rate.
type scenario struct {
	cfg config
	pid int
	log io.Writer
	tr  *http.Transport

	requests atomic.Int64 // HTTP requests sent (streams count once)
	events   atomic.Int64 // Server-Sent Events received
	measure  atomic.Bool  // within the measurement window
	arrived  atomic.Int64 // guests known to wait
	errs     counter
	room     roomRef
	hosts    []*host

	mu       sync.Mutex
	picked   map[string]bool      // participants a host decided to admit
	sent     map[string]time.Time // when the enter POST for a participant was sent
	got      map[string]time.Time // when the guest first held a token
	pollTime []time.Duration      // request-entry response times in the window (poll mode)
	decide   []time.Duration      // enter response times
	expired  int                  // enter answered 404: the entry had expired
}

func newScenario(cfg config, pid int, log io.Writer) *scenario {
	return &scenario{
		cfg: cfg, pid: pid, log: log, tr: newTransport(cfg.guests + cfg.hosts + 16),
		picked: map[string]bool{}, sent: map[string]time.Time{}, got: map[string]time.Time{},
	}
}

func (sc *scenario) count() { sc.requests.Add(1) }

func (sc *scenario) fail(op string, err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	sc.errs.add(errKind(op, err))
}

func (sc *scenario) logf(format string, a ...any) {
	fmt.Fprintf(sc.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, a...)...)
}

// run executes the scenario and returns its measurements.
func (sc *scenario) run(ctx context.Context) (*result, error) {
	defer sc.tr.CloseIdleConnections()
	owner := newSession(sc.cfg.base, sc.tr, sc.count)
	if err := owner.login(ctx, sc.cfg.email, sc.cfg.password); err != nil {
		return nil, err
	}
	room, created, err := owner.prepareRoom(ctx, sc.cfg.room)
	if err != nil {
		return nil, err
	}
	sc.room = room
	if created {
		defer func() {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := owner.do(dctx, http.MethodDelete, "/rooms/"+room.ID+"/", nil, nil); err != nil {
				sc.logf("deleting room %s: %v", room.ID, err)
			}
		}()
	}
	sc.logf("room %s (%s), %d guests, %d hosts, mode %s", room.Slug, room.ID, sc.cfg.guests, sc.cfg.hosts, sc.cfg.mode)

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stop(); wg.Wait() }()

	sampler := newProcSampler(sc.pid)
	wg.Go(func() { sampler.run(runCtx, 250*time.Millisecond) })

	for range sc.cfg.hosts {
		h := &host{s: owner}
		sc.hosts = append(sc.hosts, h)
		wg.Go(func() { sc.runHost(runCtx, h) })
	}

	// Guests arrive, at most cfg.ramp knocking at once.
	rampStart := time.Now()
	sem := make(chan struct{}, sc.cfg.ramp)
	var ready sync.WaitGroup
	for i := range sc.cfg.guests {
		ready.Add(1)
		wg.Go(func() { sc.runGuest(runCtx, i, sem, func() { sc.arrived.Add(1); ready.Done() }) })
	}
	allReady := make(chan struct{})
	go func() { ready.Wait(); close(allReady) }()
	progress := time.NewTicker(5 * time.Second)
	defer progress.Stop()
wait:
	for {
		select {
		case <-allReady:
			break wait
		case <-progress.C:
			sc.logf("arriving: %d waiting, %d requests sent, errors %v", sc.arrived.Load(), sc.requests.Load(), sc.errs.snapshot())
		case <-ctx.Done():
			return nil, fmt.Errorf("only %d of %d guests waiting: %w", sc.arrived.Load(), sc.cfg.guests, ctx.Err())
		}
	}
	ramp := time.Since(rampStart)
	sc.logf("%d guests waiting after %s; errors so far: %v", sc.cfg.guests, ramp.Round(time.Millisecond), sc.errs.snapshot())
	if err := sleep(ctx, sc.cfg.settle); err != nil {
		return nil, err
	}

	// Measurement window: hosts admit at cfg.rate.
	res := &result{ramp: ramp, waitingAtStart: sc.waitingSeen()}
	sampler.resetWindow()
	cpu0, cpuOK := sc.serverCPU()
	self0 := selfCPU()
	req0, ev0 := sc.requests.Load(), sc.events.Load()
	sc.measure.Store(true)
	t0 := time.Now()
	sc.admit(ctx)
	window := time.Since(t0)
	sc.measure.Store(false)
	req1, ev1 := sc.requests.Load(), sc.events.Load()
	cpu1, _ := sc.serverCPU()
	self1 := selfCPU()
	res.window = window
	res.reqPerSec = float64(req1-req0) / window.Seconds()
	res.eventsPerSec = float64(ev1-ev0) / window.Seconds()
	if cpuOK {
		res.serverCores = (cpu1 - cpu0).Seconds() / window.Seconds()
		res.haveServer = true
	}
	res.toolCores = (self1 - self0).Seconds() / window.Seconds()
	res.waitingAtEnd = sc.waitingSeen()

	// Let the last admissions arrive (a polling guest needs up to one interval).
	grace := time.Now().Add(sc.cfg.pollEvery + 5*time.Second)
	for time.Now().Before(grace) && !sc.allDelivered() {
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			break
		}
	}
	res.rssWindowMax, res.rssMax, res.rssHWM = sampler.rss()
	sc.mu.Lock()
	for id, at := range sc.sent {
		if g, ok := sc.got[id]; ok {
			res.latencies = append(res.latencies, g.Sub(at))
		} else {
			res.undelivered++
		}
	}
	res.admitted = len(sc.sent)
	res.expired = sc.expired
	res.pollTimes = sc.pollTime
	res.enterTimes = sc.decide
	sc.mu.Unlock()
	res.errors = sc.errs.snapshot()
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	sort.Slice(res.pollTimes, func(i, j int) bool { return res.pollTimes[i] < res.pollTimes[j] })
	sort.Slice(res.enterTimes, func(i, j int) bool { return res.enterTimes[i] < res.enterTimes[j] })
	return res, nil
}

// admit runs the measurement window: every 1/rate a host (in turn) admits
// the first waiting guest of its latest list that nobody admitted yet.
func (sc *scenario) admit(ctx context.Context) {
	every := time.Duration(float64(time.Second) / sc.cfg.rate)
	tick := time.NewTicker(every)
	defer tick.Stop()
	end := time.After(sc.cfg.duration)
	var inflight sync.WaitGroup
	defer inflight.Wait()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-end:
			return
		case <-tick.C:
		}
		h := sc.hosts[n%len(sc.hosts)]
		id := sc.pick(h)
		if id == "" {
			if sc.admittedAll() {
				return
			}
			continue
		}
		inflight.Go(func() {
			start := time.Now()
			sc.mu.Lock()
			sc.sent[id] = start
			sc.mu.Unlock()
			err := h.s.do(ctx, http.MethodPost, "/rooms/"+sc.room.ID+"/enter/", map[string]any{"participant_id": id, "allow_entry": true}, nil)
			sc.mu.Lock()
			sc.decide = append(sc.decide, time.Since(start))
			sc.mu.Unlock()
			var ae *apiError
			switch {
			case errors.As(err, &ae) && ae.status == http.StatusNotFound:
				sc.mu.Lock()
				sc.expired++
				delete(sc.sent, id)
				sc.mu.Unlock()
			case err != nil:
				sc.fail("enter", err)
			}
		})
	}
}

// pick chooses the next guest host h admits, or "" when its list has none left.
func (sc *scenario) pick(h *host) string {
	list := h.waiting()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, id := range list {
		if !sc.picked[id] {
			sc.picked[id] = true
			return id
		}
	}
	return ""
}

func (sc *scenario) admittedAll() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return len(sc.picked) >= sc.cfg.guests
}

func (sc *scenario) allDelivered() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for id := range sc.sent {
		if _, ok := sc.got[id]; !ok {
			return false
		}
	}
	return true
}

// waitingSeen is the length of the first host's latest waiting list.
func (sc *scenario) waitingSeen() int { return len(sc.hosts[0].waiting()) }

func (sc *scenario) serverCPU() (time.Duration, bool) {
	if sc.pid == 0 {
		return 0, false
	}
	d, err := processCPU(sc.pid)
	return d, err == nil
}

// entry is request-entry's answer (and a guest stream's event data).
type entry struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	LiveKit *struct {
		Token string `json:"token"`
	} `json:"livekit"`
}

func (e entry) admitted() bool {
	return e.Status == "accepted" && e.LiveKit != nil && e.LiveKit.Token != ""
}

// runGuest is one guest's browser: knock, then wait on a stream or by polling
// until admitted. ready is called once the guest is known to wait.
func (sc *scenario) runGuest(ctx context.Context, i int, sem chan struct{}, ready func()) {
	s := newSession(sc.cfg.base, sc.tr, sc.count)
	name := fmt.Sprintf("Guest %d", i)
	var e entry
	var once sync.Once
	defer once.Do(ready) // a guest that gives up must not block the start
	for {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		err := s.do(ctx, http.MethodPost, "/rooms/"+sc.room.ID+"/request-entry/", map[string]string{"username": name}, &e)
		<-sem
		if err == nil {
			break
		}
		sc.fail("knock", err)
		if sleep(ctx, time.Second) != nil {
			return
		}
	}
	if sc.cfg.mode == "poll" {
		once.Do(ready)
		sc.pollGuest(ctx, s, name, e.ID)
		return
	}
	sc.streamGuest(ctx, s, name, e.ID, func() { once.Do(ready) })
}

// pollGuest asks request-entry every pollEvery after the previous answer,
// as the reference front end's refetch interval does.
func (sc *scenario) pollGuest(ctx context.Context, s *session, name, id string) {
	for sleep(ctx, sc.cfg.pollEvery) == nil {
		var e entry
		start := time.Now()
		err := s.do(ctx, http.MethodPost, "/rooms/"+sc.room.ID+"/request-entry/", map[string]string{"username": name}, &e)
		now := time.Now()
		if sc.measure.Load() {
			sc.mu.Lock()
			sc.pollTime = append(sc.pollTime, now.Sub(start))
			sc.mu.Unlock()
		}
		if err != nil {
			sc.fail("poll", err)
			continue
		}
		if e.admitted() {
			sc.delivered(id, now)
			return
		}
		if e.Status == "denied" {
			return
		}
	}
}

// streamGuest holds request-entry/stream/ open until a token arrives,
// reconnecting after a second when the stream breaks, as EventSource does.
func (sc *scenario) streamGuest(ctx context.Context, s *session, name, id string, ready func()) {
	path := "/rooms/" + sc.room.ID + "/request-entry/stream/?username=" + url.QueryEscape(name)
	for ctx.Err() == nil {
		done, err := sc.readGuestStream(ctx, s, path, id, ready)
		if done {
			return
		}
		if err != nil {
			sc.fail("guest stream", err)
		}
		if sleep(ctx, time.Second) != nil {
			return
		}
	}
}

func (sc *scenario) readGuestStream(ctx context.Context, s *session, path, id string, ready func()) (done bool, err error) {
	resp, err := s.openStream(ctx, path)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	r := newSSEReader(resp.Body, 4096)
	for {
		event, data, err := r.next()
		if err != nil {
			return false, err
		}
		now := time.Now()
		sc.events.Add(1)
		if event != "status" {
			continue
		}
		var e entry
		if err := json.Unmarshal(data, &e); err != nil {
			return false, err
		}
		ready()
		if e.admitted() {
			sc.delivered(id, now)
			return true, nil
		}
		if e.Status == "denied" {
			return true, nil
		}
	}
}

func (sc *scenario) delivered(id string, at time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if _, ok := sc.got[id]; !ok {
		sc.got[id] = at
	}
}

// sleep waits d or until ctx ends (then it returns ctx's error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// counter counts errors by kind.
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) add(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[kind]++
}

func (c *counter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}
