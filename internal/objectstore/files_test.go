package objectstore

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"strconv"
	"testing"

	"github.com/minio/minio-go/v7"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/files"
	"meet/internal/storage/storagetest"
	"meet/internal/users"
)

// newFilesStore returns the file store of s3rver's bucket, with the
// recordings' default prefix, and a raw client to look at the bucket.
func newFilesStore(t *testing.T, endpoint, prefix string) (*Files, *minio.Client) {
	t.Helper()
	cfg := Config{Endpoint: endpoint, Bucket: testBucket, Region: "us-east-1", AccessKeyID: "S3RVER",
		SecretAccessKey: "S3RVER", Prefix: prefix, PathStyle: true, MaxRetries: 1}
	s, err := NewFiles(cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := newClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, raw
}

// objects lists the bucket's object names.
func objects(t *testing.T, c *minio.Client) []string {
	t.Helper()
	var names []string
	for o := range c.ListObjects(testCtx(t), testBucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		names = append(names, o.Key)
	}
	return names
}

func TestFilesObjectNames(t *testing.T) {
	for _, tc := range []struct{ prefix, want string }{
		{"recordings", "files/a.png"}, {"", "files/a.png"}, {"/meet/recordings/", "meet/files/a.png"},
	} {
		s, err := NewFiles(Config{Endpoint: "http://127.0.0.1:9", Bucket: "b", Prefix: tc.prefix})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Object("files/a.png"); err != nil || got != tc.want {
			t.Errorf("prefix %q: Object = %q, %v; want %q", tc.prefix, got, err, tc.want)
		}
		for _, bad := range []string{"recordings/a.png", "files/../a.png", "files/", "a.png"} {
			if _, err := s.Object(bad); err == nil {
				t.Errorf("Object(%q) accepted", bad)
			}
		}
	}
}

// TestFilesServiceOnS3 runs the files service's whole life over s3rver:
// the checked bytes land in files/, are served back, and are gone after a
// delete; refused bytes never reach the bucket.
func TestFilesServiceOnS3(t *testing.T) {
	endpoint, _ := startS3rver(t)
	blobs, raw := newFilesStore(t, endpoint, "recordings")
	db := storagetest.SQLite.Open(t)
	ctx := testCtx(t)
	u := &users.User{Sub: "s3-owner", Issuer: "https://idp.test", Email: "owner@example.com", FullName: "Owner", IsActive: true}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	svc := files.NewService(db, blobs, files.Options{Enabled: true, SigningKey: []byte("k"), Rules: files.Rules{
		MaxSize: 1 << 20, MaxCountByUser: 5, AllowedExtensions: []string{".png"}, AllowedMimetypes: []string{files.PNG}}})
	p := auth.Principal{UserID: u.ID}

	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 16, 9))); err != nil {
		t.Fatal(err)
	}
	f := upload(ctx, t, svc, p, "ok.png", img.Bytes(), nil)
	if _, err := svc.UploadEnded(ctx, p, f.ID); err != nil {
		t.Fatal(err)
	}
	if got := objects(t, raw); len(got) != 1 || got[0] != "files/"+f.ID+".png" {
		t.Fatalf("bucket holds %v", got)
	}
	info, err := raw.StatObject(ctx, testBucket, "files/"+f.ID+".png", minio.StatObjectOptions{})
	if err != nil || info.ContentType != "image/png" || info.Size != int64(img.Len()) {
		t.Fatalf("object: %+v, %v", info, err)
	}
	_, b, err := svc.Content(ctx, p, f.ID+".png")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(b)
	b.Close()
	if !bytes.Equal(got, img.Bytes()) {
		t.Fatalf("read back %d bytes, want %d", len(got), img.Len())
	}

	upload(ctx, t, svc, p, "text.png", []byte("just text"), apperr.Field("file", files.TypeMessage))
	if got := objects(t, raw); len(got) != 1 {
		t.Fatalf("after a refused upload the bucket holds %v", got)
	}

	if err := svc.Delete(ctx, p, f.ID); err != nil {
		t.Fatal(err)
	}
	if got := objects(t, raw); len(got) != 0 {
		t.Fatalf("after delete the bucket holds %v", got)
	}
	if _, err := blobs.Open(ctx, f.Key()); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("Open after delete = %v, want not found", err)
	}
	if _, err := db.FileByID(ctx, f.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("row after delete: %v", err)
	}
}

// upload creates a file and sends data through its grant; want is the
// expected error (nil: success).
func upload(ctx context.Context, t *testing.T, svc *files.Service, p auth.Principal, name string, data []byte, want error) *files.File {
	t.Helper()
	f, g, err := svc.Create(ctx, p, files.CreateInput{Type: files.BackgroundImage, Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Upload(ctx, f.ID, strconv.FormatInt(g.Expires, 10), g.Signature, bytes.NewReader(data))
	if (want == nil) != (err == nil) || (want != nil && err.Error() != want.Error()) {
		t.Fatalf("upload %s = %v, want %v", name, err, want)
	}
	return f
}
