package files

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
)

// The image types meet recognises by content. Only these can be allowed:
// a type meet cannot sniff could not be checked.
const (
	PNG  = "image/png"
	JPEG = "image/jpeg"
	WebP = "image/webp"
)

// Sniffable lists the mimetypes Sniff recognises.
var Sniffable = []string{JPEG, PNG, WebP}

// extensions are the file name extensions each recognised type may carry.
var extensions = map[string][]string{
	PNG:  {".png"},
	JPEG: {".jpg", ".jpeg"},
	WebP: {".webp"},
}

// MimetypeOfExt is the type a file name's extension announces
// (application/octet-stream for any other).
func MimetypeOfExt(ext string) string {
	for mt, exts := range extensions {
		for _, e := range exts {
			if e == ext {
				return mt
			}
		}
	}
	return "application/octet-stream"
}

// extMatches reports whether ext is an extension of mimetype.
func extMatches(mimetype, ext string) bool {
	for _, e := range extensions[mimetype] {
		if e == ext {
			return true
		}
	}
	return false
}

// Errors of Sniff.
var (
	errUnknownType = errors.New("not a PNG, JPEG or WebP image")
	errBadImage    = errors.New("the image header does not decode")
)

// Sniff finds the type of an image from its bytes: the magic bytes name
// the type, then the header must decode to positive dimensions, so that a
// text file renamed .png or a truncated header is refused.
func Sniff(data []byte) (string, error) {
	var (
		mt  string
		cfg image.Config
		err error
	)
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		mt = PNG
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		mt = JPEG
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		mt = WebP
		cfg, err = webpConfig(data)
	default:
		return "", errUnknownType
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return mt, errBadImage
	}
	return mt, nil
}

// webpConfig reads the dimensions of a WebP image from its first chunk
// (lossy VP8, lossless VP8L or extended VP8X), as the WebP container
// specification lays them out; the standard library has no WebP decoder.
func webpConfig(data []byte) (image.Config, error) {
	if len(data) < 30 || binary.LittleEndian.Uint32(data[4:8]) < 22 {
		return image.Config{}, errBadImage
	}
	chunk := data[12:16]
	body := data[20:]
	switch string(chunk) {
	case "VP8 ":
		// Frame tag (3 bytes), start code 9d 01 2a, then 14-bit sizes.
		if !bytes.Equal(body[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return image.Config{}, errBadImage
		}
		w := int(binary.LittleEndian.Uint16(body[6:8]) & 0x3fff)
		h := int(binary.LittleEndian.Uint16(body[8:10]) & 0x3fff)
		return image.Config{Width: w, Height: h}, nil
	case "VP8L":
		if body[0] != 0x2f {
			return image.Config{}, errBadImage
		}
		bits := binary.LittleEndian.Uint32(body[1:5])
		return image.Config{Width: int(bits&0x3fff) + 1, Height: int(bits>>14&0x3fff) + 1}, nil
	case "VP8X":
		w := int(uint32(body[4]) | uint32(body[5])<<8 | uint32(body[6])<<16)
		h := int(uint32(body[7]) | uint32(body[8])<<8 | uint32(body[9])<<16)
		return image.Config{Width: w + 1, Height: h + 1}, nil
	}
	return image.Config{}, errBadImage
}
