package config

import (
	"slices"
	"strings"
)

// Files configures uploaded files, today custom virtual backgrounds (the
// reference's FILE_UPLOAD_ENABLED and FILE_UPLOAD_RESTRICTIONS). Their bytes
// are kept where recordings are: the recording directory, or the S3 bucket
// when MEET_S3_ENDPOINT is set.
type Files struct {
	// UploadEnabled serves files/ and shows upload_is_enabled in config/.
	UploadEnabled bool
	// PerMinute bounds file creations per user and uploads per client
	// address, a minute (0: no limit).
	PerMinute       int
	BackgroundImage BackgroundImage
}

// BackgroundImage are the upload rules of background images.
type BackgroundImage struct {
	MaxSize           int // bytes
	MaxCountByUser    int
	AllowedExtensions []string // with their dot
	AllowedMimetypes  []string
}

// sniffable are the mimetypes meet recognises by content; an upload is
// checked against its bytes, so no other type can be allowed.
var sniffable = []string{"image/jpeg", "image/png", "image/webp"}

// filesSettings are the settings of uploaded files.
var filesSettings = []setting{
	{env: "MEET_FILE_UPLOAD_ENABLED", def: "false", help: "let signed-in users upload their own virtual backgrounds (files/); stored beside recordings (MEET_RECORDING_DIR/files or the S3 bucket's files/)", apply: boolean(func(c *Config) *bool { return &c.Files.UploadEnabled })},
	{env: "MEET_FILE_UPLOAD_PER_MINUTE", def: "30", help: "background uploads allowed per minute per user and per client address (0 = no limit)", apply: integer(func(c *Config) *int { return &c.Files.PerMinute })},
	{env: "MEET_BACKGROUND_IMAGE_MAX_SIZE", def: "2097152", help: "largest background image, in bytes", apply: integer(func(c *Config) *int { return &c.Files.BackgroundImage.MaxSize })},
	{env: "MEET_BACKGROUND_IMAGE_MAX_COUNT_BY_USER", def: "10", help: "background images one user may keep", apply: integer(func(c *Config) *int { return &c.Files.BackgroundImage.MaxCountByUser })},
	{env: "MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS", def: ".jpeg,.jpg,.png", help: "file name extensions of background images (comma-separated, with the dot)", apply: list(func(c *Config) *[]string { return &c.Files.BackgroundImage.AllowedExtensions })},
	{env: "MEET_BACKGROUND_IMAGE_ALLOWED_MIMETYPES", def: "image/jpeg,image/png", help: "types of background images, checked on their bytes: image/jpeg, image/png and/or image/webp", apply: list(func(c *Config) *[]string { return &c.Files.BackgroundImage.AllowedMimetypes })},
}

// validateFiles checks the upload rules.
func (c *Config) validateFiles(bad func(env, format string, a ...any)) {
	f := c.Files
	if f.PerMinute < 0 {
		bad("MEET_FILE_UPLOAD_PER_MINUTE", "must not be negative")
	}
	b := f.BackgroundImage
	if b.MaxSize < 1 {
		bad("MEET_BACKGROUND_IMAGE_MAX_SIZE", "must be at least 1 byte")
	}
	if b.MaxCountByUser < 1 {
		bad("MEET_BACKGROUND_IMAGE_MAX_COUNT_BY_USER", "must be at least 1")
	}
	if len(b.AllowedExtensions) == 0 {
		bad("MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS", "must name at least one extension")
	}
	for _, e := range b.AllowedExtensions {
		if len(e) < 2 || !strings.HasPrefix(e, ".") || strings.ContainsAny(e[1:], "./\\") || strings.ToLower(e) != e {
			bad("MEET_BACKGROUND_IMAGE_ALLOWED_EXTENSIONS", "%q must be a lower-case extension with its dot, such as .png", e)
		}
	}
	if len(b.AllowedMimetypes) == 0 {
		bad("MEET_BACKGROUND_IMAGE_ALLOWED_MIMETYPES", "must name at least one type")
	}
	for _, m := range b.AllowedMimetypes {
		if !slices.Contains(sniffable, m) {
			bad("MEET_BACKGROUND_IMAGE_ALLOWED_MIMETYPES", "%q cannot be checked on the bytes: use image/jpeg, image/png or image/webp", m)
		}
	}
}
