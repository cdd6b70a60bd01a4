package rooms_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// TestSlugify compares Slugify with Django's slugify; every expected value
// was produced by Django's algorithm (NFKD, ASCII only, drop [^\w\s-], join
// runs of [-\s] with "-", strip "-_") run by Python.
func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"accents", "Réunion", "reunion"},
		{"accented capitals", "ÉTÉ 2024", "ete-2024"},
		{"accents and spaces", "Crème brûlée", "creme-brulee"},
		{"accent before a dash", "café-au-lait", "cafe-au-lait"},
		{"punctuation", "My Room!", "my-room"},
		{"punctuation between words", "Ça va? Oui!", "ca-va-oui"},
		{"apostrophe", "Œuvre d’art", "uvre-dart"},
		{"spaces", "  Hello   World  ", "hello-world"},
		{"tab, newline, return", "a\tb\nc\rd", "a-b-c-d"},
		{"vertical tab", "a\vb", "a-b"},
		{"information separators", "a\x1cb\x1fc", "a-b-c"},
		{"no-break space", "x\u00a0y", "x-y"},
		{"em space", "x\u2003y", "x-y"},
		{"spaced dash", "a - b", "a-b"},
		{"dash runs", "multi---dash", "multi-dash"},
		{"underscores kept", "a_b-c", "a_b-c"},
		{"double underscores kept", "snake_case__name", "snake_case__name"},
		{"underscores around a dash", "a__-__b", "a__-__b"},
		{"dash underscore dash", "x-_-y", "x-_-y"},
		{"edges stripped", "--__x__--", "x"},
		{"only underscores", "___", ""},
		{"empty", "", ""},
		{"non-Latin script", "日本語の会議", ""},
		{"emoji", "emoji 🎉 party 🚀", "emoji-party"},
		{"ligature and fraction", "ﬁle ½", "file-12"},
		{"roman numeral and circled digit", "Ⅻ ①", "xii-1"},
		{"fullwidth", "ｆｕｌｌｗｉｄｔｈ", "fullwidth"},
		{"digraph", "Ǆemal", "dzemal"},
		{"Greek", "Ωmega", "mega"},
		{"dotted capital I", "İstanbul", "istanbul"},
		{"German", "Ünïcödé Straße", "unicode-strae"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rooms.Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLooksLikeUUID compares LooksLikeUUID with Python's uuid.UUID parse,
// which the reference uses to reserve names; every expectation was checked
// with Python.
func TestLooksLikeUUID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"123e4567-e89b-12d3-a456-426614174000", true},
		{"123e4567e89b12d3a456426614174000", true},
		{"123E4567-E89B-12D3-A456-426614174000", true},
		{"{123e4567-e89b-12d3-a456-426614174000}", true},
		{"{{123e4567e89b12d3a456426614174000}}", true},
		{"urn:uuid:123e4567-e89b-12d3-a456-426614174000", true},
		{"uuid:123e4567e89b12d3a456426614174000", true},
		{"123e-4567-e89b-12d3-a456-4266-1417-4000", true},
		{"-123e4567e89b12d3a456426614174000-", true},
		{"0x3e4567e89b12d3a456426614174000", true},
		{"0X3e4567e89b12d3a456426614174000", true},
		{"0x_3e4567e89b12d3a45642661417400", true},
		{"123e4567_e89b12d3a45642661417400", true},
		{"+23e4567e89b12d3a456426614174000", true},
		{" 23e4567e89b12d3a456426614174000", true},
		{"123e4567e89b12d3a45642661417400", false},   // 31 digits
		{"123e4567e89b12d3a4564266141740000", false}, // 33 digits
		{"g23e4567e89b12d3a456426614174000", false},
		{"123e4567-e89b-12d3-a456-42661417400g", false},
		{"_23e4567e89b12d3a456426614174000", false},
		{"123e4567e89b12d3a456426614174__0", false},
		{"123e4567e89b12d3a45642661417400_", false},
		{"team-room", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := rooms.LooksLikeUUID(tt.in); got != tt.want {
				t.Errorf("LooksLikeUUID(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCanonicalUUID(t *testing.T) {
	const id = "123e4567-e89b-12d3-a456-426614174000"
	tests := []struct {
		in, want string
		ok       bool
	}{
		{id, id, true},
		{"123e4567e89b12d3a456426614174000", id, true},
		{"123E4567-E89B-12D3-A456-426614174000", id, true},
		{"123E4567E89B12D3A456426614174000", id, true},
		{"123e4567-e89b12d3-a456426614174000", id, true}, // some dashes, at their places
		{"{" + id + "}", "", false},
		{"urn:uuid:" + id, "", false},
		{"123e-4567-e89b-12d3-a456-4266-1417-4000", "", false},
		{id + "0", "", false},
		{"123e4567-e89b-12d3-a456-42661417400g", "", false},
		{"reunion", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := rooms.CanonicalUUID(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("CanonicalUUID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNameAndSlug(t *testing.T) {
	const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
	tests := []struct {
		name, in, slug string
		fields         map[string][]string
	}{
		{"plain", "Weekly Sync", "weekly-sync", nil},
		{"500 characters", strings.Repeat("é", 500), "", map[string][]string{"slug": {"Ensure this value has at most 100 characters (it has 500)."}}},
		{"100-character slug", strings.Repeat("a", 100), strings.Repeat("a", 100), nil},
		{"101-character slug", strings.Repeat("a", 101), "", map[string][]string{"slug": {"Ensure this value has at most 100 characters (it has 101)."}}},
		{"501 characters", strings.Repeat("x", 501), "", map[string][]string{"name": {"Ensure this field has no more than 500 characters."}}},
		{"empty", "", "", map[string][]string{"name": {"This field may not be blank."}}},
		{"blank", " \t\n ", "", map[string][]string{"name": {"This field may not be blank."}}},
		{"no slug", "!!! ???", "", map[string][]string{"slug": {"This field cannot be blank."}}},
		{"emoji only", "🎉🎉", "", map[string][]string{"slug": {"This field cannot be blank."}}},
		{"uuid", id, "", map[string][]string{"name": {`Room name "` + id + `" is reserved.`}}},
		{"uuid in capitals with punctuation", "«" + strings.ToUpper(id) + "»", "", map[string][]string{"name": {`Room name "«` + strings.ToUpper(id) + `»" is reserved.`}}},
		{"uuid with a tab", id + "\t", "", map[string][]string{"name": {`Room name "` + id + "\t" + `" is reserved.`}}},
		{"uuid and more words", id + " meeting", id + "-meeting", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slug, err := rooms.NameAndSlug(tt.in)
			var got map[string][]string
			if err != nil {
				var e *apperr.Error
				if !apperr.Is(err, apperr.Invalid) || !asError(err, &e) {
					t.Fatalf("error %v is not a validation error", err)
				}
				got = e.Fields
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Fatalf("fields (-want +got):\n%s", diff)
			}
			if slug != tt.slug {
				t.Fatalf("slug %q, want %q", slug, tt.slug)
			}
		})
	}
}
