package config

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFilesSettings(t *testing.T) {
	c, err := Load("meet", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Files{UploadEnabled: false, PerMinute: 30, BackgroundImage: BackgroundImage{
		MaxSize: 2 << 20, MaxCountByUser: 10,
		AllowedExtensions: []string{".jpeg", ".jpg", ".png"}, AllowedMimetypes: []string{"image/jpeg", "image/png"},
	}}
	if diff := cmp.Diff(want, c.Files); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}

	env := map[string]string{
		"MEET_FILE_UPLOAD_PER_MINUTE":              "-1",
		"MEET_BACKGROUND_IMAGE_MAX_SIZE":           "0",
		"MEET_BACKGROUND_IMAGE_MAX_COUNT_BY_USER":  "0",
		"MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS": "png,.JPG",
		"MEET_BACKGROUND_IMAGE_ALLOWED_MIMETYPES":  "image/png,image/gif",
	}
	_, err = Load("meet", nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil {
		t.Fatal("bad upload rules accepted")
	}
	for k := range env {
		if !strings.Contains(err.Error(), k+":") {
			t.Errorf("no problem reported for %s in:\n%v", k, err)
		}
	}
	for _, reason := range []string{`"png" must be`, `".JPG" must be`, `"image/gif" cannot be checked`} {
		if !strings.Contains(err.Error(), reason) {
			t.Errorf("no %s in:\n%v", reason, err)
		}
	}

	c, err = Load("meet", []string{"--file-upload-enabled=true", "--background-image-allowed-mimetypes=image/webp"},
		func(k string) string {
			return map[string]string{"MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS": ".webp"}[k]
		}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Files.UploadEnabled || !cmp.Equal(c.Files.BackgroundImage.AllowedMimetypes, []string{"image/webp"}) {
		t.Errorf("flags not applied: %+v", c.Files)
	}
}
