package rooms

import (
	"context"
	"encoding/json"
	"strings"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// CreateInput is a request to create a room. Nil fields were not sent.
type CreateInput struct {
	Name          string
	AccessLevel   *AccessLevel
	Configuration Configuration // nil or empty: the creator's default applies
	// SkipPreferences leaves the creator's default access level and
	// configuration out: the external API applies its own defaults.
	SkipPreferences bool
}

// Create stores a new room owned by the principal. An omitted access level
// takes the creator's default, then the instance default; an empty
// configuration takes the creator's default configuration.
func (s *Service) Create(ctx context.Context, p auth.Principal, in CreateInput) (View, error) {
	if !p.Authenticated() {
		return View{}, errUnauthenticated
	}
	// Names are trimmed as DRF's CharField does before validation.
	in.Name = strings.TrimSpace(in.Name)
	slug, err := NameAndSlug(in.Name)
	if err != nil {
		return View{}, err
	}
	level, cfg := s.opts.DefaultAccessLevel, in.Configuration
	if s.prefs != nil && !in.SkipPreferences && (in.AccessLevel == nil || cfg.Empty()) {
		defLevel, defCfg, err := s.prefs.RoomDefaults(ctx, p.UserID)
		if err != nil {
			return View{}, err
		}
		if defLevel != "" {
			level = defLevel
		}
		if cfg.Empty() && !defCfg.Empty() {
			cfg = defCfg.Clone()
		}
	}
	if in.AccessLevel != nil {
		level = *in.AccessLevel
	}
	if cfg == nil {
		cfg = Configuration{}
	}
	room := &Room{ID: NewID(), Name: in.Name, Slug: slug, AccessLevel: level, Configuration: cfg}
	if err := s.store.CreateRoom(ctx, room, p.UserID); err != nil {
		return View{}, err
	}
	return s.view(ctx, p, room, "", true)
}

// List returns one page of the rooms where the principal has a role; an
// anonymous caller gets an empty page.
func (s *Service) List(ctx context.Context, p auth.Principal, page Page) ([]View, int, error) {
	if !p.Authenticated() {
		return []View{}, 0, nil
	}
	list, total, err := s.store.ListRoomsForUser(ctx, p.UserID, page)
	if err != nil {
		return nil, 0, err
	}
	views := make([]View, 0, len(list))
	for i := range list {
		v, err := s.view(ctx, p, &list[i], "", true)
		if err != nil {
			return nil, 0, err
		}
		views = append(views, v)
	}
	return views, total, nil
}

// UpdateInput changes a room; nil fields stay as they are.
type UpdateInput struct {
	Name          *string
	AccessLevel   *AccessLevel
	Configuration Configuration // nil: unchanged
}

// Update changes a room. Only its owners and administrators may; renaming
// recomputes the slug. When the access level or the configuration changes,
// both are merged into the LiveKit room's metadata so connected clients see
// the new settings, and every connected participant gets the permissions its
// role has under them; a LiveKit failure is logged and never fails the update.
func (s *Service) Update(ctx context.Context, p auth.Principal, idOrSlug string, in UpdateInput) (View, error) {
	room, role, err := s.authorize(ctx, p, idOrSlug)
	if err != nil {
		return View{}, err
	}
	if !role.CanManage() {
		return View{}, errNoPermission
	}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		slug, err := NameAndSlug(name)
		if err != nil {
			return View{}, err
		}
		room.Name, room.Slug = name, slug
	}
	mediaChanged := false
	if in.AccessLevel != nil && *in.AccessLevel != room.AccessLevel {
		room.AccessLevel, mediaChanged = *in.AccessLevel, true
	}
	if in.Configuration != nil && !sameConfiguration(in.Configuration, room.Configuration) {
		room.Configuration, mediaChanged = in.Configuration, true
	}
	if err := s.store.UpdateRoom(ctx, room); err != nil {
		return View{}, err
	}
	if mediaChanged && s.media != nil {
		err := s.media.MergeRoomMetadata(ctx, room.ID, map[string]any{
			"configuration": room.Configuration,
			"access_level":  room.AccessLevel,
		})
		switch {
		case apperr.Is(err, apperr.NotFound):
			s.log.DebugContext(ctx, "room not live, metadata not synced", "room_id", room.ID)
		case err != nil:
			s.log.WarnContext(ctx, "room metadata sync failed", "room_id", room.ID, "err", err)
		}
	}
	if mediaChanged {
		s.syncCall(ctx, room)
	}
	return s.view(ctx, p, room, "", true)
}

// Delete removes a room; only its owners may.
func (s *Service) Delete(ctx context.Context, p auth.Principal, idOrSlug string) error {
	room, role, err := s.authorize(ctx, p, idOrSlug)
	if err != nil {
		return err
	}
	if role != Owner {
		return errNoPermission
	}
	return s.store.DeleteRoom(ctx, room.ID)
}

// authorize looks a room up for an unsafe method: the caller must be signed in.
func (s *Service) authorize(ctx context.Context, p auth.Principal, idOrSlug string) (*Room, Role, error) {
	if !p.Authenticated() {
		return nil, NoRole, errUnauthenticated
	}
	room, err := s.Lookup(ctx, idOrSlug)
	if err != nil {
		return nil, NoRole, err
	}
	role, err := s.store.RoleOf(ctx, room.ID, p.UserID)
	return room, role, err
}

// Authorize returns the room and the principal's role, refusing anonymous
// callers (401) and callers who are not administrator or owner (403). Room
// actions (lobby, recordings) use it.
func (s *Service) Authorize(ctx context.Context, p auth.Principal, idOrSlug string) (*Room, Role, error) {
	room, role, err := s.authorize(ctx, p, idOrSlug)
	if err != nil {
		return nil, NoRole, err
	}
	if !role.CanManage() {
		return nil, NoRole, errNoPermission
	}
	return room, role, nil
}

var (
	errUnauthenticated = apperr.New(apperr.Unauthenticated, "Authentication credentials were not provided.")
	errNoPermission    = apperr.New(apperr.Forbidden, "You do not have permission to perform this action.")
)

// sameConfiguration reports whether two configurations hold the same JSON
// (so that sending the current configuration again is not a change).
func sameConfiguration(a, b Configuration) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
