package objectstore

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"

	"meet/internal/apperr"
	"meet/internal/files"
)

// Files keeps uploaded files' bytes (backgrounds) in the recordings' bucket.
// A key files/<id><ext> is the object files/<id><ext> beside the recordings'
// prefix: at the bucket's root with the default prefix "recordings", as the
// reference's FILE_UPLOAD_PATH beside RECORDING_OUTPUT_FOLDER, and
// meet/files/… with a prefix meet/recordings.
type Files struct {
	bucket
	base string // folder holding files/, "" for the bucket's root
}

var _ files.BlobStore = (*Files)(nil)

// NewFiles returns the file store of cfg's bucket. It makes no request.
func NewFiles(cfg Config) (*Files, error) {
	client, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	base := path.Dir(strings.Trim(cfg.Prefix, "/"))
	if base == "." {
		base = ""
	}
	b := bucket{client: client, name: cfg.Bucket, notFound: files.NotFoundMessage, unavailable: "The file storage is unavailable."}
	return &Files{bucket: b, base: base}, nil
}

// Object is the object name of key.
func (s *Files) Object(key string) (string, error) {
	name := path.Base(key)
	if key != files.Folder+"/"+name || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("objectstore: bad file key %q", key)
	}
	if s.base == "" {
		return key, nil
	}
	return s.base + "/" + key, nil
}

// Put uploads data in one PUT with its Content-MD5, which the server
// verifies; a failed PUT stores nothing.
func (s *Files) Put(ctx context.Context, key string, data []byte, contentType string) error {
	name, err := s.Object(key)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, s.name, name, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		SendContentMd5: true, DisableContentSha256: true, ContentType: contentType,
	})
	if err != nil {
		return s.fail("put", key, err)
	}
	return nil
}

// Open returns key's object for reading with ranged GETs, or
// apperr.NotFound.
func (s *Files) Open(ctx context.Context, key string) (files.Blob, error) {
	name, err := s.Object(key)
	if err != nil {
		return nil, apperr.Wrap(apperr.NotFound, s.notFound, err)
	}
	f, err := s.open(ctx, name, key)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Delete removes key's object; a missing one is no error.
func (s *Files) Delete(ctx context.Context, key string) error {
	name, err := s.Object(key)
	if err != nil {
		return err
	}
	return s.remove(ctx, name, key)
}
