// Package rooms holds meeting rooms and who may do what in them: Room, the
// access levels and roles, slugs, the room configuration schema, and the
// Service that applies the rules of the rooms and resource-accesses API.
//
// It imports only the standard library, apperr and auth. Adapters (storage,
// livekit, httpapi) import it, never the reverse.
package rooms

import (
	"context"
	"time"
)

// AccessLevel says who may enter a room without waiting in the lobby.
type AccessLevel string

// The access levels of a room.
const (
	Public     AccessLevel = "public"     // anyone with the link
	Trusted    AccessLevel = "trusted"    // signed-in users; guests wait in the lobby
	Restricted AccessLevel = "restricted" // users with a role in the room; everyone else waits
)

// Valid reports whether l is a known access level.
func (l AccessLevel) Valid() bool { return l == Public || l == Trusted || l == Restricted }

// Role is a user's role in a room.
type Role string

// The roles a user can hold in a room, from least to most powerful.
const (
	NoRole        Role = ""
	Member        Role = "member"
	Administrator Role = "administrator"
	Owner         Role = "owner"
)

// Valid reports whether r is a role that can be assigned.
func (r Role) Valid() bool { return r == Member || r == Administrator || r == Owner }

// CanManage reports whether the role may administer the room (lobby, settings, accesses).
func (r Role) CanManage() bool { return r == Administrator || r == Owner }

// rank orders roles so the highest one wins.
func (r Role) rank() int {
	switch r {
	case Member:
		return 1
	case Administrator:
		return 2
	case Owner:
		return 3
	}
	return 0
}

// Higher returns the more powerful of r and o.
func (r Role) Higher(o Role) Role {
	if o.rank() > r.rank() {
		return o
	}
	return r
}

// Room is a registered meeting room.
type Room struct {
	ID            string
	Name          string
	Slug          string
	AccessLevel   AccessLevel
	Configuration Configuration
	PinCode       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Access grants a user a role in a room.
type Access struct {
	ID        string
	UserID    string
	RoomID    string
	Role      Role
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AccessUser is the public part of a user shown in a room's access list.
type AccessUser struct {
	ID        string
	Email     string
	FullName  string
	ShortName string
	Timezone  string
	Language  string
}

// AccessDetail is an access with its user, as shown to a room's administrators.
type AccessDetail struct {
	Access
	User AccessUser
}

// Page selects one page of a list; Number starts at 1.
type Page struct {
	Number int
	Size   int
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Store keeps rooms and accesses.
//
// Lookups return apperr.NotFound when nothing matches. CreateRoom and
// UpdateRoom return an apperr.Invalid error on field "slug" when the slug is
// taken. CreateRoom stores the room and the owner's access in one transaction.
// CreateAccess returns apperr.Invalid when the (user, room) pair already has an
// access, and apperr.NotFound when the user or room does not exist.
// UpdateAccessRole and DeleteAccess refuse, atomically, to leave a room without
// an owner (apperr.Forbidden, LastOwnerMessage).
type Store interface {
	CreateRoom(ctx context.Context, r *Room, ownerID string) error
	UpdateRoom(ctx context.Context, r *Room) error
	DeleteRoom(ctx context.Context, id string) error
	RoomByID(ctx context.Context, id string) (*Room, error)
	RoomBySlug(ctx context.Context, slug string) (*Room, error)
	// ListRoomsForUser lists the rooms where userID has any role, ordered by name then id.
	ListRoomsForUser(ctx context.Context, userID string, p Page) ([]Room, int, error)
	// RoleOf returns the user's role in the room, NoRole when it has none.
	RoleOf(ctx context.Context, roomID, userID string) (Role, error)
	// AccessesOfRoom lists a room's accesses with their users, newest first.
	AccessesOfRoom(ctx context.Context, roomID string) ([]AccessDetail, error)

	CreateAccess(ctx context.Context, a *Access) error
	AccessByID(ctx context.Context, id string) (*Access, error)
	UpdateAccessRole(ctx context.Context, id string, role Role) (*Access, error)
	DeleteAccess(ctx context.Context, id string) error
	// ListManagedAccesses lists the accesses of every room where userID is
	// administrator or owner, newest first.
	ListManagedAccesses(ctx context.Context, userID string, p Page) ([]Access, int, error)
}

// LastOwnerMessage is the reference API's message when a change would leave a room without an owner.
const LastOwnerMessage = "A resource should keep at least one owner."
