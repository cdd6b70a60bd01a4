package rooms

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
)

// ColorFor returns the participant colour derived from an identity: an HSL
// colour whose hue, saturation and lightness come from a 16-bit seed of the
// identity's SHA-1, so the same participant always gets the same colour and
// the text on it stays readable.
func ColorFor(identity string) string {
	sum := sha1.Sum([]byte(identity))
	seed := int(binary.BigEndian.Uint16(sum[:2]))
	hue := seed % 360
	sat := 50 + seed%26
	light := 25 + seed%36
	return fmt.Sprintf("hsl(%d, %d%%, %d%%)", hue, sat, light)
}
