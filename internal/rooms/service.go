package rooms

import (
	"context"
	"crypto/rand"
	"log/slog"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Options are the instance settings the rooms rules depend on.
type Options struct {
	DefaultAccessLevel AccessLevel
	// AllowUnregistered lets anyone open a room that was never created: it is
	// public and lives only in the media server.
	AllowUnregistered bool
	// AuthenticatedCanEditName lets signed-in users choose their display name.
	AuthenticatedCanEditName bool

	// The call in progress. These are collaborators rather than settings;
	// they travel here so that NewService keeps one shape for every caller
	// (most tests need none of them). Each may be nil: nothing is synced to
	// the call, nobody is refused.

	// Call updates connected participants when their role or the room's
	// settings change.
	Call Call
	// Accounts finds the LiveKit identity of a user, for role changes.
	Accounts Accounts
	// DenyList keeps removed participants out of the call for DenyTTL.
	DenyList DenyList
	// DenyTTL is how long a removal lasts; it must cover the lifetime of
	// every token the participant may hold (see DenyTTLFor).
	DenyTTL time.Duration
	// MoveOutOnDemotion disconnects a participant whose role drops below
	// administrator, so that it reconnects with a token without LiveKit's
	// roomAdmin claim. Needed when clients can reach LiveKit's server API
	// (an external LiveKit); the embedded SFU's API is not reachable by them.
	MoveOutOnDemotion bool
}

// DenyTTLFor is how long a removal must last when join tokens live tokenTTL:
// LiveKit re-issues tokens to connected participants every 5 minutes, each
// valid max(10 min, what remained of the original), and accepts them with a
// minute of clock leeway; one more minute covers the removal's own latency.
func DenyTTLFor(tokenTTL time.Duration) time.Duration {
	return max(tokenTTL, 10*time.Minute) + 2*time.Minute
}

// Preferences gives the room defaults a user keeps (users.Store implements it).
// It returns NotFound for unknown users.
type Preferences interface {
	RoomDefaults(ctx context.Context, userID string) (AccessLevel, Configuration, error)
}

// Service applies the rules of the rooms and resource-accesses API.
type Service struct {
	store  Store
	prefs  Preferences
	tokens TokenIssuer
	media  MediaServer
	opts   Options
	log    *slog.Logger
}

// NewService returns a Service. media may be nil when no media server is configured.
func NewService(store Store, prefs Preferences, tokens TokenIssuer, media MediaServer, opts Options, log *slog.Logger) *Service {
	if opts.DefaultAccessLevel == "" {
		opts.DefaultAccessLevel = Public
	}
	return &Service{store: store, prefs: prefs, tokens: tokens, media: media, opts: opts, log: log}
}

// Options returns the settings the service runs with.
func (s *Service) Options() Options { return s.opts }

// View is a room as one caller sees it.
type View struct {
	Room *Room // nil for an unregistered room
	Slug string
	Role Role
	// Accesses is filled for administrators and owners only.
	Accesses []AccessDetail
	// LiveKit is set when the caller may join without going through the lobby.
	LiveKit *LiveKitInfo
}

// Registered reports whether the room exists in the database.
func (v View) Registered() bool { return v.Room != nil }

// Lookup finds a room by id (a UUID with or without dashes) or by slug (the
// input is slugified first, so "Réunion" finds "reunion").
func (s *Service) Lookup(ctx context.Context, idOrSlug string) (*Room, error) {
	if id, ok := CanonicalUUID(idOrSlug); ok {
		return s.store.RoomByID(ctx, id)
	}
	slug := Slugify(idOrSlug)
	if slug == "" {
		return nil, apperr.New(apperr.NotFound, NoRoomMessage)
	}
	return s.store.RoomBySlug(ctx, slug)
}

// NoRoomMessage is the reference's 404 message for rooms.
const NoRoomMessage = "No Room matches the given query."

// RoleOf returns the principal's role in the room (NoRole for anonymous callers).
func (s *Service) RoleOf(ctx context.Context, p auth.Principal, roomID string) (Role, error) {
	if !p.Authenticated() {
		return NoRole, nil
	}
	return s.store.RoleOf(ctx, roomID, p.UserID)
}

// CanJoinDirectly reports whether a caller with this role may join the room
// without the lobby: anyone in public rooms, signed-in users in trusted rooms,
// users with a role in restricted rooms.
func CanJoinDirectly(level AccessLevel, authenticated bool, role Role) bool {
	switch {
	case level == Public:
		return true
	case level == Trusted && authenticated:
		return true
	}
	return role != NoRole
}

// Retrieve returns the room as the principal sees it. username is the display
// name asked for with ?username= (empty for the default); a name longer than
// MaxDisplayNameLength is Invalid on "username".
func (s *Service) Retrieve(ctx context.Context, p auth.Principal, idOrSlug, username string) (View, error) {
	if _, err := DisplayName("username", username); err != nil {
		return View{}, err
	}
	room, err := s.Lookup(ctx, idOrSlug)
	if apperr.Is(err, apperr.NotFound) {
		return s.unregistered(ctx, p, idOrSlug, username)
	}
	if err != nil {
		return View{}, err
	}
	return s.view(ctx, p, room, username, true)
}

func (s *Service) unregistered(ctx context.Context, p auth.Principal, idOrSlug, username string) (View, error) {
	slug := Slugify(idOrSlug)
	if !s.opts.AllowUnregistered || slug == "" || LooksLikeUUID(slug) || len(slug) > MaxSlugLength {
		// A UUID-shaped name would share a LiveKit room with a registered room
		// and skip its lobby, so it never names an unregistered room.
		return View{}, apperr.New(apperr.NotFound, NoRoomMessage)
	}
	info, err := s.Join(ctx, nil, slug, p, NoRole, "", username, "")
	if err != nil {
		return View{}, err
	}
	return View{Slug: slug, LiveKit: &info}, nil
}

func (s *Service) view(ctx context.Context, p auth.Principal, room *Room, username string, withAccesses bool) (View, error) {
	role, err := s.RoleOf(ctx, p, room.ID)
	if err != nil {
		return View{}, err
	}
	v := View{Room: room, Slug: room.Slug, Role: role}
	if role.CanManage() && withAccesses {
		if v.Accesses, err = s.store.AccessesOfRoom(ctx, room.ID); err != nil {
			return View{}, err
		}
	}
	if CanJoinDirectly(room.AccessLevel, p.Authenticated(), role) {
		info, err := s.Join(ctx, room, room.Slug, p, role, "", username, "")
		if err != nil {
			return View{}, err
		}
		v.LiveKit = &info
	}
	return v, nil
}

// Join mints the LiveKit block for a participant. room is nil for an
// unregistered room named slug. identity is the lobby participant id for
// guests who have one; signed-in users always join as their sub, and guests
// without an id get a random one. username is the requested display name
// (Invalid on "username" when longer than MaxDisplayNameLength). An identity
// removed from the call (see Deny) gets apperr.Forbidden with
// RemovedMessage: every join token meet issues comes from here.
func (s *Service) Join(ctx context.Context, room *Room, slug string, p auth.Principal, role Role, identity, username, color string) (LiveKitInfo, error) {
	lkRoom, cfg := slug, Configuration{}
	if room != nil {
		lkRoom, cfg = room.ID, room.Configuration
	}
	name, err := DisplayName("username", username)
	if err != nil {
		return LiveKitInfo{}, err
	}
	if p.Authenticated() {
		identity = p.Sub
		if name == "" || !s.opts.AuthenticatedCanEditName {
			name = p.FullName
			if name == "" {
				name = p.Email
			}
		}
	} else {
		if identity == "" {
			identity = newUUID()
		}
		if name == "" {
			name = "Anonymous"
		}
	}
	if err := s.checkNotDenied(ctx, lkRoom, identity); err != nil {
		return LiveKitInfo{}, err
	}
	return s.tokens.Issue(GrantFor(lkRoom, cfg, Joiner{
		Identity: identity, Name: name, Color: color, Role: role, Authenticated: p.Authenticated(),
	}))
}

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}

// NewID returns a new random UUID string for a stored object.
func NewID() string { return newUUID() }
