package lobby

import (
	"context"
	"slices"
	"time"

	"meet/internal/auth"
	"meet/internal/rooms"
)

// WatchEntry is request-entry as a stream: it knocks like RequestEntry (same
// checks, same errors, returned before anything is sent), calls send with the
// result, then calls send again each time the result changes, until ctx ends
// or send fails. While the entry waits, the stream keeps it alive and re-reads
// it on every event about it and every KeepAlive; the room and the caller's
// role are re-read every Recheck, so a room turned public admits its waiting
// guests (a room's streams share one read of its row per Recheck/5). After a
// final status (accepted or denied) nothing more is sent.
func (s *Service) WatchEntry(ctx context.Context, p auth.Principal, kn Knock, send func(Result) error) error {
	k, err := s.prepare(ctx, p, kn)
	if err != nil {
		return err
	}
	w, cancel, err := s.hub.watch(ctx, k.room.ID, k.id)
	if err != nil {
		return err
	}
	defer cancel()
	last, err := s.evaluate(ctx, k)
	if err != nil {
		return err
	}
	if err := send(last); err != nil {
		return nil
	}
	tick := time.NewTicker(s.opts.KeepAlive)
	defer tick.Stop()
	recheck := time.Now().Add(s.opts.Recheck)
	roomID := k.room.ID
	for last.Status == Waiting {
		select {
		case <-ctx.Done():
			return nil
		case <-w.c:
		case <-tick.C:
		}
		if now := time.Now(); now.After(recheck) {
			recheck = now.Add(s.opts.Recheck)
			if k.room, err = s.hub.lookup(ctx, k.room.ID, s.opts.Recheck/5, func(ctx context.Context) (*rooms.Room, error) {
				return s.rooms.Lookup(ctx, roomID)
			}); err != nil {
				return err
			}
			if k.role, err = s.rooms.RoleOf(ctx, k.p, k.room.ID); err != nil {
				return err
			}
		}
		res, err := s.evaluate(ctx, k)
		if err != nil {
			return err
		}
		if res.Status == last.Status {
			continue
		}
		last = res
		if err := send(res); err != nil {
			return nil
		}
	}
	<-ctx.Done()
	return nil
}

// WatchWaiting is waiting-participants as a stream, for the room's owners and
// administrators (same errors as WaitingParticipants, returned before
// anything is sent). It calls send with the list at once and again whenever
// it changes, until ctx ends or send fails. It re-lists on every event of
// the room (at most every ListMinInterval) and every ListRefresh (entries
// expire silently), and re-checks the caller's rights every Recheck.
func (s *Service) WatchWaiting(ctx context.Context, p auth.Principal, roomIDOrSlug string, send func([]Entry) error) error {
	room, _, err := s.rooms.Authorize(ctx, p, roomIDOrSlug)
	if err != nil {
		return err
	}
	w, cancel, err := s.hub.watch(ctx, room.ID, "")
	if err != nil {
		return err
	}
	defer cancel()
	last, err := s.waiting(ctx, room)
	if err != nil {
		return err
	}
	if err := send(last); err != nil {
		return nil
	}
	tick := time.NewTicker(s.opts.ListRefresh)
	defer tick.Stop()
	recheck := time.Now().Add(s.opts.Recheck)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.c:
		case <-tick.C:
		}
		if now := time.Now(); now.After(recheck) {
			recheck = now.Add(s.opts.Recheck)
			if room, _, err = s.rooms.Authorize(ctx, p, room.ID); err != nil {
				return err
			}
		}
		list, err := s.waiting(ctx, room)
		if err != nil {
			return err
		}
		if !slices.EqualFunc(list, last, sameEntry) {
			last = list
			if err := send(list); err != nil {
				return nil
			}
		}
		// Space re-lists out: events arriving meanwhile coalesce into one wake-up.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.opts.ListMinInterval):
		}
	}
}

// sameEntry reports whether two entries show the same thing to a host.
func sameEntry(a, b Entry) bool {
	return a.ID == b.ID && a.Status == b.Status && a.Username == b.Username && a.Color == b.Color
}
