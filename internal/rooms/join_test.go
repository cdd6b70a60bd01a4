package rooms_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/rooms"
)

// The people a grant can be for.
const (
	owner    = "owner"
	admin    = "administrator"
	member   = "member"
	signedIn = "signed-in without role"
	guest    = "guest"
)

var joiners = map[string]rooms.Joiner{
	owner:    {Identity: "sub-owner", Name: "Olive", Role: rooms.Owner, Authenticated: true},
	admin:    {Identity: "sub-admin", Name: "Adam", Role: rooms.Administrator, Authenticated: true},
	member:   {Identity: "sub-member", Name: "Mia", Role: rooms.Member, Authenticated: true},
	signedIn: {Identity: "sub-user", Name: "Sam", Role: rooms.NoRole, Authenticated: true},
	guest:    {Identity: "3f0c7b1e-guest", Name: "Anonymous", Role: rooms.NoRole, Authenticated: false},
}

// The room configurations, as clients send them.
var configurations = map[string]string{
	"no key":       `{}`,
	"null":         `{"can_publish_sources": null}`,
	"[]":           `{"can_publish_sources": []}`,
	"[microphone]": `{"can_publish_sources": ["microphone"]}`,
	"all":          `{"can_publish_sources": ["camera", "microphone", "screen_share", "screen_share_audio"]}`,
}

var (
	allSources = []string{"camera", "microphone", "screen_share", "screen_share_audio"}
	micOnly    = []string{"microphone"}
	none       = []string{}
)

// TestGrantTable is the grant table of docs/livekit.md: what each kind of
// participant may publish, and whether it is a LiveKit room admin, under
// every room configuration. Owners and administrators are never restricted
// by the configuration; nobody else is ever an admin.
func TestGrantTable(t *testing.T) {
	tests := grantTable
	if len(tests) != len(joiners)*len(configurations) {
		t.Fatalf("table has %d rows, want every joiner × configuration (%d)", len(tests), len(joiners)*len(configurations))
	}
	for _, tt := range tests {
		t.Run(tt.who+"/"+tt.config, func(t *testing.T) {
			cfg := parseConfiguration(t, configurations[tt.config])
			j := joiners[tt.who]
			j.Color = "hsl(10, 60%, 40%)"

			got := rooms.GrantFor("room-id", cfg, j)

			want := rooms.JoinGrant{
				Room:                 "room-id",
				Identity:             j.Identity,
				Name:                 j.Name,
				Attributes:           wantAttributes(j, "hsl(10, 60%, 40%)"),
				CanSubscribe:         true,
				CanPublish:           len(tt.sources) > 0,
				CanPublishSources:    tt.sources,
				CanPublishData:       true,
				RoomAdmin:            tt.admin,
				CanUpdateOwnMetadata: false,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GrantFor mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCanJoinDirectly is who skips the lobby, per access level.
func TestCanJoinDirectly(t *testing.T) {
	tests := joinTable
	for _, tt := range tests {
		t.Run(string(tt.level)+"/"+tt.who, func(t *testing.T) {
			j := joiners[tt.who]
			if got := rooms.CanJoinDirectly(tt.level, j.Authenticated, j.Role); got != tt.want {
				t.Errorf("CanJoinDirectly(%s, authenticated=%v, %q) = %v, want %v", tt.level, j.Authenticated, j.Role, got, tt.want)
			}
		})
	}
}

// TestJoinMatrix checks every role × access level × configuration: whether
// the participant joins directly (else it goes through the lobby) and the
// exact grant it gets once in, which never depends on the access level.
func TestJoinMatrix(t *testing.T) {
	type outcome struct {
		Direct bool
		Grant  rooms.JoinGrant
	}
	n := 0
	for _, jr := range joinTable {
		for _, gr := range grantTable {
			if gr.who != jr.who {
				continue
			}
			n++
			t.Run(fmt.Sprintf("%s/%s/%s", jr.level, jr.who, gr.config), func(t *testing.T) {
				j := joiners[jr.who]
				cfg := parseConfiguration(t, configurations[gr.config])
				got := outcome{
					Direct: rooms.CanJoinDirectly(jr.level, j.Authenticated, j.Role),
					Grant:  rooms.GrantFor("room-id", cfg, j),
				}
				want := outcome{
					Direct: jr.want,
					Grant: rooms.JoinGrant{
						Room:              "room-id",
						Identity:          j.Identity,
						Name:              j.Name,
						Attributes:        wantAttributes(j, rooms.ColorFor(j.Identity)),
						CanSubscribe:      true,
						CanPublish:        len(gr.sources) > 0,
						CanPublishSources: gr.sources,
						CanPublishData:    true,
						RoomAdmin:         gr.admin,
					},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
	if want := 3 * len(joiners) * len(configurations); n != want {
		t.Errorf("matrix has %d cases, want %d", n, want)
	}
}

// TestGrantDerivesColor checks that a joiner without a colour gets the one
// derived from its identity, so it stays the same across joins.
func TestGrantDerivesColor(t *testing.T) {
	j := joiners[guest]
	got := rooms.GrantFor("slug-room", rooms.Configuration{}, j)
	want := wantAttributes(j, rooms.ColorFor(j.Identity))
	if diff := cmp.Diff(want, got.Attributes); diff != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", diff)
	}
	if again := rooms.GrantFor("slug-room", rooms.Configuration{}, j); again.Attributes["color"] != got.Attributes["color"] {
		t.Errorf("colour changed between joins: %q then %q", got.Attributes["color"], again.Attributes["color"])
	}
}

// TestGrantDoesNotAliasDefaults checks that changing one grant's sources
// cannot change what the next owner gets.
func TestGrantDoesNotAliasDefaults(t *testing.T) {
	g := rooms.GrantFor("room-id", rooms.Configuration{}, joiners[owner])
	g.CanPublishSources[0] = "tampered"
	again := rooms.GrantFor("room-id", rooms.Configuration{}, joiners[owner])
	if diff := cmp.Diff(allSources, again.CanPublishSources); diff != "" {
		t.Errorf("default sources changed (-want +got):\n%s", diff)
	}
}

func wantAttributes(j rooms.Joiner, color string) map[string]string {
	attrs := map[string]string{"color": color, "is_authenticated": fmt.Sprint(j.Authenticated)}
	if j.Role != rooms.NoRole {
		attrs["room_role"] = string(j.Role)
	}
	return attrs
}

func parseConfiguration(t *testing.T, raw string) rooms.Configuration {
	t.Helper()
	cfg, err := rooms.ParseConfiguration("configuration", json.RawMessage(raw))
	if err != nil {
		t.Fatalf("ParseConfiguration(%s): %v", raw, err)
	}
	return cfg
}

// grantTable is the expected grant per joiner and configuration.
var grantTable = []struct {
	who, config string
	sources     []string
	admin       bool
}{
	{owner, "no key", allSources, true},
	{owner, "null", allSources, true},
	{owner, "[]", allSources, true},
	{owner, "[microphone]", allSources, true},
	{owner, "all", allSources, true},

	{admin, "no key", allSources, true},
	{admin, "null", allSources, true},
	{admin, "[]", allSources, true},
	{admin, "[microphone]", allSources, true},
	{admin, "all", allSources, true},

	{member, "no key", allSources, false},
	{member, "null", allSources, false},
	{member, "[]", none, false},
	{member, "[microphone]", micOnly, false},
	{member, "all", allSources, false},

	{signedIn, "no key", allSources, false},
	{signedIn, "null", allSources, false},
	{signedIn, "[]", none, false},
	{signedIn, "[microphone]", micOnly, false},
	{signedIn, "all", allSources, false},

	{guest, "no key", allSources, false},
	{guest, "null", allSources, false},
	{guest, "[]", none, false},
	{guest, "[microphone]", micOnly, false},
	{guest, "all", allSources, false},
}

// joinTable says who joins without the lobby, per access level.
var joinTable = []struct {
	level rooms.AccessLevel
	who   string
	want  bool
}{
	{rooms.Public, owner, true},
	{rooms.Public, admin, true},
	{rooms.Public, member, true},
	{rooms.Public, signedIn, true},
	{rooms.Public, guest, true},

	{rooms.Trusted, owner, true},
	{rooms.Trusted, admin, true},
	{rooms.Trusted, member, true},
	{rooms.Trusted, signedIn, true},
	{rooms.Trusted, guest, false},

	{rooms.Restricted, owner, true},
	{rooms.Restricted, admin, true},
	{rooms.Restricted, member, true},
	{rooms.Restricted, signedIn, false},
	{rooms.Restricted, guest, false},
}
