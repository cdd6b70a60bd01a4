package objectstore

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/minio/minio-go/v7"

	"meet/internal/apperr"
)

// bucket is what the recordings' and the uploaded files' stores do alike
// with their S3 bucket: open an object for reading, remove one, and tell a
// missing object from a store that does not answer, each in its own words.
type bucket struct {
	client *minio.Client
	name   string
	// notFound and unavailable are the public messages of a missing object
	// and of a failing store.
	notFound, unavailable string
}

// open opens object (key's) for reading with ranged GETs; a missing one is
// apperr.NotFound.
func (b *bucket) open(ctx context.Context, object, key string) (*file, error) {
	obj, err := b.client.GetObject(ctx, b.name, object, minio.GetObjectOptions{})
	if err != nil {
		return nil, b.fail("open", key, err)
	}
	info, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, b.fail("open", key, err)
	}
	return &file{Object: obj, info: fileInfo{name: path.Base(object), size: info.Size, mod: info.LastModified}}, nil
}

// remove deletes object (key's); a missing one is no error.
func (b *bucket) remove(ctx context.Context, object, key string) error {
	if err := b.client.RemoveObject(ctx, b.name, object, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return b.fail("delete", key, err)
	}
	return nil
}

// fail translates a minio-go error: a missing object or bucket is
// apperr.NotFound, anything else apperr.Unavailable (the store may be
// down; retrying later may work).
func (b *bucket) fail(op, key string, err error) error {
	wrapped := fmt.Errorf("objectstore: %s %s: %w", op, key, err)
	if isNotFound(err) {
		return apperr.Wrap(apperr.NotFound, b.notFound, wrapped)
	}
	return apperr.Wrap(apperr.Unavailable, b.unavailable, wrapped)
}

// isNotFound reports whether err says the object or the bucket is missing.
func isNotFound(err error) bool {
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, minio.NoSuchBucket, "NotFound":
		return true
	}
	return false
}

// file is an object opened for reading; minio-go's Object seeks with
// ranged GETs, so http.ServeContent answers range requests from it.
type file struct {
	*minio.Object
	info fileInfo
}

// Stat returns the object's name, size and modification time.
func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }

// fileInfo describes an object as fs.FileInfo.
type fileInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }
