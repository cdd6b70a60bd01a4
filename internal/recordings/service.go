package recordings

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
)

// The reference API's messages.
const (
	NotFoundMessage        = "Not found."
	InvalidRequestMessage  = "Invalid request."
	NoRecordingMessage     = "No Recording matches the given query."
	NoActiveMessage        = "No active recording found for this room."
	unauthenticatedMessage = "Authentication credentials were not provided."
	noPermissionMessage    = "You do not have permission to perform this action."
)

var (
	errDisabled        = apperr.New(apperr.NotFound, NotFoundMessage)
	errUnauthenticated = apperr.New(apperr.Unauthenticated, unauthenticatedMessage)
	errNoPermission    = apperr.New(apperr.Forbidden, noPermissionMessage)
	errNoRecording     = apperr.New(apperr.NotFound, NoRecordingMessage)
)

// Rooms finds rooms and roles in them (rooms.Service implements it).
type Rooms interface {
	Lookup(ctx context.Context, idOrSlug string) (*rooms.Room, error)
	RoleOf(ctx context.Context, p auth.Principal, roomID string) (rooms.Role, error)
}

// File is a stored recording file opened for reading (*os.File is one).
type File interface {
	io.ReadSeekCloser
	Stat() (fs.FileInfo, error)
}

// FileStore keeps recording files under their keys (recordings/<id>.<ext>).
//
// Put stores the local file at path under key; the local copy is removed
// only once the store confirmed it holds the file. Open returns
// apperr.NotFound when nothing is stored under key. Delete removes the file
// and any raw files kept beside it; deleting a missing key is not an error.
type FileStore interface {
	Put(ctx context.Context, key, path string) error
	Open(ctx context.Context, key string) (File, error)
	Delete(ctx context.Context, key string) error
}

// Config are the instance settings of recordings.
type Config struct {
	// Enabled is MEET_RECORDING_ENABLED: when false every recording route
	// answers 404.
	Enabled bool
	// ExpirationDays is MEET_RECORDING_EXPIRATION_DAYS (0: never).
	ExpirationDays int
	// StorageEventEnabled turns the storage-hook route on.
	StorageEventEnabled bool
	// StorageEventToken is the bearer token of the storage hook.
	StorageEventToken string
	// StorageEventNoAuth accepts storage hooks without a token.
	StorageEventNoAuth bool
	// StorageBucket is the bucket storage events must name.
	StorageBucket string
	// SummaryWebhookToken is the bearer token of external-process-hook.
	SummaryWebhookToken string
	// Notify configures the notifications sent on completion.
	Notify NotifyConfig
}

// Service applies the rules of the recording endpoints and the completion
// of recordings.
type Service struct {
	store Store
	rooms Rooms
	files FileStore
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
}

// NewService returns a Service. now may be nil (time.Now).
func NewService(store Store, rms Rooms, files FileStore, cfg Config, log *slog.Logger, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, rooms: rms, files: files, cfg: cfg, log: log, now: now}
}

// Enabled reports whether recordings are on (MEET_RECORDING_ENABLED).
func (s *Service) Enabled() bool { return s != nil && s.cfg.Enabled }

// Config returns the settings the service runs with.
func (s *Service) Config() Config { return s.cfg }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.now() }

// managedRoom loads a room the principal administers: 401, 404 or 403.
func (s *Service) managedRoom(ctx context.Context, p auth.Principal, idOrSlug string) (*rooms.Room, error) {
	if !s.Enabled() {
		return nil, errDisabled
	}
	if !p.Authenticated() {
		return nil, errUnauthenticated
	}
	room, err := s.rooms.Lookup(ctx, idOrSlug)
	if err != nil {
		return nil, err
	}
	role, err := s.rooms.RoleOf(ctx, p, room.ID)
	if err != nil {
		return nil, err
	}
	if !role.CanManage() {
		return nil, errNoPermission
	}
	return room, nil
}

// Start records a room: it stores the recording (initiated), the caller's
// owner access and a start job in one transaction. A recorder worker picks
// the job up; the API never calls a recorder. A room with a recording in
// progress gives 409 with the reference's {"error": ...} body.
func (s *Service) Start(ctx context.Context, p auth.Principal, idOrSlug string, in StartInput) (*Recording, *rooms.Room, error) {
	room, err := s.managedRoom(ctx, p, idOrSlug)
	if err != nil {
		return nil, nil, err
	}
	r := &Recording{ID: rooms.NewID(), RoomID: room.ID, Status: Initiated, Mode: in.Mode, Options: in.Options}
	err = s.store.CreateRecording(ctx, r, p.UserID)
	if apperr.Is(err, apperr.Conflict) {
		return nil, nil, apperr.Keyed(apperr.Conflict, "error", "A recording is already in progress for room "+room.Slug)
	}
	if err != nil {
		return nil, nil, err
	}
	s.log.InfoContext(ctx, "recording requested", "recording_id", r.ID, "room_id", room.ID, "mode", string(r.Mode))
	return r, room, nil
}

// Stop ends the room's recording in progress: the worker that records it is
// told through a stop job. 404 with the reference's message when there is none.
func (s *Service) Stop(ctx context.Context, p auth.Principal, idOrSlug string) (*Recording, *rooms.Room, error) {
	room, err := s.managedRoom(ctx, p, idOrSlug)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.store.RequestRecordingStop(ctx, room.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.New(apperr.NotFound, NoActiveMessage)
	}
	if err != nil {
		return nil, nil, err
	}
	s.log.InfoContext(ctx, "recording stop requested", "recording_id", r.ID, "room_id", room.ID, "status", string(r.Status))
	return r, room, nil
}

// InProgress returns the room's recording that is starting or running, or
// nil when there is none (or recordings are off). It is what a prejoin screen
// shows so that nobody joins a recorded call unaware.
func (s *Service) InProgress(ctx context.Context, roomID string) (*Recording, error) {
	if !s.Enabled() {
		return nil, nil
	}
	r, err := s.store.InProgressRecording(ctx, roomID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	return r, err
}

// List returns one page of the recordings the principal has any access to,
// newest first.
func (s *Service) List(ctx context.Context, p auth.Principal, page rooms.Page) ([]Recording, int, error) {
	if !s.Enabled() {
		return nil, 0, errDisabled
	}
	if !p.Authenticated() {
		return nil, 0, errUnauthenticated
	}
	return s.store.ListRecordingsForUser(ctx, p.UserID, page)
}

// access loads a recording and the principal's role on it: 401 for
// anonymous callers, 404 when it does not exist or the caller has no access
// (its existence stays hidden).
func (s *Service) access(ctx context.Context, p auth.Principal, id string) (*Recording, rooms.Role, error) {
	if !s.Enabled() {
		return nil, rooms.NoRole, errDisabled
	}
	if !p.Authenticated() {
		return nil, rooms.NoRole, errUnauthenticated
	}
	if _, ok := rooms.CanonicalUUID(id); !ok {
		return nil, rooms.NoRole, errNoRecording
	}
	r, err := s.store.RecordingByID(ctx, id)
	if err != nil {
		return nil, rooms.NoRole, err
	}
	role, err := s.store.RoleOnRecording(ctx, r.ID, p.UserID)
	if err != nil {
		return nil, rooms.NoRole, err
	}
	if role == rooms.NoRole {
		return nil, rooms.NoRole, errNoRecording
	}
	return r, role, nil
}

// Retrieve returns a recording to its administrators and owners (403 for
// members, 404 for everyone else).
func (s *Service) Retrieve(ctx context.Context, p auth.Principal, id string) (*Recording, Abilities, error) {
	r, role, err := s.access(ctx, p, id)
	if err != nil {
		return nil, Abilities{}, err
	}
	ab := AbilitiesOf(role, r.Status)
	if !ab.Retrieve {
		return nil, Abilities{}, errNoPermission
	}
	return r, ab, nil
}

// Delete removes a final recording and its files; administrators and owners only.
func (s *Service) Delete(ctx context.Context, p auth.Principal, id string) error {
	r, role, err := s.access(ctx, p, id)
	if err != nil {
		return err
	}
	if !AbilitiesOf(role, r.Status).Destroy {
		return errNoPermission
	}
	if err := s.store.DeleteRecording(ctx, r.ID); err != nil {
		return err
	}
	if err := s.files.Delete(ctx, r.Key()); err != nil {
		s.log.ErrorContext(ctx, "recording files not deleted", "recording_id", r.ID, "err", err)
	}
	return nil
}

// Download opens a saved recording's file for someone who may retrieve it.
func (s *Service) Download(ctx context.Context, p auth.Principal, id string) (*Recording, File, error) {
	r, _, err := s.Retrieve(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	return s.open(ctx, r)
}

func (s *Service) open(ctx context.Context, r *Recording) (*Recording, File, error) {
	if !r.Status.IsSaved() {
		return nil, nil, errNoPermission
	}
	f, err := s.files.Open(ctx, r.Key())
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.New(apperr.NotFound, "The recording file is not available.")
	}
	if err != nil {
		return nil, nil, err
	}
	return r, f, nil
}

// ExpiredAt returns when r expires under the instance settings (nil: never).
func (s *Service) ExpiredAt(r *Recording) *time.Time { return r.ExpiredAt(s.cfg.ExpirationDays) }

// IsExpired reports whether r has expired.
func (s *Service) IsExpired(r *Recording) bool { return r.IsExpired(s.cfg.ExpirationDays, s.now()) }
