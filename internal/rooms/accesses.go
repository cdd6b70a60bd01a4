package rooms

import (
	"context"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// The reference's messages for access rules.
const (
	MustBeAdminToAddMessage  = "You must be administrator or owner of a room to add accesses to it."
	OnlyOwnersAssignOwners   = "Only owners of a room can assign other users as owners."
	notManagerOfAccessDetail = "You do not have permission to perform this action."
)

// ListAccesses returns the accesses of every room the principal administers.
func (s *Service) ListAccesses(ctx context.Context, p auth.Principal, page Page) ([]Access, int, error) {
	if !p.Authenticated() {
		return nil, 0, errUnauthenticated
	}
	return s.store.ListManagedAccesses(ctx, p.UserID, page)
}

// GetAccess returns one access; the principal must administer its room.
func (s *Service) GetAccess(ctx context.Context, p auth.Principal, id string) (*Access, error) {
	a, _, err := s.managedAccess(ctx, p, id)
	return a, err
}

// CreateAccess gives a user a role in a room. The principal must administer
// the room, and only owners may make other owners.
func (s *Service) CreateAccess(ctx context.Context, p auth.Principal, a *Access) error {
	if !p.Authenticated() {
		return errUnauthenticated
	}
	if !a.Role.Valid() {
		return apperr.Field("role", `"`+string(a.Role)+`" is not a valid choice.`)
	}
	role, err := s.store.RoleOf(ctx, a.RoomID, p.UserID)
	if err != nil {
		return err
	}
	if !role.CanManage() {
		return apperr.New(apperr.Forbidden, MustBeAdminToAddMessage)
	}
	if a.Role == Owner && role != Owner {
		return apperr.New(apperr.Forbidden, OnlyOwnersAssignOwners)
	}
	a.ID = NewID()
	if err := s.store.CreateAccess(ctx, a); err != nil {
		return err
	}
	s.syncAccess(ctx, a.RoomID, a.UserID, NoRole, a.Role)
	return nil
}

// UpdateAccessRole changes an access's role (its user and room never change).
// Owner accesses may be changed only by their own user; promoting to owner
// needs an owner; the last owner cannot step down.
func (s *Service) UpdateAccessRole(ctx context.Context, p auth.Principal, id string, newRole Role) (*Access, error) {
	a, callerRole, err := s.managedAccess(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !newRole.Valid() {
		return nil, apperr.Field("role", `"`+string(newRole)+`" is not a valid choice.`)
	}
	// The reference refuses both with the same message.
	if a.Role == Owner && a.UserID != p.UserID {
		return nil, apperr.New(apperr.Forbidden, OnlyOwnersAssignOwners)
	}
	if newRole == Owner && callerRole != Owner {
		return nil, apperr.New(apperr.Forbidden, OnlyOwnersAssignOwners)
	}
	updated, err := s.store.UpdateAccessRole(ctx, id, newRole)
	if err != nil {
		return nil, err
	}
	s.syncAccess(ctx, updated.RoomID, updated.UserID, a.Role, updated.Role)
	return updated, nil
}

// DeleteAccess removes an access. An owner access may be removed only by its
// own user, and never the last one.
func (s *Service) DeleteAccess(ctx context.Context, p auth.Principal, id string) error {
	a, _, err := s.managedAccess(ctx, p, id)
	if err != nil {
		return err
	}
	if a.Role == Owner && a.UserID != p.UserID {
		return errNoPermission
	}
	if err := s.store.DeleteAccess(ctx, id); err != nil {
		return err
	}
	s.syncAccess(ctx, a.RoomID, a.UserID, a.Role, NoRole)
	return nil
}

// syncAccess applies a changed access to the call in progress, so that a
// demoted or removed administrator loses its rights at once rather than when
// its token expires. Failures are logged: the access change stands.
func (s *Service) syncAccess(ctx context.Context, roomID, userID string, before, after Role) {
	if s.opts.Call == nil || before == after {
		return
	}
	room, err := s.store.RoomByID(ctx, roomID)
	if err != nil {
		s.log.WarnContext(ctx, "access change not synced to the call", "room_id", roomID, "err", err)
		return
	}
	s.syncUser(ctx, room, userID, before, after)
}

// managedAccess loads an access the principal administers: 401 for anonymous
// callers, 404 when it does not exist, 403 when the caller does not administer its room.
func (s *Service) managedAccess(ctx context.Context, p auth.Principal, id string) (*Access, Role, error) {
	if !p.Authenticated() {
		return nil, NoRole, errUnauthenticated
	}
	if _, ok := CanonicalUUID(id); !ok {
		return nil, NoRole, apperr.New(apperr.NotFound, "No ResourceAccess matches the given query.")
	}
	a, err := s.store.AccessByID(ctx, id)
	if err != nil {
		return nil, NoRole, err
	}
	role, err := s.store.RoleOf(ctx, a.RoomID, p.UserID)
	if err != nil {
		return nil, NoRole, err
	}
	if !role.CanManage() {
		return nil, NoRole, apperr.New(apperr.Forbidden, notManagerOfAccessDetail)
	}
	return a, role, nil
}
