package applications

import (
	"context"
	"slices"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/rooms"
	"meet/internal/users"
)

// Options are the instance settings of the external API.
type Options struct {
	// SigningKey signs and verifies the delegated tokens (HS256).
	SigningKey []byte
	// Issuer is the tokens' iss claim (default "lasuite-meet").
	Issuer string
	// Audience is the tokens' aud claim; "" leaves it out and unchecked.
	Audience string
	// TokenTTL is how long a delegated token lasts (default one hour).
	TokenTTL time.Duration
	// DefaultAccessLevel applies to rooms created without one (default trusted).
	DefaultAccessLevel rooms.AccessLevel
	// AllowPublic lets applications create public rooms (always allowed
	// when DefaultAccessLevel is public).
	AllowPublic bool
	// AllowUserCreation creates a user without identity (found by e-mail at
	// its first sign-in) when a token is asked for an unknown address.
	AllowUserCreation bool
	// BaseURL, when set, gives each room a url: BaseURL/<slug>.
	BaseURL string
}

// Users finds and creates the users applications act for (users.Store
// implements it). UserByEmail matches case-insensitively and returns
// apperr.NotFound or, when several users share the address, apperr.Conflict;
// CreateUser returns apperr.Conflict when a user without identity already
// has the address.
type Users interface {
	UserByID(ctx context.Context, id string) (*users.User, error)
	UserByEmail(ctx context.Context, email string) (*users.User, error)
	CreateUser(ctx context.Context, u *users.User) error
}

// RoomCreator creates rooms with the rules of the rooms API (rooms.Service).
type RoomCreator interface {
	Create(ctx context.Context, p auth.Principal, in rooms.CreateInput) (rooms.View, error)
}

// RoomStore reads rooms and roles (rooms.Store implements it). RoomByID
// returns apperr.NotFound for an unknown room.
type RoomStore interface {
	RoomByID(ctx context.Context, id string) (*rooms.Room, error)
	ListRoomsForUser(ctx context.Context, userID string, p rooms.Page) ([]rooms.Room, int, error)
	RoleOf(ctx context.Context, roomID, userID string) (rooms.Role, error)
}

// Deps are the collaborators of a Service.
type Deps struct {
	Store     Store
	Users     Users
	Rooms     RoomCreator
	RoomStore RoomStore
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service manages applications and runs the external API's rules.
type Service struct {
	d    Deps
	opts Options
}

// NewService returns a Service; zero options take the reference's defaults.
func NewService(d Deps, o Options) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if o.Issuer == "" {
		o.Issuer = "lasuite-meet"
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = time.Hour
	}
	if o.DefaultAccessLevel == "" {
		o.DefaultAccessLevel = rooms.Trusted
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return &Service{d: d, opts: o}
}

// Options returns the settings the service runs with.
func (s *Service) Options() Options { return s.opts }

// Add registers a new, active application and returns it with its client
// secret, which is not stored and cannot be shown again. scopes must name
// at least one known scope; domains are e-mail domains (none: any address).
func (s *Service) Add(ctx context.Context, name string, scopes, domains []string) (*Application, string, error) {
	problems := apperr.Fields{}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		problems.Add("name", "This field may not be blank.")
	case len(name) > 255:
		problems.Add("name", "Ensure this field has no more than 255 characters.")
	}
	sc, err := parseScopes(scopes)
	problems.Merge(err)
	var doms []string
	for _, d := range domains {
		nd, ok := normalizeDomain(d)
		if !ok {
			problems.Add("domains", `"`+d+`" is not a valid domain name.`)
			continue
		}
		if !slices.Contains(doms, nd) {
			doms = append(doms, nd)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, "", err
	}
	secret := NewClientSecret()
	now := s.d.Now().UTC()
	a := &Application{
		ID: rooms.NewID(), Name: name, ClientID: newClientID(), SecretHash: HashSecret(secret),
		Scopes: sc, Domains: doms, IsActive: true, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.d.Store.CreateApplication(ctx, a); err != nil {
		return nil, "", err
	}
	return a, secret, nil
}

// List returns every application, newest first.
func (s *Service) List(ctx context.Context) ([]Application, error) {
	return s.d.Store.ListApplications(ctx)
}

// SetActive enables or disables an application. A disabled application gets
// no token, and the tokens it holds stop working at once.
func (s *Service) SetActive(ctx context.Context, clientID string, active bool) (*Application, error) {
	a, err := s.byClientID(ctx, clientID)
	if err != nil {
		return nil, err
	}
	a.IsActive = active
	if err := s.d.Store.UpdateApplication(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// RotateSecret gives an application a new client secret, returned once; the
// old one stops working at once (tokens already issued live on until they
// expire).
func (s *Service) RotateSecret(ctx context.Context, clientID string) (*Application, string, error) {
	a, err := s.byClientID(ctx, clientID)
	if err != nil {
		return nil, "", err
	}
	secret := NewClientSecret()
	a.SecretHash = HashSecret(secret)
	if err := s.d.Store.UpdateApplication(ctx, a); err != nil {
		return nil, "", err
	}
	return a, secret, nil
}

func (s *Service) byClientID(ctx context.Context, clientID string) (*Application, error) {
	a, err := s.d.Store.ApplicationByClientID(ctx, clientID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Wrap(apperr.NotFound, noApplicationMessage, err)
	}
	return a, err
}
