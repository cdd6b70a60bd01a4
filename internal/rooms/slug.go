package rooms

import (
	"fmt"
	"regexp"
	"strings"
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
		switch {
		case isPythonSpace(r):
			// Python's \s also matches \v and the separators \x1c-\x1f,
			// which Go's does not: write them as plain spaces.
			kept.WriteByte(' ')
		case r == '_' || r == '-' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			kept.WriteRune(r)
		}
	}
	s := slugDashSpace.ReplaceAllString(kept.String(), "-")
	return strings.Trim(s, "-_")
}

// isPythonSpace reports whether the ASCII rune r is whitespace for Python's
// str.isspace, which Django's slugify relies on.
func isPythonSpace(r rune) bool {
	return r == ' ' || ('\t' <= r && r <= '\r') || (0x1c <= r && r <= 0x1f)
}

// LooksLikeUUID reports whether s parses as a UUID the way Python's
// uuid.UUID does, so that the reference's reserved names stay reserved: the
// "urn:" and "uuid:" markers and surrounding braces are dropped, every dash
// is removed (wherever it stands), and 32 hexadecimal digits remain (which
// Python's int(…, 16) also accepts with a 0x prefix or single underscores
// between digits). Such slugs are refused so that a slug can never be
// confused with a room id.
func LooksLikeUUID(s string) bool {
	h := strings.ReplaceAll(strings.ReplaceAll(s, "urn:", ""), "uuid:", "")
	h = strings.ReplaceAll(strings.Trim(h, "{}"), "-", "")
	return len(h) == 32 && isPythonHexInt(h)
}

// isPythonHexInt reports whether Python's int(s, 16) accepts the ASCII
// string s: optional surrounding spaces, an optional sign and 0x prefix, then
// hexadecimal digits with single underscores between them.
func isPythonHexInt(s string) bool {
	s = strings.TrimFunc(s, isPythonSpace)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = strings.TrimPrefix(s[2:], "_")
	}
	afterDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' && afterDigit:
			afterDigit = false
		case ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F'):
			afterDigit = true
		default:
			return false
		}
	}
	return afterDigit
}

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
		return "", apperr.Field("name", `Room name "`+name+`" is reserved.`)
	}
	return slug, nil
}

// SlugTakenMessage is the reference's message for a duplicate slug.
const SlugTakenMessage = "Room with this Slug already exists."
