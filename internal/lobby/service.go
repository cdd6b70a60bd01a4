package lobby

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// The reference's messages and payloads.
const (
	NoLobbyMessage             = "Room has no lobby system."
	ParticipantNotFoundMessage = "Participant not found."
	UpdatedMessage             = "Participant was updated."
	// NotificationPayload is the LiveKit data message that tells a room's
	// participants someone is waiting.
	NotificationPayload = `{"type":"participantWaiting"}`
)

// Options are the lobby's timings and limits. Zero values take the defaults
// in brackets.
type Options struct {
	WaitingTTL  time.Duration // a waiting entry without a poll disappears after this [3 s]
	AcceptedTTL time.Duration // an admission lets the guest fetch new tokens this long [6 h]; removal ends it sooner
	DeniedTTL   time.Duration // a refusal lasts this long, then the guest may knock again [5 s]
	// ThrottleLimit requests per ThrottleWindow are allowed per user or per
	// lobby cookie on request-entry [150 per minute]; a negative limit disables it.
	ThrottleLimit  int
	ThrottleWindow time.Duration
	// ClientThrottleLimit requests per ThrottleWindow are allowed per client
	// address (IPv6: per /64) on request-entry, with or without a cookie
	// [600 per minute: ten guests behind one address polling every second];
	// a negative limit disables it.
	ClientThrottleLimit int
	// KeepAlive is how often an open guest stream refreshes its waiting entry
	// and re-reads it [WaitingTTL/3].
	KeepAlive time.Duration
	// Recheck is how often open streams re-read the room and the caller's
	// role, so access-level and role changes reach them [5 s].
	Recheck time.Duration
	// ListRefresh is how often an open host stream re-lists the waiting
	// participants without an event (entries expire silently) [1 s].
	ListRefresh time.Duration
	// ListMinInterval spaces a host stream's re-lists when events pour in [100 ms].
	ListMinInterval time.Duration
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.WaitingTTL, 3*time.Second)
	def(&o.AcceptedTTL, 6*time.Hour)
	def(&o.DeniedTTL, 5*time.Second)
	def(&o.ThrottleWindow, time.Minute)
	def(&o.KeepAlive, o.WaitingTTL/3)
	def(&o.Recheck, 5*time.Second)
	def(&o.ListRefresh, time.Second)
	def(&o.ListMinInterval, 100*time.Millisecond)
	if o.ThrottleLimit == 0 {
		o.ThrottleLimit = 150
	}
	if o.ClientThrottleLimit == 0 {
		o.ClientThrottleLimit = 600
	}
	return o
}

// Deps are the collaborators of a Service. Broker, Limiter and Notifier may
// be nil: no push across replicas, no throttling, no LiveKit notification.
type Deps struct {
	Rooms    Rooms
	Store    Store
	Broker   Broker
	Limiter  Limiter
	Notifier Notifier
	Log      *slog.Logger
	// Key signs lobby cookies: the instance's secret key, the same on every
	// replica so a cookie minted by one verifies on all. Empty: a random key
	// per Service (cookies then die with the process).
	Key []byte
}

// Service applies the lobby rules.
type Service struct {
	rooms    Rooms
	store    Store
	limiter  Limiter
	notifier Notifier
	opts     Options
	log      *slog.Logger
	hub      *hub
	notices  notices
	signer   signer
}

// NewService returns a Service. It starts no goroutine.
func NewService(d Deps, opts Options) *Service {
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		rooms: d.Rooms, store: d.Store, limiter: d.Limiter, notifier: d.Notifier,
		opts: opts.withDefaults(), log: log, hub: newHub(d.Broker, log), signer: newSigner(d.Key),
	}
}

// Options returns the settings the service runs with.
func (s *Service) Options() Options { return s.opts }

// Result is what a guest learns when knocking: its entry and, once admitted,
// the LiveKit block to join with.
type Result struct {
	Entry
	LiveKit *rooms.LiveKitInfo
	// Cookie is the lobby cookie value that names Entry.ID, to (re)set.
	Cookie string
}

// Knock is a request-entry: who asks to enter which room, under which name.
type Knock struct {
	Room     string // the room's id or slug
	Cookie   string // the lobby cookie as sent ("" when none)
	Client   string // the client's rate-limit bucket (address, IPv6 /64); "" when unknown
	Username string // the display name asked for
}

// ThrottleError is the cause of an apperr.Throttled error: how long until the
// caller may try again (the HTTP layer sends it as Retry-After).
type ThrottleError struct{ Wait time.Duration }

// Error describes the wait.
func (e *ThrottleError) Error() string { return "lobby: throttled for " + e.Wait.String() }

// WaitSeconds is the wait rounded up to whole seconds, as DRF reports it.
func (e *ThrottleError) WaitSeconds() int { return int(math.Ceil(e.Wait.Seconds())) }

// RequestEntry is a guest knocking at a room. k.Cookie is the lobby cookie
// as sent: when the server minted it, it names the participant; when it is
// missing or does not verify, a new id is made (never the one asked for),
// and the result's Cookie names it. Callers who may join directly
// (rooms.CanJoinDirectly, re-evaluated on every call) are accepted at once
// and nothing is stored. Otherwise the first knock stores a waiting entry and
// notifies the room; later knocks refresh it, and return the LiveKit block
// once a host accepted, under the name the host saw.
//
// Errors: Throttled (cause *ThrottleError), NotFound (room), Invalid (username).
func (s *Service) RequestEntry(ctx context.Context, p auth.Principal, k Knock) (Result, error) {
	c, err := s.prepare(ctx, p, k)
	if err != nil {
		return Result{}, err
	}
	return s.evaluate(ctx, c)
}

// checked is a validated request-entry: who knocks at which room.
type checked struct {
	p        auth.Principal
	room     *rooms.Room
	role     rooms.Role
	id       string
	cookie   string
	username string
}

// prepare runs the checks of a request-entry in the reference's order:
// throttle, room, body.
func (s *Service) prepare(ctx context.Context, p auth.Principal, k Knock) (checked, error) {
	id, fresh := s.ParticipantID(k.Cookie)
	if err := s.throttle(ctx, p, id, fresh, k.Client); err != nil {
		return checked{}, err
	}
	room, err := s.rooms.Lookup(ctx, k.Room)
	if err != nil {
		return checked{}, err
	}
	username, err := rooms.DisplayName("username", k.Username)
	if err != nil {
		return checked{}, err
	}
	if username == "" {
		return checked{}, apperr.Field("username", "This field is required.")
	}
	role, err := s.rooms.RoleOf(ctx, p, room.ID)
	if err != nil {
		return checked{}, err
	}
	return checked{p: p, room: room, role: role, id: id, cookie: s.Cookie(id), username: username}, nil
}

// throttle counts a request-entry against the client address's bucket, then
// against the caller's: the user when signed in, else the participant id of a
// verified lobby cookie. A guest without a valid cookie has no bucket of its
// own, as in the reference (guests behind one NAT do not share one), but its
// address's bucket bounds how many fresh ids one client can mint.
func (s *Service) throttle(ctx context.Context, p auth.Principal, id string, fresh bool, client string) error {
	if s.limiter == nil {
		return nil
	}
	if client != "" && s.opts.ClientThrottleLimit > 0 {
		if err := s.allow(ctx, "client:"+client, s.opts.ClientThrottleLimit); err != nil {
			return err
		}
	}
	if s.opts.ThrottleLimit < 0 {
		return nil
	}
	switch {
	case p.Authenticated():
		return s.allow(ctx, "user:"+p.UserID, s.opts.ThrottleLimit)
	case !fresh:
		return s.allow(ctx, "lobby:"+id, s.opts.ThrottleLimit)
	}
	return nil
}

// allow counts one request-entry in a bucket; over the limit it is a
// Throttled error in DRF's words, with the wait as its cause.
func (s *Service) allow(ctx context.Context, key string, limit int) error {
	ok, wait, err := s.limiter.Allow(ctx, "request_entry:"+key, limit, s.opts.ThrottleWindow)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	te := &ThrottleError{Wait: wait}
	unit := "seconds"
	if te.WaitSeconds() == 1 {
		unit = "second"
	}
	msg := fmt.Sprintf("Request was throttled. Expected available in %d %s.", te.WaitSeconds(), unit)
	return apperr.Wrap(apperr.Throttled, msg, te)
}

// evaluate applies the lobby rules to a validated knock.
func (s *Service) evaluate(ctx context.Context, k checked) (Result, error) {
	if rooms.CanJoinDirectly(k.room.AccessLevel, k.p.Authenticated(), k.role) {
		e, err := s.store.Get(ctx, k.room.ID, k.id)
		switch {
		case apperr.Is(err, apperr.NotFound):
			e = Entry{ID: k.id, Username: k.username, Color: rooms.ColorFor(k.id)}
		case err != nil:
			return Result{}, err
		}
		e.Status = Accepted // in the answer only: nothing is stored for direct joins
		// Nobody had to admit a direct join: the name asked for now stands.
		return s.admitted(ctx, k, e, k.username)
	}
	e, created, err := s.store.Knock(ctx, k.room.ID, Entry{
		ID: k.id, Username: k.username, Status: Waiting, Color: rooms.ColorFor(k.id),
	}, s.opts.WaitingTTL)
	if err != nil {
		return Result{}, err
	}
	if created {
		s.notify(ctx, k.room.ID)
		s.publish(ctx, Event{Room: k.room.ID, Participant: k.id})
	}
	if e.Status == Accepted {
		// The host admitted the name it was shown (the stored entry's): a
		// guest cannot knock as "Ada" and join as someone else. Renaming
		// later goes through the API, in front of everyone.
		return s.admitted(ctx, k, e, e.Username)
	}
	return Result{Entry: e, Cookie: k.cookie}, nil
}

// admitted mints the LiveKit block of an accepted guest, with the given name
// and the colour stored at the knock.
func (s *Service) admitted(ctx context.Context, k checked, e Entry, name string) (Result, error) {
	info, err := s.rooms.Join(ctx, k.room, k.room.Slug, k.p, k.role, e.ID, name, e.Color)
	if err != nil {
		return Result{}, err
	}
	return Result{Entry: e, LiveKit: &info, Cookie: k.cookie}, nil
}

// notify tells the LiveKit room that someone is waiting. At most one notice
// per room is in flight: knocks arriving meanwhile are covered by one more
// notice, sent in the background once the current one ends (the message
// carries nothing but "someone is waiting", and is sent after their entries
// were stored). Without this, guests arriving together made one LiveKit
// call each, on as many new connections. Failures are logged, never
// returned: the knock itself succeeded.
func (s *Service) notify(ctx context.Context, roomID string) {
	if s.notifier == nil || !s.notices.start(roomID) {
		return
	}
	s.sendNotice(ctx, roomID)
	if s.notices.again(roomID) {
		go func() {
			ctx := context.WithoutCancel(ctx)
			for more := true; more; more = s.notices.again(roomID) {
				s.sendNotice(ctx, roomID)
			}
		}()
	}
}

// notices remembers, per room, whether a notice is in flight and whether
// knocks arrived since it started.
type notices struct {
	mu      sync.Mutex
	pending map[string]bool // room → a notice is in flight; true when another is due after it
}

// start reports whether the caller should send a notice now; when one is in
// flight it records that another is due and returns false.
func (n *notices) start(roomID string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pending == nil {
		n.pending = map[string]bool{}
	}
	if _, busy := n.pending[roomID]; busy {
		n.pending[roomID] = true
		return false
	}
	n.pending[roomID] = false
	return true
}

// again ends a notice and reports whether another is due (the caller then
// sends it, still holding the room's turn).
func (n *notices) again(roomID string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pending[roomID] {
		n.pending[roomID] = false
		return true
	}
	delete(n.pending, roomID)
	return false
}

func (s *Service) sendNotice(ctx context.Context, roomID string) {
	err := s.notifier.SendData(ctx, roomID, []byte(NotificationPayload), true)
	switch {
	case apperr.Is(err, apperr.NotFound):
		s.log.DebugContext(ctx, "lobby: room not live, nobody notified", "room_id", roomID)
	case err != nil:
		s.log.WarnContext(ctx, "lobby: notifying the room failed", "room_id", roomID, "err", err)
	}
}

// publish announces a change to the streams of every replica. A failure is
// logged: streams re-read the store on their own tick.
func (s *Service) publish(ctx context.Context, ev Event) {
	if err := s.hub.publish(ctx, ev); err != nil {
		s.log.WarnContext(ctx, "lobby: publishing a change failed", "room_id", ev.Room, "err", err)
	}
}

// WaitingParticipants lists who waits in a room, for its owners and
// administrators (Unauthenticated, NotFound, Forbidden otherwise). A public
// room has no lobby: the list is empty and the store is not read.
func (s *Service) WaitingParticipants(ctx context.Context, p auth.Principal, roomIDOrSlug string) ([]Entry, error) {
	room, _, err := s.rooms.Authorize(ctx, p, roomIDOrSlug)
	if err != nil {
		return nil, err
	}
	return s.waiting(ctx, room)
}

func (s *Service) waiting(ctx context.Context, room *rooms.Room) ([]Entry, error) {
	if room.AccessLevel == rooms.Public {
		return []Entry{}, nil
	}
	list, err := s.store.List(ctx, room.ID, Waiting)
	if list == nil && err == nil {
		list = []Entry{}
	}
	return list, err
}

// Decision is a host's answer to a waiting participant; nil fields were not sent.
type Decision struct {
	ParticipantID *string
	AllowEntry    *bool
}

// Valid checks the decision's fields, reporting every problem at once.
func (d Decision) Valid() error {
	f := apperr.Fields{}
	switch {
	case d.ParticipantID == nil:
		f.Add("participant_id", "This field is required.")
	default:
		if _, ok := rooms.CanonicalUUID(*d.ParticipantID); !ok {
			f.Add("participant_id", "Must be a valid UUID.")
		}
	}
	if d.AllowEntry == nil {
		f.Add("allow_entry", "This field is required.")
	}
	return f.Err()
}

// Decide admits or refuses a waiting participant, for the room's owners and
// administrators. Checks run in the reference's order: caller and room
// (Unauthenticated, NotFound, Forbidden), public room (NotFound with key
// "message" NoLobbyMessage), body (Invalid), then the entry (NotFound
// ParticipantNotFoundMessage when it expired or never existed).
//
// The transition is atomic: of two hosts deciding at once exactly one
// decides. Repeating the decision already made succeeds and changes nothing;
// contradicting it is a Conflict (the guest may already hold a token).
func (s *Service) Decide(ctx context.Context, p auth.Principal, roomIDOrSlug string, d Decision) error {
	room, _, err := s.rooms.Authorize(ctx, p, roomIDOrSlug)
	if err != nil {
		return err
	}
	if room.AccessLevel == rooms.Public {
		return apperr.Keyed(apperr.NotFound, "message", NoLobbyMessage)
	}
	if err := d.Valid(); err != nil {
		return err
	}
	id, _ := rooms.CanonicalUUID(*d.ParticipantID)
	to, ttl := Denied, s.opts.DeniedTTL
	if *d.AllowEntry {
		to, ttl = Accepted, s.opts.AcceptedTTL
	}
	before, err := s.store.Decide(ctx, room.ID, id, to, ttl)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return apperr.Keyed(apperr.NotFound, "message", ParticipantNotFoundMessage)
	case err != nil:
		return err
	case before.Status == Waiting:
		if to == Accepted {
			// Admitting a guest who was removed from the call lets it back
			// in: the host decided again, knowing who it is.
			if err := s.rooms.Readmit(ctx, room.ID, id); err != nil {
				return err
			}
		}
		s.publish(ctx, Event{Room: room.ID, Participant: id})
		return nil
	case before.Status == to:
		return nil
	}
	return apperr.Keyed(apperr.Conflict, "message", "Participant was already "+string(before.Status)+".")
}

// ClearRoom forgets every lobby entry of a room; admissions must be granted
// again next time. Run it on LiveKit's room_finished webhook (roomID is the
// LiveKit room name).
func (s *Service) ClearRoom(ctx context.Context, roomID string) error {
	if err := s.store.DeleteRoom(ctx, roomID); err != nil {
		return fmt.Errorf("lobby: clear room: %w", err)
	}
	s.publish(ctx, Event{Room: roomID})
	return nil
}

// ClearParticipant forgets one participant's lobby entry (identity is the
// LiveKit identity, which is the participant id for guests). Run it when a
// participant is removed from a room, so a kicked guest must knock again.
func (s *Service) ClearParticipant(ctx context.Context, roomID, identity string) error {
	if id, ok := rooms.CanonicalUUID(identity); ok {
		identity = id
	}
	if err := s.store.Delete(ctx, roomID, identity); err != nil {
		return fmt.Errorf("lobby: clear participant: %w", err)
	}
	s.publish(ctx, Event{Room: roomID, Participant: identity})
	return nil
}
