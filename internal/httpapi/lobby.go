package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"meet/internal/auth"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

// LobbyCookie names the cookie that carries a guest's lobby participant id,
// as "<id>.<MAC>" (lobby.Service.Cookie): only the server can mint one.
const LobbyCookie = "lobbyParticipantId"

// defaultHeartbeat is how often an idle push stream sends a comment, so
// proxies keep it open and clients notice a dead connection.
const defaultHeartbeat = 15 * time.Second

// entryBody is request-entry's answer: {id, username, status, color, livekit}.
type entryBody struct {
	ID       string             `json:"id"`
	Username string             `json:"username"`
	Status   lobby.Status       `json:"status"`
	Color    string             `json:"color"`
	LiveKit  *rooms.LiveKitInfo `json:"livekit"`
}

func entryJSON(r lobby.Result) entryBody {
	return entryBody{ID: r.ID, Username: r.Username, Status: r.Status, Color: r.Color, LiveKit: r.LiveKit}
}

// participantBody is one entry of waiting-participants.
type participantBody struct {
	ID       string       `json:"id"`
	Username string       `json:"username"`
	Status   lobby.Status `json:"status"`
	Color    string       `json:"color"`
}

type participantsBody struct {
	Participants []participantBody `json:"participants"`
}

func participantsJSON(list []lobby.Entry) participantsBody {
	out := make([]participantBody, 0, len(list))
	for _, e := range list {
		out = append(out, participantBody{ID: e.ID, Username: e.Username, Status: e.Status, Color: e.Color})
	}
	return participantsBody{Participants: out}
}

// lobbyCookie returns the lobby cookie's value ("" when absent).
func lobbyCookie(r *http.Request) string {
	if c, err := r.Cookie(LobbyCookie); err == nil {
		return c.Value
	}
	return ""
}

// lobbyError adds Retry-After to throttled answers and returns err.
func lobbyError(w http.ResponseWriter, err error) error {
	var te *lobby.ThrottleError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", strconv.Itoa(te.WaitSeconds()))
	}
	return err
}

// handleRequestEntry is POST rooms/{id}/request-entry/ {username}: knock,
// or learn the decision. Every answer (re)sets the lobby cookie, a browser
// session cookie (HttpOnly, SameSite=Lax, Secure over https).
func (s *Server) handleRequestEntry() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		k := s.knock(r)
		res, err := s.requestEntry(r, k)
		if err != nil {
			if _, fresh := s.Lobby.ParticipantID(k.Cookie); !fresh {
				s.setCookie(w, LobbyCookie, k.Cookie, 0, true)
			}
			return lobbyError(w, err)
		}
		s.setCookie(w, LobbyCookie, res.Cookie, 0, true)
		writeJSON(w, http.StatusOK, entryJSON(res))
		return nil
	})
}

// knock is the lobby request r makes, without its username.
func (s *Server) knock(r *http.Request) lobby.Knock {
	return lobby.Knock{Room: r.PathValue("id"), Cookie: lobbyCookie(r), Client: s.clientBucket(r)}
}

func (s *Server) requestEntry(r *http.Request, k lobby.Knock) (lobby.Result, error) {
	body, err := decodeObject(r)
	if err != nil {
		return lobby.Result{}, err
	}
	if k.Username, _, err = body.str("username"); err != nil {
		return lobby.Result{}, err
	}
	return s.Lobby.RequestEntry(r.Context(), auth.FromContext(r.Context()), k)
}

// handleWaitingParticipants is GET rooms/{id}/waiting-participants/.
func (s *Server) handleWaitingParticipants() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.Lobby.WaitingParticipants(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, participantsJSON(list))
		return nil
	})
}

// handleEnter is POST rooms/{id}/enter/ {participant_id, allow_entry}.
func (s *Server) handleEnter() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		var d lobby.Decision
		if body.has("participant_id") {
			id, _, err := body.str("participant_id")
			if err != nil {
				id = "" // not a string: reported as an invalid UUID after the rights check
			}
			d.ParticipantID = &id
		}
		if body.has("allow_entry") {
			allow, _, err := body.boolean("allow_entry")
			if err != nil {
				return err
			}
			d.AllowEntry = &allow
		}
		if err := s.Lobby.Decide(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"), d); err != nil {
			return err
		}
		if d.AllowEntry != nil && *d.AllowEntry {
			s.track(r.Context(), eventLobbyAdmitted, map[string]any{"room_id": r.PathValue("id")})
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": lobby.UpdatedMessage})
		return nil
	})
}

// handleRequestEntryStream is GET rooms/{id}/request-entry/stream/?username=…:
// request-entry as Server-Sent Events. Errors found before the first event
// are answered like request-entry's; then each status is an "event: status"
// whose data is request-entry's JSON.
func (s *Server) handleRequestEntryStream() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		release, err := s.openLobbyStream(w, r)
		if err != nil {
			return err
		}
		defer release()
		ctx, done := s.streamContext(r)
		defer done()
		k := s.knock(r)
		k.Username = r.URL.Query().Get("username")
		st := s.newEventStream(w, r)
		defer st.close()
		err = s.Lobby.WatchEntry(ctx, auth.FromContext(r.Context()), k,
			func(res lobby.Result) error {
				if !st.started {
					s.setCookie(w, LobbyCookie, res.Cookie, 0, true)
				}
				return st.send("status", entryJSON(res))
			})
		return st.end(lobbyError(w, err))
	})
}

// handleWaitingParticipantsStream is GET rooms/{id}/waiting-participants/stream/:
// the waiting list as Server-Sent Events ("event: participants", data as
// waiting-participants), sent at once and on every change.
func (s *Server) handleWaitingParticipantsStream() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		release, err := s.openLobbyStream(w, r)
		if err != nil {
			return err
		}
		defer release()
		ctx, done := s.streamContext(r)
		defer done()
		st := s.newEventStream(w, r)
		defer st.close()
		err = s.Lobby.WatchWaiting(ctx, auth.FromContext(r.Context()), r.PathValue("id"),
			func(list []lobby.Entry) error { return st.send("participants", participantsJSON(list)) })
		return st.end(err)
	})
}

// eventStream writes Server-Sent Events. Headers go out with the first event,
// so errors before it are ordinary JSON answers; a heartbeat comment follows
// every LobbyHeartbeat of silence.
type eventStream struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	rc      *http.ResponseController
	mu      sync.Mutex
	started bool
	closed  bool
	// beat fires the heartbeat. A timer rather than a goroutine per stream:
	// ten thousand waiting guests would otherwise hold ten thousand idle
	// goroutines and their stacks.
	beat  *time.Timer
	every time.Duration
}

func (s *Server) newEventStream(w http.ResponseWriter, r *http.Request) *eventStream {
	every := s.LobbyHeartbeat
	if every <= 0 {
		every = defaultHeartbeat
	}
	return &eventStream{s: s, w: w, r: r, rc: http.NewResponseController(w), every: every}
}

// send writes one event; an error means the client is gone.
func (st *eventStream) send(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.started {
		st.started = true
		h := st.w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no")
		_ = st.rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
		st.w.WriteHeader(http.StatusOK)
		st.beat = time.AfterFunc(st.every, st.heartbeat)
	}
	if _, err := st.w.Write([]byte("event: " + event + "\ndata: " + string(data) + "\n\n")); err != nil {
		return err
	}
	return st.rc.Flush()
}

// heartbeat writes a comment after a silence and arms the next one; once
// the stream is closed it writes nothing.
func (st *eventStream) heartbeat() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return
	}
	_, err := st.w.Write([]byte(": heartbeat\n\n"))
	if err == nil {
		err = st.rc.Flush()
	}
	if err == nil {
		st.beat.Reset(st.every)
	}
}

// end returns err for the JSON error answer when nothing was streamed yet;
// once streaming, an error can only be logged and the stream ends.
func (st *eventStream) end(err error) error {
	if err == nil || !st.started {
		return err
	}
	st.s.log.WarnContext(st.r.Context(), "lobby stream ended", "err", err, "request_id", requestIDFrom(st.r.Context()))
	return nil
}

// close stops the heartbeat, so nothing writes after the handler returns.
func (st *eventStream) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	if st.beat != nil {
		st.beat.Stop()
	}
}
