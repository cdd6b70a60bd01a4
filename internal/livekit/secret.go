package livekit

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretFile is the file LoadOrCreateSecret keeps the embedded SFU's
// credentials in, as "key:secret".
const secretFile = "livekit-api-key"

// LoadOrCreateSecret returns the API key and secret of the embedded SFU kept
// in dir, creating them on first use: a random key and a 64-character
// (32 random bytes, hex) secret, written with mode 0600 so that only meet's
// user can read it. Keeping them across restarts keeps issued tokens valid.
func LoadOrCreateSecret(dir string) (key, secret string, err error) {
	path := filepath.Join(dir, secretFile)
	b, err := os.ReadFile(path)
	if err == nil {
		key, secret, ok := strings.Cut(strings.TrimSpace(string(b)), ":")
		if !ok || key == "" || len(secret) < MinSecretLength {
			return "", "", fmt.Errorf("livekit: %s is malformed; delete it to generate new credentials", path)
		}
		return key, secret, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("livekit: read credentials: %w", err)
	}
	key = "meet" + randomHex(6)
	secret = randomHex(32)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("livekit: create data dir: %w", err)
	}
	// Write a private temporary file, then link it into place: the link
	// fails if another process got there first, and nobody ever reads a
	// half-written file.
	tmp, err := os.CreateTemp(dir, secretFile+".tmp-*")
	if err != nil {
		return "", "", fmt.Errorf("livekit: write credentials: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(key + ":" + secret + "\n"); err != nil {
		tmp.Close()
		return "", "", fmt.Errorf("livekit: write credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", "", fmt.Errorf("livekit: write credentials: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadOrCreateSecret(dir)
	} else if err != nil {
		return "", "", fmt.Errorf("livekit: write credentials: %w", err)
	}
	return key, secret, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}
