package lobby_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

// TestConcurrentKnockPollDecide runs guests knocking and polling, hosts
// listing and deciding at random, and time passing, all at once (run it with
// -race). Invariants: every guest ends accepted or denied (nothing lost);
// every decision that succeeded for a guest agrees with the others and with
// what the guest finally saw (one outcome); a guest never sees a final status
// change; guests who stop polling vanish once their TTL has passed.
func TestConcurrentKnockPollDecide(t *testing.T) {
	const guests, hosts, abandoners = 200, 6, 50
	ttl := 50 * time.Millisecond
	e := newEnv(t, rooms.Restricted, lobby.Options{WaitingTTL: ttl, ThrottleLimit: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var (
		mu       sync.Mutex
		outcomes = map[string]map[lobby.Status]bool{} // successful decisions per guest
		finals   = map[string]lobby.Status{}
	)
	var done atomic.Int32
	var wg sync.WaitGroup
	for range guests {
		wg.Go(func() {
			id := rooms.NewID()
			var final lobby.Status
			for final == "" {
				if ctx.Err() != nil {
					t.Errorf("guest %s never decided", id)
					return
				}
				res, err := e.request(guest, e.room.ID, id, "guest")
				if err != nil {
					t.Errorf("poll: %v", err)
					return
				}
				switch res.Status {
				case lobby.Accepted:
					if tokenIdentity(res.LiveKit) != id {
						t.Errorf("accepted without this guest's token: %+v", res)
					}
					final = res.Status
				case lobby.Denied:
					final = res.Status
				}
			}
			// A final status holds on every later poll.
			if res, err := e.request(guest, e.room.ID, id, "guest"); err != nil || res.Status != final {
				t.Errorf("status changed after %s: %+v, %v", final, res, err)
			}
			mu.Lock()
			finals[id] = final
			mu.Unlock()
			done.Add(1)
		})
	}
	// Abandoners knock once at a second room, which no host watches, and stop.
	quiet := &rooms.Room{ID: rooms.NewID(), Slug: "quiet", AccessLevel: rooms.Restricted}
	e.rooms.mu.Lock()
	e.rooms.byID[quiet.ID] = quiet
	e.rooms.roles[quiet.ID+"/"+owner.UserID] = rooms.Owner
	e.rooms.mu.Unlock()
	var abandoned []string
	for range abandoners {
		res, err := e.request(guest, quiet.ID, "", "gone")
		if err != nil {
			t.Fatal(err)
		}
		abandoned = append(abandoned, res.ID)
	}
	var hostsWG sync.WaitGroup
	for h := range hosts {
		p := owner
		if h%2 == 1 {
			p = admin
		}
		hostsWG.Go(func() {
			for done.Load() < guests && ctx.Err() == nil {
				list, err := e.svc.WaitingParticipants(ctx, p, e.room.ID)
				if err != nil {
					t.Errorf("list: %v", err)
					return
				}
				for _, w := range list {
					allow := rand.IntN(2) == 0
					err := e.svc.Decide(ctx, p, e.room.ID, lobby.Decision{ParticipantID: &w.ID, AllowEntry: &allow})
					switch {
					case err == nil:
						st := lobby.Denied
						if allow {
							st = lobby.Accepted
						}
						mu.Lock()
						if outcomes[w.ID] == nil {
							outcomes[w.ID] = map[lobby.Status]bool{}
						}
						outcomes[w.ID][st] = true
						mu.Unlock()
					case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.NotFound):
					default:
						t.Errorf("decide: %v", err)
					}
				}
			}
		})
	}
	hostsWG.Go(func() { // time passes in small steps: slow guests expire and knock again
		for done.Load() < guests && ctx.Err() == nil {
			e.clock.Advance(ttl / 10)
			time.Sleep(time.Millisecond) // pacing the injected clock, not waiting for a result
		}
	})
	wg.Wait()
	hostsWG.Wait()

	if len(finals) != guests {
		t.Fatalf("%d of %d guests decided", len(finals), guests)
	}
	for id, final := range finals {
		got := outcomes[id]
		if len(got) != 1 || !got[final] {
			t.Errorf("guest %s: decisions %v, saw %s", id, got, final)
		}
	}
	// The abandoned guests stopped polling long ago (the clock moved on):
	// none is listed, and none can be admitted.
	e.clock.Advance(ttl)
	for _, room := range []string{e.room.ID, quiet.ID} {
		list, err := e.svc.WaitingParticipants(ctx, owner, room)
		if err != nil || len(list) != 0 {
			t.Fatalf("still waiting after the TTL: %d, %v", len(list), err)
		}
	}
	for _, id := range abandoned {
		err := e.svc.Decide(ctx, owner, quiet.ID, lobby.Decision{ParticipantID: &id, AllowEntry: ptr(true)})
		if !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("abandoned guest admitted: %v", err)
		}
	}
}
