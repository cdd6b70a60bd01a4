package httpapi_test

// Helpers of the files API tests: a server with uploads on, over a local
// file store in a temporary directory, and small images made in memory.

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"strconv"
	"testing"
	"time"

	"meet/internal/auth"
	"meet/internal/files"
	"meet/internal/httpapi"
	"meet/internal/storage"
	"meet/internal/storage/storagetest"
)

// fileRules are the reference's background rules, with a small size so
// that "too big" needs no megabytes.
var fileRules = files.Rules{MaxSize: 4096, MaxCountByUser: 3,
	AllowedExtensions: []string{".jpeg", ".jpg", ".png"}, AllowedMimetypes: []string{"image/jpeg", "image/png"}}

// fileKey signs the test servers' upload grants.
var fileKey = []byte("meet-test-file-upload-key")

// fileEnv is a server with the files API on.
type fileEnv struct {
	*apiEnv
	svc   *files.Service
	blobs *files.LocalBlobs
}

// withFiles turns the files API on over blobs, with rules and a grant
// clock now (time.Now when nil).
func withFiles(blobs *files.LocalBlobs, rules files.Rules, now func() time.Time, svc **files.Service) envOption {
	return withDeps(func(d *httpapi.Deps) { *svc = filesService(d, blobs, rules, now) })
}

// filesService builds the files service of a test server and sets it in d.
func filesService(d *httpapi.Deps, blobs *files.LocalBlobs, rules files.Rules, now func() time.Time) *files.Service {
	d.Files = files.NewService(d.Users.(*storage.DB), blobs, files.Options{Enabled: true, Rules: rules,
		SigningKey: fileKey, Now: now, Log: d.Log})
	return d.Files
}

// newFileEnv builds a server with uploads on, on engine e.
func newFileEnv(t testing.TB, e storagetest.Engine) *fileEnv {
	t.Helper()
	fe := &fileEnv{blobs: files.NewLocalBlobs(t.TempDir())}
	fe.apiEnv = newAPIEnv(t, e, withFiles(fe.blobs, fileRules, nil, &fe.svc))
	return fe
}

// pngImage encodes a w×h PNG.
func pngImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223 // noise, so that size grows with the area
		img.Pix[i] = byte(seed >> 24)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegImage encodes a w×h JPEG.
func jpegImage(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// policyPath turns a create reply's policy URL into the path and query the
// test client sends (relative to apiV1).
func policyPath(t testing.TB, policy string) string {
	t.Helper()
	u, err := url.Parse(policy)
	if err != nil || u.Scheme+"://"+u.Host != testPublic {
		t.Fatalf("policy %q is not a URL of %s", policy, testPublic)
	}
	return u.Path[len(apiV1):] + "?" + u.RawQuery
}

// storedFile creates a file of owner's through the service and, unless
// state is pending without bytes, uploads data and (for ready) ends the
// upload. It returns the file.
func storedFile(t testing.TB, svc *files.Service, ownerID, filename string, data []byte, state string) *files.File {
	t.Helper()
	ctx := context.Background()
	p := auth.Principal{UserID: ownerID}
	f, g, err := svc.Create(ctx, p, files.CreateInput{Type: files.BackgroundImage, Filename: filename})
	if err != nil {
		t.Fatalf("create file: %v", err)
	}
	if state == "created" {
		return f
	}
	if _, err := svc.Upload(ctx, f.ID, strconv.FormatInt(g.Expires, 10), g.Signature, bytes.NewReader(data)); err != nil {
		t.Fatalf("upload file: %v", err)
	}
	if state == "uploaded" {
		return f
	}
	if f, err = svc.UploadEnded(ctx, p, f.ID); err != nil {
		t.Fatalf("end upload: %v", err)
	}
	return f
}
