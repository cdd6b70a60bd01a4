package rooms

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"meet/internal/apperr"
)

// Length limits of the reference data model.
const (
	MaxNameLength = 500
	MaxSlugLength = 100
)

var (
	uuidDashed    = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)
	uuidBraced    = regexp.MustCompile(`^(urn:uuid:)?\{?[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}\}?$`)
	slugDashSpace = regexp.MustCompile(`[-\s]+`)
)

// Slugify turns a room name into its slug the way the reference system does:
// accents are folded to ASCII (Réunion → reunion), characters other than
// letters, digits, underscores, spaces and hyphens are dropped, and runs of
// spaces and hyphens become one hyphen.
func Slugify(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
		}
	}
	var kept strings.Builder
	for _, r := range strings.ToLower(b.String()) {
		if r == '_' || r == '-' || unicode.IsSpace(r) || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			kept.WriteRune(r)
		}
	}
	s := slugDashSpace.ReplaceAllString(kept.String(), "-")
	return strings.Trim(s, "-_")
}

// LooksLikeUUID reports whether s parses as a UUID in any of the usual
// spellings (with or without dashes, braces or a urn:uuid: prefix). Such
// slugs are reserved so that a slug can never be confused with a room id.
func LooksLikeUUID(s string) bool { return uuidBraced.MatchString(s) }

// CanonicalUUID returns the dashed lower-case form of a UUID written with or
// without dashes, and whether s was one.
func CanonicalUUID(s string) (string, bool) {
	if !uuidDashed.MatchString(s) {
		return "", false
	}
	h := strings.ToLower(strings.ReplaceAll(s, "-", ""))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], true
}

// NameAndSlug validates a room name and returns its slug, with the reference's
// field names and messages.
func NameAndSlug(name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", apperr.Field("name", "This field may not be blank.")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return "", apperr.Field("name", fmt.Sprintf("Ensure this field has no more than %d characters.", MaxNameLength))
	}
	slug := Slugify(name)
	switch {
	case slug == "":
		return "", apperr.Field("slug", "This field cannot be blank.")
	case len(slug) > MaxSlugLength:
		return "", apperr.Field("slug", fmt.Sprintf("Ensure this value has at most %d characters (it has %d).", MaxSlugLength, len(slug)))
	case LooksLikeUUID(slug):
		return "", apperr.Field("name", fmt.Sprintf("Room name %q is reserved.", name))
	}
	return slug, nil
}

// SlugTakenMessage is the reference's message for a duplicate slug.
const SlugTakenMessage = "Room with this Slug already exists."
