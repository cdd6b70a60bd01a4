package livekit

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	lkauth "github.com/livekit/protocol/auth"

	"meet/internal/rooms"
)

func boolPtr(b bool) *bool { return &b }

// TestIssueClaims decodes issued tokens and checks every permission is
// explicit, so that no LiveKit default ("all allowed when unset") applies.
func TestIssueClaims(t *testing.T) {
	const k, s = "testkey", "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name  string
		grant rooms.JoinGrant
		want  lkauth.VideoGrant
	}{
		{
			name: "owner",
			grant: rooms.JoinGrant{Room: "r1", Identity: "sub-1", Name: "Olive", CanSubscribe: true, CanPublish: true,
				CanPublishSources: rooms.DefaultSources, CanPublishData: true, RoomAdmin: true,
				Attributes: map[string]string{"room_role": "owner", "is_authenticated": "true", "color": "hsl(1, 50%, 30%)"}},
			want: lkauth.VideoGrant{RoomJoin: true, Room: "r1", RoomAdmin: true,
				CanSubscribe: boolPtr(true), CanPublish: boolPtr(true), CanPublishData: boolPtr(true),
				CanPublishSources:    []string{"camera", "microphone", "screen_share", "screen_share_audio"},
				CanUpdateOwnMetadata: boolPtr(false)},
		},
		{
			name: "guest in a room where nobody may publish",
			grant: rooms.JoinGrant{Room: "r1", Identity: "guest-1", Name: "Anonymous", CanSubscribe: true,
				CanPublishSources: []string{}, CanPublishData: true,
				Attributes: map[string]string{"is_authenticated": "false", "color": "hsl(1, 50%, 30%)"}},
			want: lkauth.VideoGrant{RoomJoin: true, Room: "r1",
				CanSubscribe: boolPtr(true), CanPublish: boolPtr(false), CanPublishData: boolPtr(true),
				CanUpdateOwnMetadata: boolPtr(false)},
		},
		{
			name: "member with the microphone only",
			grant: rooms.JoinGrant{Room: "r2", Identity: "sub-2", Name: "Mia", CanSubscribe: true, CanPublish: true,
				CanPublishSources: []string{"microphone"}, CanPublishData: true,
				Attributes: map[string]string{"room_role": "member", "is_authenticated": "true", "color": "x"}},
			want: lkauth.VideoGrant{RoomJoin: true, Room: "r2",
				CanSubscribe: boolPtr(true), CanPublish: boolPtr(true), CanPublishData: boolPtr(true),
				CanPublishSources: []string{"microphone"}, CanUpdateOwnMetadata: boolPtr(false)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss := NewTokenIssuer(TokenOptions{APIKey: k, APISecret: s, PublicURL: "wss://sfu.example"})
			before := time.Now()
			info, err := iss.Issue(tt.grant)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if info.URL != "wss://sfu.example" || info.Room != tt.grant.Room {
				t.Errorf("info = %+v", info)
			}
			v, err := lkauth.ParseAPIToken(info.Token)
			if err != nil {
				t.Fatalf("ParseAPIToken: %v", err)
			}
			if v.APIKey() != k {
				t.Errorf("issuer = %q, want %q", v.APIKey(), k)
			}
			reg, claims, err := v.Verify(s)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if diff := cmp.Diff(&tt.want, claims.Video); diff != "" {
				t.Errorf("video grant (-want +got):\n%s", diff)
			}
			if claims.Identity != tt.grant.Identity || claims.Name != tt.grant.Name {
				t.Errorf("identity, name = %q, %q", claims.Identity, claims.Name)
			}
			if diff := cmp.Diff(tt.grant.Attributes, claims.Attributes); diff != "" {
				t.Errorf("attributes (-want +got):\n%s", diff)
			}
			if claims.Metadata != "" {
				t.Errorf("metadata = %q, want none", claims.Metadata)
			}
			if _, _, err := v.Verify("another secret of thirty-two bytes!!"); err == nil {
				t.Error("token verifies with another secret")
			}
			if d := reg.ExpiresAt.Sub(before); d < DefaultTokenTTL-time.Minute || d > DefaultTokenTTL+time.Minute {
				t.Errorf("token valid for %s, want about %s", d, DefaultTokenTTL)
			}
		})
	}
}

func TestIssueForTTL(t *testing.T) {
	iss := NewTokenIssuer(TokenOptions{APIKey: "k", APISecret: "0123456789abcdef0123456789abcdef", TTL: time.Hour})
	info, err := iss.IssueFor(rooms.JoinGrant{Room: "connection-test-1", Identity: "x", CanSubscribe: true}, 5*time.Minute)
	if err != nil {
		t.Fatalf("IssueFor: %v", err)
	}
	v, err := lkauth.ParseAPIToken(info.Token)
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := v.Verify("0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(reg.ExpiresAt.Time); d > 5*time.Minute || d < 4*time.Minute {
		t.Errorf("token valid for %s, want 5m", d)
	}
}
