package rooms_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// FuzzSlug: for any room name, Slugify gives a slug of lower-case ASCII
// letters, digits, "_" and single "-" separators, never starting or ending
// with "-" or "_", and slugifying it again changes nothing; NameAndSlug
// accepts or answers a field error (400), never panics; a canonical UUID is
// its own canonical form and is always reserved.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"Réunion d'équipe", "ÉTÉ 2024", "  --hello__world--  ", "\x00", "\xff\xfe", "\u00a0\u2028x\u3000",
		"ﬁ ligature ½", "a\x1cb\x1fc\vd", "123e4567-e89b-12d3-a456-426614174000", "{urn:uuid:123E4567E89B12D3A456426614174000}",
		"0x" + strings.Repeat("f", 32), strings.Repeat("é", 600), strings.Repeat("-", 300), "İstanbul", "ǅ Dž",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		slug := rooms.Slugify(name)
		for _, r := range slug {
			if !(r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9')) {
				t.Fatalf("Slugify(%q) = %q holds %q", name, slug, r)
			}
		}
		if strings.Contains(slug, "--") || strings.HasPrefix(slug, "-") || strings.HasSuffix(slug, "-") ||
			strings.HasPrefix(slug, "_") || strings.HasSuffix(slug, "_") {
			t.Fatalf("Slugify(%q) = %q: bad separators", name, slug)
		}
		if again := rooms.Slugify(slug); again != slug {
			t.Fatalf("Slugify is not idempotent: %q → %q → %q", name, slug, again)
		}
		got, err := rooms.NameAndSlug(name)
		switch {
		case err != nil && apperr.KindOf(err) != apperr.Invalid:
			t.Fatalf("NameAndSlug(%q): error of kind %v: %v", name, apperr.KindOf(err), err)
		case err == nil && got != slug:
			t.Fatalf("NameAndSlug(%q) = %q, Slugify gives %q", name, got, slug)
		case err == nil && (got == "" || len(got) > rooms.MaxSlugLength || utf8.RuneCountInString(name) > rooms.MaxNameLength):
			t.Fatalf("NameAndSlug(%q) accepted slug %q", name, got)
		}
		if id, ok := rooms.CanonicalUUID(name); ok {
			if again, ok := rooms.CanonicalUUID(id); !ok || again != id {
				t.Fatalf("CanonicalUUID(%q) = %q, not its own canonical form (%q)", name, id, again)
			}
			if !rooms.LooksLikeUUID(id) {
				t.Fatalf("canonical UUID %q is not reserved", id)
			}
		}
		_ = rooms.LooksLikeUUID(name)
	})
}
