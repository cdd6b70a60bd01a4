package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// LoadOrCreate returns the secret kept in the file at path (its content,
// trimmed of surrounding white space). When the file does not exist it
// stores generate's value there and returns it; when another process or
// goroutine creates the file first, its secret wins and is returned instead.
// check validates a loaded secret; its error is returned with the file's
// path, since only deleting the file makes meet generate a new one.
//
// The secret is written to a private temporary file (mode 0600 whatever the
// umask), synced, then hard-linked into place: the link fails when the file
// already exists, so the first writer wins and nobody ever reads a
// half-written file. The directory is created 0700 when missing.
func LoadOrCreate(path string, generate func() string, check func(string) error) (string, error) {
	for range 2 {
		secret, err := load(path, check)
		if !errors.Is(err, fs.ErrNotExist) {
			return secret, err
		}
		created, err := create(path, generate())
		if err == nil {
			return created, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		// Another writer linked its file first: load theirs.
	}
	return "", fmt.Errorf("secret %s: created and removed concurrently", path)
}

func load(path string, check func(string) error) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", fmt.Errorf("secret: %w", err)
	}
	secret := strings.TrimSpace(string(b))
	if err := check(secret); err != nil {
		return "", fmt.Errorf("secret %s: %w; delete the file to generate a new one", path, err)
	}
	return secret, nil
}

func create(path, secret string) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("secret: create directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", fmt.Errorf("secret: %w", err)
	}
	if _, err := tmp.WriteString(secret + "\n"); err != nil {
		tmp.Close()
		return "", fmt.Errorf("secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", err
		}
		return "", fmt.Errorf("secret: %w", err)
	}
	return secret, nil
}
