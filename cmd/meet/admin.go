package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"meet/internal/apperr"
	"meet/internal/livekit"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

// adminSocketName is the Unix socket, in the data directory, on which a
// running server takes operating commands ("meet rooms …") from its own
// machine. Only meet's user (and root) can reach it: the socket is 0600 in
// a 0700 directory, so no token is needed. The commands go through the
// server rather than straight to the SFU because a removal must also reach
// the server's deny list, which lives in its memory when Redis is not
// configured; and the server already knows where its SFU listens (the
// embedded one may have picked a free port) and with which credentials.
const adminSocketName = "admin.sock"

// adminDeps is what the operating commands act on.
type adminDeps struct {
	Rooms *rooms.Service
	SFU   *livekit.Client
	Lobby *lobby.Service
	Log   *slog.Logger
}

// liveRoom is one room of "meet rooms live".
type liveRoom struct {
	LiveKitRoom  string            `json:"livekit_room"`
	Slug         string            `json:"slug,omitempty"` // empty for a room meet does not know
	Name         string            `json:"name,omitempty"`
	Participants []liveParticipant `json:"participants"`
}

// liveParticipant is one participant of a live room.
type liveParticipant struct {
	Identity string    `json:"identity"`
	Name     string    `json:"name"`
	State    string    `json:"state"`
	JoinedAt time.Time `json:"joined_at"`
}

// serveAdmin listens on the admin socket of dataDir and serves the
// operating commands until the returned stop is called. A socket another
// running server answers on is left alone (that server keeps it) and a
// stale one is replaced; failing to listen only disables the commands.
func serveAdmin(dataDir string, d adminDeps) (stop func()) {
	path := filepath.Join(dataDir, adminSocketName)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		d.Log.Warn("another meet server answers on the admin socket; meet rooms commands reach that one", "socket", path)
		return func() {}
	}
	_ = os.Remove(path) // stale, from a server that did not shut down
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		d.Log.Warn("admin socket unavailable: meet rooms commands will not work", "err", err)
		return func() {}
	}
	ln, err := net.Listen("unix", path)
	if err == nil {
		err = os.Chmod(path, 0o600)
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		d.Log.Warn("admin socket unavailable: meet rooms commands will not work", "socket", path, "err", err)
		return func() {}
	}
	srv := &http.Server{Handler: adminHandler(d), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { srv.Close() } // the unix listener removes its socket file on close
}

// adminHandler serves the operating commands as small JSON calls.
func adminHandler(d adminDeps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /rooms/live", adminCall(func(r *http.Request) (any, error) { return d.live(r.Context()) }))
	mux.Handle("POST /rooms/{room}/end", adminCall(func(r *http.Request) (any, error) {
		room, err := d.Rooms.Lookup(r.Context(), r.PathValue("room"))
		if err != nil {
			return nil, err
		}
		return map[string]string{"ended": room.Slug}, d.SFU.DeleteRoom(r.Context(), room.ID)
	}))
	mux.Handle("POST /rooms/{room}/kick/{identity}", adminCall(func(r *http.Request) (any, error) {
		return d.kick(r.Context(), r.PathValue("room"), r.PathValue("identity"))
	}))
	return mux
}

// adminCall encodes a result, or an error with its full text: the caller is
// the machine's administrator, who needs the cause.
func adminCall(fn func(r *http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := fn(r)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			status := http.StatusInternalServerError
			if apperr.Is(err, apperr.NotFound) {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			out = map[string]string{"error": err.Error()}
		}
		_ = json.NewEncoder(w).Encode(out)
	})
}

// live lists the SFU's rooms with their participants, named after meet's rooms.
func (d adminDeps) live(ctx context.Context) ([]liveRoom, error) {
	list, err := d.SFU.ListRooms(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := make([]liveRoom, 0, len(list))
	for _, lr := range list {
		room := liveRoom{LiveKitRoom: lr.Name, Participants: []liveParticipant{}}
		if r, err := d.Rooms.Lookup(ctx, lr.Name); err == nil {
			room.Slug, room.Name = r.Slug, r.Name
		} else if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		ps, err := d.SFU.ListParticipants(ctx, lr.Name)
		if err != nil && !apperr.Is(err, apperr.NotFound) { // the room may have just ended
			return nil, err
		}
		for _, p := range ps {
			room.Participants = append(room.Participants, liveParticipant{Identity: p.Identity, Name: p.Name, State: p.State, JoinedAt: p.JoinedAt})
		}
		out = append(out, room)
	}
	return out, nil
}

// kick removes identity from the room's call as the API's remove-participant
// does: denied first, so that it cannot come back with a token it holds,
// the denial lifted again when nobody was removed, and its lobby admission
// cleared.
func (d adminDeps) kick(ctx context.Context, idOrSlug, identity string) (any, error) {
	room, err := d.Rooms.Lookup(ctx, idOrSlug)
	if err != nil {
		return nil, err
	}
	denied, err := d.Rooms.Deny(ctx, room, identity)
	if err != nil {
		return nil, err
	}
	if err := d.SFU.RemoveParticipant(ctx, room.ID, identity); err != nil {
		if denied {
			if rerr := d.Rooms.Readmit(ctx, room.ID, identity); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Wrap(apperr.NotFound, fmt.Sprintf("%s is not in the call of %s", identity, room.Slug), err)
		}
		return nil, err
	}
	if d.Lobby != nil {
		if err := d.Lobby.ClearParticipant(ctx, room.ID, identity); err != nil {
			d.Log.WarnContext(ctx, "removed participant's lobby entry not cleared", "room_id", room.ID, "err", err)
		}
	}
	return map[string]any{"removed": identity, "room": room.Slug, "denied": denied}, nil
}
