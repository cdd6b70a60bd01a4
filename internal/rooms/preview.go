package rooms

import (
	"context"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// PreviewNames is how many names of people in the call a preview lists; the
// others are only counted.
const PreviewNames = 5

// Preview is what someone about to join sees of a room: whether they will go
// straight in or knock, and who is already in the call. Names are given only
// to those who may join directly: a guest who must be admitted learns how
// many people are in, not who.
type Preview struct {
	Room *Room // nil for an unregistered room
	// Direct reports whether the caller joins without the lobby.
	Direct bool
	// Count is how many people are in the call (recorder and agents aside).
	Count int
	// Names of the first PreviewNames people in the call, when Direct.
	Names []string
}

// Preview returns the room as it looks from the prejoin screen. It issues no
// token: the join itself still goes through Retrieve. An unknown room is
// NotFound unless unregistered rooms are allowed.
func (s *Service) Preview(ctx context.Context, p auth.Principal, idOrSlug string) (Preview, error) {
	room, err := s.Lookup(ctx, idOrSlug)
	var pv Preview
	lkRoom := ""
	switch {
	case apperr.Is(err, apperr.NotFound):
		slug := Slugify(idOrSlug)
		if !s.opts.AllowUnregistered || slug == "" || LooksLikeUUID(slug) || len(slug) > MaxSlugLength {
			return Preview{}, apperr.New(apperr.NotFound, NoRoomMessage)
		}
		pv.Direct, lkRoom = true, slug
	case err != nil:
		return Preview{}, err
	default:
		role, err := s.RoleOf(ctx, p, room.ID)
		if err != nil {
			return Preview{}, err
		}
		pv.Room, lkRoom = room, room.ID
		pv.Direct = CanJoinDirectly(room.AccessLevel, p.Authenticated(), role)
	}
	if s.opts.Call == nil {
		return pv, nil
	}
	members, err := s.opts.Call.Members(ctx, lkRoom)
	if err != nil {
		// Who is in the call is a courtesy: the prejoin screen still works
		// without it.
		s.log.WarnContext(ctx, "call members not listed for a preview", "room", lkRoom, "err", err)
		return pv, nil
	}
	pv.Count = len(members)
	if pv.Direct {
		for _, m := range members[:min(len(members), PreviewNames)] {
			pv.Names = append(pv.Names, m.Name)
		}
	}
	return pv, nil
}
