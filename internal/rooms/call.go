package rooms

import (
	"context"
	"sync"
	"time"

	"meet/internal/apperr"
)

// CallMember is a participant connected to a room's call, as the media
// server reports it. Role and Authenticated come from the room_role and
// is_authenticated attributes meet itself sets (participants cannot change
// their own attributes: tokens never grant canUpdateOwnMetadata).
type CallMember struct {
	Identity      string
	Name          string // display name in the call
	Role          Role
	Authenticated bool
	Color         string
}

// Call acts on the participants connected to a LiveKit room (the livekit
// adapter's Client implements it). Hidden participants (the recorder,
// agents) are never listed nor changed.
//
// Members returns no members (and no error) when the room is not live.
// Member, Regrant and Remove return apperr.NotFound when the participant is
// not connected.
type Call interface {
	Members(ctx context.Context, lkRoom string) ([]CallMember, error)
	Member(ctx context.Context, lkRoom, identity string) (CallMember, error)
	// Regrant gives a connected participant the permissions of g and its
	// room_role attribute (removed when g has none), without reconnecting.
	Regrant(ctx context.Context, g JoinGrant) error
	Remove(ctx context.Context, lkRoom, identity string) error
}

// DenyList remembers, per LiveKit room, the identities removed from the call
// so that their tokens and new tokens are refused until the entry expires
// (memory and Redis implementations live in the cache adapter).
type DenyList interface {
	Deny(ctx context.Context, lkRoom, identity string, ttl time.Duration) error
	Denied(ctx context.Context, lkRoom, identity string) (bool, error)
	Allow(ctx context.Context, lkRoom, identity string) error
}

// Accounts maps signed-in users to their LiveKit identity (their sub) and
// back (the storage adapter implements it). Both return apperr.NotFound when
// there is no such user or the user has no identity yet.
type Accounts interface {
	IdentityOfUser(ctx context.Context, userID string) (string, error)
	UserOfIdentity(ctx context.Context, identity string) (string, error)
}

// RemovedMessage is the body of the 403 a removed participant gets when it
// asks for a new token before its removal expires.
const RemovedMessage = "You were removed from this call. Ask a host to let you in again, or try again later."

// errRemoved is returned wherever a join token would be issued to a denied identity.
var errRemoved = apperr.New(apperr.Forbidden, RemovedMessage)

// checkNotDenied refuses an identity removed from lkRoom. A failing deny
// list fails closed: a token is worth less than a removal that sticks.
func (s *Service) checkNotDenied(ctx context.Context, lkRoom, identity string) error {
	if s.opts.DenyList == nil || identity == "" {
		return nil
	}
	denied, err := s.opts.DenyList.Denied(ctx, lkRoom, identity)
	switch {
	case err != nil:
		return err
	case denied:
		return errRemoved
	}
	return nil
}

// Deny keeps identity out of room's call for DenyTTL: at least the lifetime
// of every token it may hold, including those LiveKit refreshed while it was
// connected. Run it just before removing a participant (so that it cannot
// resume in between) and Readmit if the removal finds nobody. It reports
// whether the identity is now denied: the room's owners and administrators
// never are, since no host could let them back in (a host who must stay
// out is demoted first, then removed).
func (s *Service) Deny(ctx context.Context, room *Room, identity string) (bool, error) {
	if s.opts.DenyList == nil {
		return false, nil
	}
	if s.opts.Accounts != nil {
		userID, err := s.opts.Accounts.UserOfIdentity(ctx, identity)
		switch {
		case apperr.Is(err, apperr.NotFound):
		case err != nil:
			return false, err
		default:
			role, err := s.store.RoleOf(ctx, room.ID, userID)
			if err != nil {
				return false, err
			}
			if role.CanManage() {
				return false, nil
			}
		}
	}
	return true, s.opts.DenyList.Deny(ctx, room.ID, identity, s.opts.DenyTTL)
}

// Readmit lifts a removal, when a host admits the same guest again through
// the lobby.
func (s *Service) Readmit(ctx context.Context, lkRoom, identity string) error {
	if s.opts.DenyList == nil {
		return nil
	}
	return s.opts.DenyList.Allow(ctx, lkRoom, identity)
}

// grantIn is the grant a connected participant of room gets with role: the
// same rules as a join token's, from GrantFor.
func grantIn(room *Room, m CallMember, role Role) JoinGrant {
	return GrantFor(room.ID, room.Configuration, Joiner{
		Identity: m.Identity, Color: m.Color, Role: role, Authenticated: m.Authenticated,
	})
}

// syncLimit bounds the LiveKit calls made at once when a whole call is
// updated: enough to update a 100-person call well within a second (each
// call takes a few milliseconds) without opening a connection per person.
const syncLimit = 8

// syncCall gives every participant connected to room the permissions its
// role allows under the room's current configuration. Failures are logged:
// the room change itself succeeded and new tokens follow the new rules.
func (s *Service) syncCall(ctx context.Context, room *Room) {
	if s.opts.Call == nil {
		return
	}
	members, err := s.opts.Call.Members(ctx, room.ID)
	if err != nil {
		s.log.WarnContext(ctx, "listing the call's participants failed; permissions not synced", "room_id", room.ID, "err", err)
		return
	}
	sem := make(chan struct{}, syncLimit)
	var wg sync.WaitGroup
	for _, m := range members {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			err := s.opts.Call.Regrant(ctx, grantIn(room, m, m.Role))
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				s.log.WarnContext(ctx, "participant permissions not synced", "room_id", room.ID, "err", err)
			}
		})
	}
	wg.Wait()
}

// syncUser applies a user's new role in room to the call, when the user is
// connected to it. It reports whether the call now reflects the role (true
// when the user is not in the call: there is nothing to update). A demotion
// from administrator or owner also moves the participant out when
// Options.MoveOutOnDemotion is set, because LiveKit keeps the roomAdmin claim
// of a connected participant in every token it refreshes.
func (s *Service) syncUser(ctx context.Context, room *Room, userID string, before, after Role) bool {
	if s.opts.Call == nil || s.opts.Accounts == nil {
		return true
	}
	identity, err := s.opts.Accounts.IdentityOfUser(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return true
	}
	if err != nil {
		s.log.WarnContext(ctx, "role change not synced to the call", "room_id", room.ID, "err", err)
		return false
	}
	m, err := s.opts.Call.Member(ctx, room.ID, identity)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return true
	case err != nil:
		s.log.WarnContext(ctx, "role change not synced to the call", "room_id", room.ID, "err", err)
		return false
	}
	return s.syncMember(ctx, room, m, before, after)
}

// syncMember applies a role change to one connected participant; see syncUser.
func (s *Service) syncMember(ctx context.Context, room *Room, m CallMember, before, after Role) bool {
	err := s.opts.Call.Regrant(ctx, grantIn(room, m, after))
	if err == nil && before.CanManage() && !after.CanManage() && s.opts.MoveOutOnDemotion {
		err = s.opts.Call.Remove(ctx, room.ID, m.Identity)
	}
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		s.log.WarnContext(ctx, "role change not synced to the call", "room_id", room.ID, "err", err)
		return false
	}
	return true
}
