package files

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

// riff wraps one WebP chunk in its RIFF container.
func riff(chunk string, body []byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBP" + chunk + "\x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(b[16:20], uint32(len(body)))
	b = append(b, body...)
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-8))
	return b
}

func TestSniff(t *testing.T) {
	var p, j bytes.Buffer
	if err := png.Encode(&p, image.NewGray(image.Rect(0, 0, 7, 5))); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, image.NewGray(image.Rect(0, 0, 7, 5)), nil); err != nil {
		t.Fatal(err)
	}
	lossless := []byte{0x2f, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(lossless[1:5], uint32(7-1)|uint32(5-1)<<14)
	lossy := []byte{0, 0, 0, 0x9d, 0x01, 0x2a, 7, 0, 5, 0}
	extended := []byte{0, 0, 0, 0, 7 - 1, 0, 0, 5 - 1, 0, 0}
	for _, tc := range []struct {
		name string
		data []byte
		mt   string
		err  error
	}{
		{"png", p.Bytes(), PNG, nil},
		{"jpeg", j.Bytes(), JPEG, nil},
		{"webp lossless", riff("VP8L", lossless), WebP, nil},
		{"webp lossy", riff("VP8 ", lossy), WebP, nil},
		{"webp extended", riff("VP8X", extended), WebP, nil},
		{"text", []byte("just some text"), "", errUnknownType},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", errUnknownType},
		{"truncated png", p.Bytes()[:12], PNG, errBadImage},
		{"png magic and junk", append([]byte("\x89PNG\r\n\x1a\n"), "junk"...), PNG, errBadImage},
		{"jpeg magic and junk", []byte{0xff, 0xd8, 0xff, 0x00, 0x01}, JPEG, errBadImage},
		{"webp without start code", riff("VP8 ", make([]byte, 10)), WebP, errBadImage},
		{"webp unknown chunk", riff("ABCD", make([]byte, 10)), WebP, errBadImage},
		{"webp zero size", riff("VP8 ", []byte{0, 0, 0, 0x9d, 0x01, 0x2a, 0, 0, 5, 0}), WebP, errBadImage},
		{"webp short", []byte("RIFF\x04\x00\x00\x00WEBP"), WebP, errBadImage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt, err := Sniff(tc.data)
			if mt != tc.mt || err != tc.err {
				t.Errorf("Sniff = %q, %v; want %q, %v", mt, err, tc.mt, tc.err)
			}
		})
	}
}

func TestExtAndKey(t *testing.T) {
	for name, want := range map[string]string{
		"beach.PNG": ".png", "a.b.jpg": ".jpg", "noext": "", ".png": "", "dir.d/x": "", "x.": "",
	} {
		if got := Ext(name); got != want {
			t.Errorf("Ext(%q) = %q, want %q", name, got, want)
		}
	}
	f := &File{ID: "0b7e4c52-3c5e-4d0f-9a43-2f1e8a9c0d11", Filename: "Beach.JPEG"}
	if got := f.Key(); got != "files/0b7e4c52-3c5e-4d0f-9a43-2f1e8a9c0d11.jpeg" {
		t.Errorf("Key = %q", got)
	}
	for ext, mt := range map[string]string{".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".webp": WebP, ".txt": "application/octet-stream"} {
		if got := MimetypeOfExt(ext); got != mt {
			t.Errorf("MimetypeOfExt(%q) = %q, want %q", ext, got, mt)
		}
	}
}
