package applications

import (
	"context"
	"errors"
	"slices"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// PublicRefusedMessage is the reference's refusal of a public room asked
// through the external API while public rooms are not allowed there.
const PublicRefusedMessage = "Public rooms are disabled for the external API."

// RoomInput is a room asked for through the external API; nil fields were
// not sent.
type RoomInput struct {
	AccessLevel   *rooms.AccessLevel
	Configuration rooms.Configuration
}

// createAttempts bounds the retries when a random room name is taken.
const createAttempts = 3

// CreateRoom creates a room owned by the delegated user. Its name is a
// random slug (abc-defg-hij); an omitted access level is the external API's
// default (trusted), and a public one is refused (apperr.Invalid on
// access_level, PublicRefusedMessage) unless allowed or the default itself.
// The user's own room preferences do not apply.
func (s *Service) CreateRoom(ctx context.Context, d Delegation, in RoomInput) (*rooms.Room, error) {
	if err := d.Require(ScopeRoomsCreate); err != nil {
		return nil, err
	}
	level := s.opts.DefaultAccessLevel
	if in.AccessLevel != nil {
		level = *in.AccessLevel
		if level == rooms.Public && !s.opts.AllowPublic && s.opts.DefaultAccessLevel != rooms.Public {
			return nil, apperr.Field("access_level", PublicRefusedMessage)
		}
	}
	cfg := in.Configuration
	if cfg == nil {
		cfg = rooms.Configuration{}
	}
	var err error
	for range createAttempts {
		var v rooms.View
		v, err = s.d.Rooms.Create(ctx, d.Principal(), rooms.CreateInput{
			Name: RandomRoomName(), AccessLevel: &level, Configuration: cfg, SkipPreferences: true,
		})
		if err == nil {
			// analytics: room created through the external API — track
			// room_created for d.User with {room_id, access_level,
			// external_api: true, client_id: d.ClientID, auth_method:
			// "ApplicationJWTAuthentication" (the reference's authenticator
			// name), $set: {email}}.
			return v.Room, nil
		}
		if !slugTaken(err) {
			return nil, err
		}
	}
	return nil, err
}

// slugTaken reports whether err is the refusal of a taken slug.
func slugTaken(err error) bool {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		return false
	}
	return slices.Contains(ae.Fields["slug"], rooms.SlugTakenMessage)
}

// ListRooms returns one page of the rooms where the delegated user has a
// role, ordered by name, and their total number.
func (s *Service) ListRooms(ctx context.Context, d Delegation, page rooms.Page) ([]rooms.Room, int, error) {
	if err := d.Require(ScopeRoomsList); err != nil {
		return nil, 0, err
	}
	return s.d.RoomStore.ListRoomsForUser(ctx, d.User.ID, page)
}

// RetrieveRoom returns a room by id for the delegated user, who must have a
// role in it: apperr.NotFound ("Not found." for an id that is no UUID, the
// reference's "No Room matches the given query." for an unknown one), then
// apperr.Forbidden without a role.
func (s *Service) RetrieveRoom(ctx context.Context, d Delegation, id string) (*rooms.Room, error) {
	if err := d.Require(ScopeRoomsRetrieve); err != nil {
		return nil, err
	}
	canonical, ok := rooms.CanonicalUUID(id)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "Not found.")
	}
	room, err := s.d.RoomStore.RoomByID(ctx, canonical)
	if err != nil {
		return nil, err
	}
	role, err := s.d.RoomStore.RoleOf(ctx, room.ID, d.User.ID)
	if err != nil {
		return nil, err
	}
	if role == rooms.NoRole {
		return nil, apperr.New(apperr.Forbidden, "You do not have permission to perform this action.")
	}
	return room, nil
}

// RoomURL is the link of a room for applications ("" without a base URL).
func (s *Service) RoomURL(slug string) string {
	if s.opts.BaseURL == "" {
		return ""
	}
	return s.opts.BaseURL + "/" + slug
}

// RandomRoomName returns a room name of three groups of lower-case letters,
// abc-defg-hij, as the reference names rooms made through the external API.
func RandomRoomName() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	s := randomString(10, letters)
	return s[:3] + "-" + s[3:7] + "-" + s[7:]
}
