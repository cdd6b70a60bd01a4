package applications

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanDelegate(t *testing.T) {
	open := &Application{}
	some := &Application{Domains: []string{"example.com", "example.org"}}
	for _, tc := range []struct {
		app   *Application
		email string
		want  bool
	}{
		{open, "ada@anywhere.test", true},
		{some, "ada@example.com", true},
		{some, "Ada@EXAMPLE.ORG", true},
		{some, "ada@sub.example.com", false},
		{some, "ada@example.com.evil.test", false},
		{some, "ada@evil.test", false},
		{some, "example.com", false},
	} {
		if got := tc.app.CanDelegate(tc.email); got != tc.want {
			t.Errorf("%v.CanDelegate(%q) = %t, want %t", tc.app.Domains, tc.email, got, tc.want)
		}
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewClientSecret(), NewClientSecret()
	if len(a) != ClientSecretLength || a == b || strings.Trim(a, alphanumeric) != "" {
		t.Fatalf("secrets %q and %q", a, b)
	}
	h := HashSecret(a)
	if !strings.HasPrefix(h, "sha256$") || strings.Contains(h, a) {
		t.Fatalf("hash %q", h)
	}
	if !SecretMatches(a, h) || SecretMatches(b, h) || SecretMatches("", h) || SecretMatches(a, "") {
		t.Fatal("SecretMatches accepts the wrong secret or refuses the right one")
	}
	if id := newClientID(); len(id) != ClientIDLength || strings.Trim(id, alphanumeric) != "" {
		t.Fatalf("client id %q", id)
	}
}

func TestRandomStringIsUniform(t *testing.T) {
	// 62 symbols: a biased generator (byte % 62) makes the first 8 about
	// 25% more frequent; rejection sampling keeps them within noise.
	counts := map[byte]int{}
	const n = 62 * 2000
	for _, c := range []byte(randomString(n, alphanumeric)) {
		counts[c]++
	}
	for c, k := range counts {
		if k < 1700 || k > 2300 {
			t.Errorf("symbol %q drawn %d times, want about 2000", c, k)
		}
	}
	if len(counts) != 62 {
		t.Fatalf("%d distinct symbols, want 62", len(counts))
	}
}

func TestRandomRoomName(t *testing.T) {
	re := regexp.MustCompile(`^[a-z]{3}-[a-z]{4}-[a-z]{3}$`)
	if n := RandomRoomName(); !re.MatchString(n) || n == RandomRoomName() {
		t.Fatalf("room name %q", n)
	}
}

func TestParseInputs(t *testing.T) {
	got, err := parseScopes([]string{"rooms:list", " ROOMS:CREATE", "rooms:list"})
	if err != nil || !cmp.Equal(got, []Scope{ScopeRoomsList, ScopeRoomsCreate}) {
		t.Fatalf("parseScopes = %v, %v", got, err)
	}
	for _, bad := range [][]string{nil, {"rooms:update"}, {""}} {
		if _, err := parseScopes(bad); err == nil {
			t.Errorf("parseScopes(%q) accepted", bad)
		}
	}
	for in, want := range map[string]bool{"Example.COM ": true, "a-b.example": true, "-a.example": false, "a..b": false,
		"exa mple.com": false, "é.example": false, "": false} {
		if _, ok := normalizeDomain(in); ok != want {
			t.Errorf("normalizeDomain(%q) ok = %t, want %t", in, ok, want)
		}
	}
	if d, _ := normalizeDomain(" Example.COM "); d != "example.com" {
		t.Errorf("normalized %q", d)
	}
	if got := tokenScopes([]any{"Rooms:List", "rooms:list", 3, "rooms:create"}); !cmp.Equal(got, []string{"rooms:list", "rooms:create"}) {
		t.Errorf("tokenScopes(list) = %v", got)
	}
	if got := tokenScopes("rooms:list  ROOMS:LIST rooms:retrieve"); !cmp.Equal(got, []string{"rooms:list", "rooms:retrieve"}) {
		t.Errorf("tokenScopes(string) = %v", got)
	}
}
