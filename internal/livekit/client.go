package livekit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	lkproto "github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/twitchtv/twirp"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// DefaultCallTimeout bounds each RoomService call when ClientOptions.Timeout
// is zero. Calls take 1–30 ms on loopback; a few seconds leaves room for a
// remote SFU without letting a stuck one hold a request for long.
const DefaultCallTimeout = 5 * time.Second

// ClientOptions configures a Client.
type ClientOptions struct {
	// URL is the SFU's server API URL as meet reaches it (http(s):// or
	// ws(s)://; the SDK turns ws into http).
	URL       string
	APIKey    string
	APISecret string
	// Timeout bounds each call on top of the caller's context; zero means
	// DefaultCallTimeout.
	Timeout time.Duration
}

// Client calls LiveKit's RoomService. Every method takes the caller's
// context plus the per-call timeout, and returns apperr errors:
// apperr.NotFound when LiveKit answers Twirp "not_found", apperr.Unavailable
// when the SFU cannot be reached or times out, apperr.BadGateway when it
// refuses the call.
type Client struct {
	rs      *lksdk.RoomServiceClient
	timeout time.Duration
	// metaMu serialises MergeRoomMetadata's read-modify-write within this
	// process; LiveKit offers no compare-and-swap, so two meet processes
	// can still race (as in the reference).
	metaMu sync.Mutex
}

var _ rooms.MediaServer = (*Client)(nil)

// NewClient returns a Client for opts. It does not contact the SFU.
func NewClient(opts ClientOptions) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultCallTimeout
	}
	return &Client{
		rs:      lksdk.NewRoomServiceClient(opts.URL, opts.APIKey, opts.APISecret),
		timeout: opts.Timeout,
	}
}

// Room is a LiveKit room as the server API reports it.
type Room struct {
	Name            string
	SID             string
	Metadata        string
	NumParticipants int
	NumPublishers   int
	CreatedAt       time.Time
}

// readinessRoom is a name no meet room can have (room names are UUIDs or
// slugs without underscores), listed by Ping.
const readinessRoom = "__meet_readiness__"

// Ping reports whether the SFU answers authenticated API calls; /readyz
// uses it. It lists a room that never exists, so it costs the SFU nothing.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.ListRooms(ctx, []string{readinessRoom})
	return err
}

// ListRooms returns the active rooms among names (all active rooms when
// names is empty). Rooms that do not exist are simply absent.
func (c *Client) ListRooms(ctx context.Context, names []string) ([]Room, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := c.rs.ListRooms(ctx, &lkproto.ListRoomsRequest{Names: names})
	if err != nil {
		return nil, mapErr("list rooms", err)
	}
	out := make([]Room, 0, len(res.Rooms))
	for _, r := range res.Rooms {
		out = append(out, roomFromProto(r))
	}
	return out, nil
}

// SendData sends payload to every participant of room, reliably (ordered,
// retransmitted) or not. It returns apperr.NotFound when the room is not
// active. The room is looked up first, as La Suite Meet does: LiveKit does
// not answer "not found" for a room that is not live but lets the call run
// into its own timeout (3 s), which would hold up the request that knocked.
func (c *Client) SendData(ctx context.Context, room string, payload []byte, reliable bool) error {
	live, err := c.ListRooms(ctx, []string{room})
	if err != nil {
		return err
	}
	if len(live) == 0 {
		return apperr.New(apperr.NotFound, "The room is not active.")
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	kind := lkproto.DataPacket_LOSSY
	if reliable {
		kind = lkproto.DataPacket_RELIABLE
	}
	_, err = c.rs.SendData(ctx, &lkproto.SendDataRequest{Room: room, Data: payload, Kind: kind})
	return mapErr("send data", err)
}

// MergeRoomMetadata overlays set onto the room's JSON metadata object and
// writes it back; keys not in set are kept. It returns apperr.NotFound when
// the room is not active.
func (c *Client) MergeRoomMetadata(ctx context.Context, room string, set map[string]any) error {
	return c.UpdateRoomMetadata(ctx, room, set, nil)
}

// UpdateRoomMetadata is MergeRoomMetadata that also deletes the keys in
// remove first (recordings clear their keys this way). Metadata that is not
// a JSON object is replaced.
func (c *Client) UpdateRoomMetadata(ctx context.Context, room string, set map[string]any, remove []string) error {
	c.metaMu.Lock()
	defer c.metaMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	res, err := c.rs.ListRooms(ctx, &lkproto.ListRoomsRequest{Names: []string{room}})
	if err != nil {
		return mapErr("update room metadata", err)
	}
	if len(res.Rooms) == 0 {
		return apperr.Wrap(apperr.NotFound, notFoundMsg, fmt.Errorf("livekit: update room metadata: room %q is not active", room))
	}
	meta := map[string]any{}
	if m := res.Rooms[0].Metadata; m != "" {
		if err := json.Unmarshal([]byte(m), &meta); err != nil || meta == nil {
			meta = map[string]any{}
		}
	}
	for _, k := range remove {
		delete(meta, k)
	}
	maps.Copy(meta, set)
	b, err := json.Marshal(meta)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "Could not encode the room metadata.", fmt.Errorf("livekit: update room metadata: %w", err))
	}
	_, err = c.rs.UpdateRoomMetadata(ctx, &lkproto.UpdateRoomMetadataRequest{Room: room, Metadata: string(b)})
	return mapErr("update room metadata", err)
}

// DeleteRoom ends room, disconnecting everyone in it.
func (c *Client) DeleteRoom(ctx context.Context, room string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	_, err := c.rs.DeleteRoom(ctx, &lkproto.DeleteRoomRequest{Room: room})
	return mapErr("delete room", err)
}

// notFoundMsg is the public message of NotFound errors; handlers usually
// replace it with the reference's endpoint-specific body.
const notFoundMsg = "Not found on the media server."

// mapErr translates a RoomService error into an apperr error whose logged
// cause names the operation.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	cause := fmt.Errorf("livekit: %s: %w", op, err)
	var te twirp.Error
	if errors.As(err, &te) {
		switch te.Code() {
		case twirp.NotFound:
			return apperr.Wrap(apperr.NotFound, notFoundMsg, cause)
		case twirp.Unavailable, twirp.DeadlineExceeded, twirp.Canceled, twirp.ResourceExhausted:
			return apperr.Wrap(apperr.Unavailable, "The media server is unavailable.", cause)
		case twirp.Internal, twirp.Unknown:
			// Twirp reports transport failures (connection refused, timeouts)
			// as "internal" with the cause attached.
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || te.Meta("cause") != "" {
				return apperr.Wrap(apperr.Unavailable, "The media server is unavailable.", cause)
			}
		}
		return apperr.Wrap(apperr.BadGateway, "The media server refused the request.", cause)
	}
	return apperr.Wrap(apperr.Unavailable, "The media server is unavailable.", cause)
}

func roomFromProto(r *lkproto.Room) Room {
	created := time.UnixMilli(r.CreationTimeMs)
	if r.CreationTimeMs == 0 {
		created = time.Unix(r.CreationTime, 0)
	}
	return Room{
		Name:            r.Name,
		SID:             r.Sid,
		Metadata:        r.Metadata,
		NumParticipants: int(r.NumParticipants),
		NumPublishers:   int(r.NumPublishers),
		CreatedAt:       created.UTC(),
	}
}
