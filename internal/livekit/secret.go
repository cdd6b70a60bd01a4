package livekit

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"meet/internal/secretfile"
)

// MinSecretLength is the shortest API secret LiveKit's server accepts
// (sfu.Start refuses shorter ones), and so the shortest LoadOrCreateSecret
// accepts from its file.
const MinSecretLength = 32

// secretFile is the file LoadOrCreateSecret keeps the embedded SFU's
// credentials in, as "key:secret".
const secretFile = "livekit-api-key"

// LoadOrCreateSecret returns the API key and secret of the embedded SFU kept
// in dir, creating them on first use: a random key and a 64-character
// (32 random bytes, hex) secret, written with mode 0600 so that only meet's
// user can read it. Keeping them across restarts keeps issued tokens valid.
func LoadOrCreateSecret(dir string) (key, secret string, err error) {
	creds, err := secretfile.LoadOrCreate(filepath.Join(dir, secretFile),
		func() string { return "meet" + randomHex(6) + ":" + randomHex(32) },
		func(s string) error {
			key, secret, ok := strings.Cut(s, ":")
			if !ok || key == "" || len(secret) < MinSecretLength {
				return errors.New("malformed credentials")
			}
			return nil
		})
	if err != nil {
		return "", "", fmt.Errorf("livekit: %w", err)
	}
	key, secret, _ = strings.Cut(creds, ":")
	return key, secret, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}
