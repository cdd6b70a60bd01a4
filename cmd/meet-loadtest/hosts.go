package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// host is one host's view of the waiting list.
type host struct {
	s  *session
	mu sync.Mutex
	ls []string // waiting participant ids, in knock order
}

func (h *host) waiting() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ls
}

func (h *host) set(ls []string) {
	h.mu.Lock()
	h.ls = ls
	h.mu.Unlock()
}

type participants struct {
	Participants []struct {
		ID string `json:"id"`
	} `json:"participants"`
}

func (p participants) ids() []string {
	out := make([]string, len(p.Participants))
	for i, e := range p.Participants {
		out[i] = e.ID
	}
	return out
}

// runHost keeps h's list current: the waiting-participants stream in push
// mode, a GET every pollEvery in poll mode (as upstream's front end).
func (sc *scenario) runHost(ctx context.Context, h *host) {
	path := "/rooms/" + sc.room.ID + "/waiting-participants/"
	for ctx.Err() == nil {
		if sc.cfg.mode == "poll" {
			var p participants
			if err := h.s.do(ctx, http.MethodGet, path, nil, &p); err != nil {
				sc.fail("host list", err)
			} else {
				h.set(p.ids())
			}
			_ = sleep(ctx, sc.cfg.pollEvery)
			continue
		}
		if err := sc.readHostStream(ctx, h, path+"stream/"); err != nil {
			sc.fail("host stream", err)
		}
		_ = sleep(ctx, time.Second)
	}
}

func (sc *scenario) readHostStream(ctx context.Context, h *host, path string) error {
	resp, err := h.s.openStream(ctx, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	r := newSSEReader(resp.Body, 64<<10)
	for {
		event, data, err := r.next()
		if err != nil {
			return err
		}
		sc.events.Add(1)
		if event != "participants" {
			continue
		}
		var p participants
		if err := json.Unmarshal(data, &p); err != nil {
			return err
		}
		h.set(p.ids())
	}
}
