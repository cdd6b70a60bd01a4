package livekit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	lkauth "github.com/livekit/protocol/auth"
	lkproto "github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/utils/protojson"
	"github.com/livekit/protocol/webhook"
)

// The webhook events LiveKit sends (every one of LiveKit 1.13.5); any other
// name is refused with 422. Events nobody subscribed to are answered 200 and
// ignored.
const (
	EventRoomStarted                  = "room_started"
	EventRoomFinished                 = "room_finished"
	EventParticipantJoined            = "participant_joined"
	EventParticipantLeft              = "participant_left"
	EventParticipantConnectionAborted = "participant_connection_aborted"
	EventTrackPublished               = "track_published"
	EventTrackUnpublished             = "track_unpublished"
	EventEgressStarted                = "egress_started"
	EventEgressUpdated                = "egress_updated"
	EventEgressEnded                  = "egress_ended"
	EventIngressStarted               = "ingress_started"
	EventIngressEnded                 = "ingress_ended"
)

var knownEvents = map[string]bool{
	EventRoomStarted: true, EventRoomFinished: true,
	EventParticipantJoined: true, EventParticipantLeft: true, EventParticipantConnectionAborted: true,
	EventTrackPublished: true, EventTrackUnpublished: true,
	EventEgressStarted: true, EventEgressUpdated: true, EventEgressEnded: true,
	EventIngressStarted: true, EventIngressEnded: true,
}

// DefaultConnectionTestPrefix starts the names of the connection test's
// rooms, whose webhooks are ignored.
const DefaultConnectionTestPrefix = "connection-test"

// Errors Handle returns; WebhookStatus maps them to HTTP statuses.
var (
	// ErrWebhookUnsigned means the request has no Authorization header (401).
	ErrWebhookUnsigned = errors.New("livekit: webhook: missing Authorization header")
	// ErrWebhookInvalid means the signature, the body hash or the body is
	// wrong (400). The verification failure is wrapped too.
	ErrWebhookInvalid = errors.New("livekit: webhook: invalid signature or body")
	// ErrWebhookUnknownEvent means the event name is not one LiveKit sends (422).
	ErrWebhookUnknownEvent = errors.New("livekit: webhook: unknown event")
)

// HandlerError is a subscriber's failure to handle an event (500, so that
// LiveKit retries the delivery).
type HandlerError struct {
	Event Event
	Err   error
}

// Error describes the failed event and the cause.
func (e *HandlerError) Error() string {
	return fmt.Sprintf("livekit: webhook: handle %s %s for room %q: %v", e.Event.Type, e.Event.ID, e.Event.Room, e.Err)
}

// Unwrap returns the subscriber's error.
func (e *HandlerError) Unwrap() error { return e.Err }

// WebhookStatus is the HTTP status answering a webhook that Handle
// returned err for: 200 for nil (handled or ignored), 401, 400, 422 or 500.
func WebhookStatus(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrWebhookUnsigned):
		return http.StatusUnauthorized
	case errors.Is(err, ErrWebhookInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrWebhookUnknownEvent):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// Event is a verified LiveKit webhook in domain-neutral terms.
type Event struct {
	ID                  string
	Type                string // one of the Event* constants
	CreatedAt           time.Time
	Room                string // LiveKit room name: a room id or an unregistered slug
	RoomSID             string
	RoomMetadata        string
	ParticipantIdentity string
	ParticipantSID      string
	ParticipantName     string
	TrackSID            string
	TrackSource         string // camera, microphone, screen_share, ...
	EgressID            string
	EgressStatus        string // EGRESS_STARTING, EGRESS_ACTIVE, EGRESS_ENDING, EGRESS_COMPLETE, EGRESS_FAILED, EGRESS_ABORTED, ...
	EgressError         string
	EgressStartedAt     time.Time
	EgressEndedAt       time.Time
	IngressID           string
}

// EventHandler handles one event. An error makes the webhook answer 500, so
// LiveKit delivers it again; the event counts as handled only when every
// handler succeeded.
type EventHandler func(ctx context.Context, e Event) error

// WebhookOptions configures a WebhookReceiver.
type WebhookOptions struct {
	// APIKey and APISecret verify the signature (the SFU's webhook api_key).
	APIKey    string
	APISecret string
	// RoomFilter, when set, is a regular expression that room names must
	// contain a match of (a search, not a full match); events of other rooms
	// are ignored. An invalid expression disables filtering, with a warning.
	RoomFilter string
	// ConnectionTestPrefix starts room names whose events are ignored;
	// default DefaultConnectionTestPrefix.
	ConnectionTestPrefix string
	// IgnoreIdentities lists participants (such as the hidden recorder) whose
	// participant and track events are ignored.
	IgnoreIdentities []string
	// RememberEvents and RememberFor bound the set of handled event ids used
	// to drop redelivered events; defaults 4096 and 1 h.
	RememberEvents int
	RememberFor    time.Duration
	// MaxBodyBytes caps the request body; default 1 MiB.
	MaxBodyBytes int64
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// WebhookReceiver verifies LiveKit webhooks and dispatches them to the
// handlers subscribed to their event type. Subscribe every handler before
// serving. Events of one room are handled one at a time, in arrival order.
type WebhookReceiver struct {
	keys       lkauth.KeyProvider
	filter     *regexp.Regexp
	testPrefix string
	ignored    map[string]bool
	maxBody    int64
	log        *slog.Logger

	mu       sync.RWMutex
	handlers map[string][]EventHandler

	seen  *recentIDs
	rooms keyedMutex
}

// NewWebhookReceiver returns a receiver for opts.
func NewWebhookReceiver(opts WebhookOptions, log *slog.Logger) *WebhookReceiver {
	w := &WebhookReceiver{
		keys:       lkauth.NewSimpleKeyProvider(opts.APIKey, opts.APISecret),
		testPrefix: opts.ConnectionTestPrefix,
		ignored:    make(map[string]bool, len(opts.IgnoreIdentities)),
		maxBody:    opts.MaxBodyBytes,
		log:        log,
		handlers:   map[string][]EventHandler{},
	}
	if w.testPrefix == "" {
		w.testPrefix = DefaultConnectionTestPrefix
	}
	if w.maxBody <= 0 {
		w.maxBody = 1 << 20
	}
	for _, id := range opts.IgnoreIdentities {
		w.ignored[id] = true
	}
	if opts.RoomFilter != "" {
		re, err := regexp.Compile(opts.RoomFilter)
		if err != nil {
			log.Warn("invalid livekit webhook room filter; filtering disabled", "filter", opts.RoomFilter, "error", err)
		} else {
			w.filter = re
		}
	}
	if opts.RememberEvents <= 0 {
		opts.RememberEvents = 4096
	}
	if opts.RememberFor <= 0 {
		opts.RememberFor = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w.seen = newRecentIDs(opts.RememberEvents, opts.RememberFor, opts.Now)
	return w
}

// Subscribe adds h to the handlers of eventType (one of the Event*
// constants). Handlers of an event run in the order they were subscribed.
func (w *WebhookReceiver) Subscribe(eventType string, h EventHandler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers[eventType] = append(w.handlers[eventType], h)
}

// ServeHTTP answers LiveKit: 200 {"status":"success"} when the event was
// handled or ignored, {"status":"error"} with the status WebhookStatus gives
// otherwise. Mount it at POST /api/v1.0/rooms/webhooks-livekit/.
func (w *WebhookReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	err := w.Handle(r)
	status := WebhookStatus(err)
	body := `{"status":"success"}`
	switch {
	case status == http.StatusInternalServerError:
		w.log.Error("livekit webhook handler failed", "error", err)
		body = `{"status":"error"}`
	case err != nil:
		w.log.Warn("livekit webhook refused", "status", status, "error", err)
		body = `{"status":"error"}`
	}
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_, _ = io.WriteString(rw, body)
}

// Handle verifies the request's signature and body hash before parsing it,
// then ignores, de-duplicates or dispatches the event. It returns nil when
// the event was handled or ignored, else an error WebhookStatus maps.
func (w *WebhookReceiver) Handle(r *http.Request) error {
	if r.Header.Get("Authorization") == "" {
		return ErrWebhookUnsigned
	}
	r.Body = http.MaxBytesReader(nil, r.Body, w.maxBody)
	data, err := webhook.Receive(r, w.keys)
	if errors.Is(err, webhook.ErrNoAuthHeader) {
		return ErrWebhookUnsigned
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWebhookInvalid, err)
	}
	var raw lkproto.WebhookEvent
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true, AllowPartial: true}).Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%w: %w", ErrWebhookInvalid, err)
	}
	if !knownEvents[raw.Event] {
		return fmt.Errorf("%w: %q", ErrWebhookUnknownEvent, raw.Event)
	}
	ev := eventFromProto(&raw)
	if reason := w.ignoreReason(ev); reason != "" {
		w.log.Debug("livekit webhook ignored", "event", ev.Type, "room", ev.Room, "reason", reason)
		return nil
	}

	unlock := w.rooms.lock(ev.Room)
	defer unlock()
	if ev.ID != "" && w.seen.contains(ev.ID) {
		w.log.Debug("livekit webhook already handled", "event", ev.Type, "event_id", ev.ID)
		return nil
	}
	w.mu.RLock()
	hs := w.handlers[ev.Type]
	w.mu.RUnlock()
	for _, h := range hs {
		if err := h(r.Context(), ev); err != nil {
			return &HandlerError{Event: ev, Err: err}
		}
	}
	if ev.ID != "" {
		w.seen.add(ev.ID)
	}
	return nil
}

func (w *WebhookReceiver) ignoreReason(ev Event) string {
	switch {
	case strings.HasPrefix(ev.Room, w.testPrefix):
		return "connection test room"
	case w.filter != nil && !w.filter.MatchString(ev.Room):
		return "room filter"
	case ev.ParticipantIdentity != "" && w.ignored[ev.ParticipantIdentity]:
		return "ignored identity"
	}
	return ""
}

func eventFromProto(raw *lkproto.WebhookEvent) Event {
	ev := Event{ID: raw.Id, Type: raw.Event}
	if raw.CreatedAt != 0 {
		ev.CreatedAt = time.Unix(raw.CreatedAt, 0).UTC()
	}
	if r := raw.Room; r != nil {
		ev.Room, ev.RoomSID, ev.RoomMetadata = r.Name, r.Sid, r.Metadata
	}
	if p := raw.Participant; p != nil {
		ev.ParticipantIdentity, ev.ParticipantSID, ev.ParticipantName = p.Identity, p.Sid, p.Name
	}
	if t := raw.Track; t != nil {
		ev.TrackSID, ev.TrackSource = t.Sid, sourceName(t.Source)
	}
	if e := raw.EgressInfo; e != nil {
		ev.EgressID, ev.EgressStatus, ev.EgressError = e.EgressId, e.Status.String(), e.Error
		if ev.Room == "" {
			ev.Room, ev.RoomSID = e.RoomName, e.RoomId
		}
		if e.StartedAt != 0 {
			ev.EgressStartedAt = time.Unix(0, e.StartedAt).UTC()
		}
		if e.EndedAt != 0 {
			ev.EgressEndedAt = time.Unix(0, e.EndedAt).UTC()
		}
	}
	if i := raw.IngressInfo; i != nil {
		ev.IngressID = i.IngressId
		if ev.Room == "" {
			ev.Room = i.RoomName
		}
	}
	return ev
}
