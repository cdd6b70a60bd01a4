package rooms

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"meet/internal/apperr"
)

// MaxDisplayNameLength is the longest display name a participant may ask for,
// in characters: the reference's serializers cap names at 255, and a name is
// copied into every LiveKit token, waiting list and participant list.
const MaxDisplayNameLength = 255

// DisplayName returns a requested display name without surrounding spaces,
// or an Invalid error on field when it is longer than MaxDisplayNameLength
// characters (counted after trimming, as the reference's CharField does).
// An empty name is returned as is: callers decide what blank means.
func DisplayName(field, name string) (string, error) {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxDisplayNameLength {
		return "", apperr.Field(field, fmt.Sprintf("Ensure this field has no more than %d characters.", MaxDisplayNameLength))
	}
	return name, nil
}
