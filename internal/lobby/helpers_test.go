package lobby_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/cache"
	"meet/internal/lobby"
	"meet/internal/rooms"
)

// fakeRooms is a rooms.Store holding rooms and roles in maps; the methods the
// lobby does not reach panic through the nil embedded interface.
type fakeRooms struct {
	rooms.Store
	mu    sync.Mutex
	byID  map[string]*rooms.Room
	roles map[string]rooms.Role // roomID/userID → role
}

func (f *fakeRooms) RoomByID(_ context.Context, id string) (*rooms.Room, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.byID[id]; ok {
		c := *r
		return &c, nil
	}
	return nil, apperr.New(apperr.NotFound, rooms.NoRoomMessage)
}

func (f *fakeRooms) RoomBySlug(ctx context.Context, slug string) (*rooms.Room, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.byID {
		if r.Slug == slug {
			c := *r
			return &c, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, rooms.NoRoomMessage)
}

func (f *fakeRooms) RoleOf(_ context.Context, roomID, userID string) (rooms.Role, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.roles[roomID+"/"+userID], nil
}

func (f *fakeRooms) setLevel(roomID string, l rooms.AccessLevel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[roomID].AccessLevel = l
}

// tokens signs nothing: the token spells out identity, colour and name.
type tokens struct{}

func (tokens) Issue(g rooms.JoinGrant) (rooms.LiveKitInfo, error) {
	return rooms.LiveKitInfo{URL: "wss://lk.test", Room: g.Room,
		Token: g.Identity + "|" + g.Attributes["color"] + "|" + g.Name + "|" + g.Attributes["room_role"]}, nil
}

// notifier records the data messages sent to LiveKit rooms.
type notifier struct {
	mu   sync.Mutex
	sent []string
}

func (n *notifier) SendData(_ context.Context, room string, payload []byte, reliable bool) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, room+" "+string(payload))
	return nil
}

func (n *notifier) count() int { n.mu.Lock(); defer n.mu.Unlock(); return len(n.sent) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// env is a lobby service over an in-memory store and a fake rooms store.
type env struct {
	svc      *lobby.Service
	rooms    *fakeRooms
	store    *cache.LobbyMemory
	notifier *notifier
	clock    *clock
	room     *rooms.Room
}

var (
	owner  = auth.Principal{UserID: "u-owner", Sub: "sub-owner", FullName: "Owner"}
	admin  = auth.Principal{UserID: "u-admin", Sub: "sub-admin", FullName: "Admin"}
	member = auth.Principal{UserID: "u-member", Sub: "sub-member", FullName: "Member"}
	other  = auth.Principal{UserID: "u-other", Sub: "sub-other", FullName: "Other"}
	guest  = auth.Principal{}
)

func newEnv(t *testing.T, level rooms.AccessLevel, opts lobby.Options) *env {
	t.Helper()
	room := &rooms.Room{ID: rooms.NewID(), Name: "Daily", Slug: "daily", AccessLevel: level, Configuration: rooms.Configuration{}}
	fr := &fakeRooms{byID: map[string]*rooms.Room{room.ID: room}, roles: map[string]rooms.Role{
		room.ID + "/" + owner.UserID:  rooms.Owner,
		room.ID + "/" + admin.UserID:  rooms.Administrator,
		room.ID + "/" + member.UserID: rooms.Member,
	}}
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	store := cache.NewLobbyMemory(c.Now)
	n := &notifier{}
	rs := rooms.NewService(fr, nil, tokens{}, nil, rooms.Options{AuthenticatedCanEditName: true}, nil)
	svc := lobby.NewService(lobby.Deps{
		Rooms: rs, Store: store, Broker: cache.NewLobbyBrokerMemory(),
		Limiter: cache.NewLimiterMemory(c.Now), Notifier: n,
	}, opts)
	return &env{svc: svc, rooms: fr, store: store, notifier: n, clock: c, room: room}
}

// request knocks as p at room under name; id is the participant to knock as
// (its cookie is minted by the service), or "" for a guest without a cookie.
func (e *env) request(p auth.Principal, room, id, name string) (lobby.Result, error) {
	k := lobby.Knock{Room: room, Username: name}
	if id != "" {
		k.Cookie = e.svc.Cookie(id)
	}
	return e.svc.RequestEntry(context.Background(), p, k)
}

func tokenIdentity(info *rooms.LiveKitInfo) string {
	if info == nil {
		return ""
	}
	return strings.Split(info.Token, "|")[0]
}
