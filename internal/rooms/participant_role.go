package rooms

import (
	"context"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// The reference's messages for update-participant-role/.
const (
	CannotChangeOwnRoleMessage = "You cannot change your own role."
	OwnersCannotBeDemoted      = "Room owners cannot be demoted."
	NoAccountMessage           = "This participant has no user account and cannot be assigned a role."
	ParticipantNotFoundMessage = "Participant not found"
)

// RoleChange is the outcome of UpdateParticipantRole: the role now stored,
// and whether the participant in the call was updated to match.
type RoleChange struct {
	Role   Role
	Synced bool
}

// UpdateParticipantRole makes a participant of the call a member or an
// administrator of the room: it writes the user's access, then gives the
// connected participant the room_role attribute and permissions of the new
// role without reconnecting. The caller must administer the room and be in
// the call itself (checked with LiveKit, failing closed); nobody changes
// their own role, owners are never demoted, and guests (participants
// without an account) cannot be given a role.
//
// Checks run in the reference's order: 401, body (400), room (404),
// permission and presence (403), own role (403), target in the call (404),
// account (404), owner (403).
func (s *Service) UpdateParticipantRole(ctx context.Context, p auth.Principal, idOrSlug, identity string, role Role) (RoleChange, error) {
	if !p.Authenticated() {
		return RoleChange{}, errUnauthenticated
	}
	if role != Member && role != Administrator {
		return RoleChange{}, apperr.Field("role", `"`+string(role)+`" is not a valid choice.`)
	}
	room, _, err := s.Authorize(ctx, p, idOrSlug)
	if err != nil {
		return RoleChange{}, err
	}
	call, accounts := s.opts.Call, s.opts.Accounts
	if call == nil || accounts == nil {
		return RoleChange{}, errNoPermission
	}
	if _, err := call.Member(ctx, room.ID, p.Sub); err != nil {
		s.log.DebugContext(ctx, "role change refused: caller not in the call", "room_id", room.ID, "err", err)
		return RoleChange{}, errNoPermission
	}
	if identity == p.Sub {
		return RoleChange{}, apperr.Keyed(apperr.Forbidden, "error", CannotChangeOwnRoleMessage)
	}
	m, err := call.Member(ctx, room.ID, identity)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return RoleChange{}, apperr.Keyed(apperr.NotFound, "error", ParticipantNotFoundMessage)
	case err != nil:
		return RoleChange{}, err
	}
	userID, err := accounts.UserOfIdentity(ctx, identity)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return RoleChange{}, apperr.Keyed(apperr.NotFound, "error", NoAccountMessage)
	case err != nil:
		return RoleChange{}, err
	}
	before, err := s.store.RoleOf(ctx, room.ID, userID)
	if err != nil {
		return RoleChange{}, err
	}
	if before == Owner {
		return RoleChange{}, apperr.Keyed(apperr.Forbidden, "error", OwnersCannotBeDemoted)
	}
	if err := s.writeRole(ctx, room.ID, userID, before, role); err != nil {
		return RoleChange{}, err
	}
	return RoleChange{Role: role, Synced: s.syncMember(ctx, room, m, before, role)}, nil
}

// writeRole stores a user's role in a room: a new access, or a new role on
// the existing one.
func (s *Service) writeRole(ctx context.Context, roomID, userID string, before, role Role) error {
	if before == role {
		return nil
	}
	if before == NoRole {
		return s.store.CreateAccess(ctx, &Access{ID: NewID(), UserID: userID, RoomID: roomID, Role: role})
	}
	accesses, err := s.store.AccessesOfRoom(ctx, roomID)
	if err != nil {
		return err
	}
	for _, a := range accesses {
		if a.UserID == userID {
			_, err := s.store.UpdateAccessRole(ctx, a.ID, role)
			return err
		}
	}
	// The access vanished between the two reads: create it.
	return s.store.CreateAccess(ctx, &Access{ID: NewID(), UserID: userID, RoomID: roomID, Role: role})
}
