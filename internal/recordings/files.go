package recordings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"meet/internal/apperr"
)

// LocalStore keeps recording files in a local directory (MEET_RECORDING_DIR):
// the key recordings/<id>.<ext> is the file <dir>/<id>.<ext>, and a
// recorder's raw per-track files live beside it in <dir>/<id>/.
type LocalStore struct {
	dir string
}

var _ FileStore = (*LocalStore)(nil)

// NewLocalStore returns a store rooted at dir. It does not touch the disk.
func NewLocalStore(dir string) *LocalStore { return &LocalStore{dir: dir} }

// Dir is the store's root directory.
func (l *LocalStore) Dir() string { return l.dir }

// RawDir is where the recorder writes the per-track files of a recording.
func (l *LocalStore) RawDir(recordingID string) string { return filepath.Join(l.dir, recordingID) }

// path maps a key to its file; keys are recordings/<name> with a plain name.
func (l *LocalStore) path(key string) (string, error) {
	name := path.Base(key)
	if key != OutputFolder+"/"+name || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("recordings: local store: bad key %q", key)
	}
	return filepath.Join(l.dir, name), nil
}

// Put moves (or, across file systems, copies then removes) the file at src
// to key's place. The copy is synced before the source is removed.
func (l *LocalStore) Put(_ context.Context, key, src string) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	// Recordings are private to meet's user whatever the umask or the
	// directory's previous mode: 0700 directory, 0600 files.
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return fmt.Errorf("recordings: local store: %w", err)
	}
	if err := os.Chmod(l.dir, 0o700); err != nil {
		return fmt.Errorf("recordings: local store: %w", err)
	}
	if err := os.Rename(src, dst); err == nil {
		return os.Chmod(dst, 0o600)
	}
	if err := copyFile(src, dst); err != nil {
		return fmt.Errorf("recordings: local store: put %s: %w", key, err)
	}
	return os.Remove(src)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".part"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Open opens the file of key; apperr.NotFound when it is missing.
func (l *LocalStore) Open(_ context.Context, key string) (File, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, apperr.Wrap(apperr.NotFound, "The recording file is not available.", err)
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.Wrap(apperr.NotFound, "The recording file is not available.", err)
	}
	if err != nil {
		return nil, fmt.Errorf("recordings: local store: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes key's file and the recording's raw directory.
func (l *LocalStore) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	var errs []error
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	raw := strings.TrimSuffix(p, filepath.Ext(p))
	if err := os.RemoveAll(raw); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("recordings: local store: delete %s: %w", key, err)
	}
	return nil
}
