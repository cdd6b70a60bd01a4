package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"meet/internal/apperr"
)

// LocalBlobs keeps files' bytes in a local directory: the key
// files/<name> is the file <dir>/files/<name>. cmd/meet roots it at the
// recording directory, so files sit where recordings do.
type LocalBlobs struct {
	dir string
}

var _ BlobStore = (*LocalBlobs)(nil)

// NewLocalBlobs returns a store rooted at dir. It does not touch the disk.
func NewLocalBlobs(dir string) *LocalBlobs { return &LocalBlobs{dir: dir} }

// Path is where key's bytes are (or would be) on disk.
func (l *LocalBlobs) Path(key string) (string, error) {
	name := path.Base(key)
	if key != Folder+"/"+name || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("files: local store: bad key %q", key)
	}
	return filepath.Join(l.dir, Folder, name), nil
}

// Put writes data to a temporary file beside key's place, syncs it, then
// renames it there, so a reader never sees half the bytes and a failure
// leaves nothing. Files are private to meet's user (0600, directory 0700).
func (l *LocalBlobs) Put(_ context.Context, key string, data []byte, _ string) error {
	dst, err := l.Path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("files: local store: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return fmt.Errorf("files: local store: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("files: local store: put %s: %w", key, err)
	}
	return nil
}

// Open opens key's bytes; apperr.NotFound when they are missing.
func (l *LocalBlobs) Open(_ context.Context, key string) (Blob, error) {
	p, err := l.Path(key)
	if err != nil {
		return nil, apperr.Wrap(apperr.NotFound, NotFoundMessage, err)
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.Wrap(apperr.NotFound, NotFoundMessage, err)
	}
	if err != nil {
		return nil, fmt.Errorf("files: local store: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes key's bytes; missing ones are no error.
func (l *LocalBlobs) Delete(_ context.Context, key string) error {
	p, err := l.Path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: local store: delete %s: %w", key, err)
	}
	return nil
}
