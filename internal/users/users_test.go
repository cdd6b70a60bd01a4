package users

import (
	"strings"
	"testing"
)

func TestAnonymizedEmail(t *testing.T) {
	key := []byte("analytics key of this instance, 32+")
	a := AnonymizedEmail(key, "Ada.Lovelace@Example.org")
	if a != AnonymizedEmail(key, "  ada.lovelace@example.org ") {
		t.Error("the same address (case, spaces) gives different values")
	}
	if a == AnonymizedEmail(key, "grace@example.org") {
		t.Error("two addresses give the same value")
	}
	if a == AnonymizedEmail([]byte("another instance's key, 32 bytes.."), "ada.lovelace@example.org") {
		t.Error("the value does not depend on the key")
	}
	if len(a) != 32 || strings.Contains(a, "ada") || strings.Contains(a, "example") {
		t.Errorf("value %q: want 32 hex characters that reveal nothing of the address", a)
	}
	if AnonymizedEmail(key, "") != "" {
		t.Error("no address should give no value")
	}
}

func TestDisplayName(t *testing.T) {
	for _, c := range []struct {
		u    User
		want string
	}{
		{User{ID: "id", Email: "e@x.org", FullName: "Full Name"}, "Full Name"},
		{User{ID: "id", Email: "e@x.org"}, "e@x.org"},
		{User{ID: "id"}, "id"},
	} {
		if got := c.u.DisplayName(); got != c.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", c.u, got, c.want)
		}
	}
}
