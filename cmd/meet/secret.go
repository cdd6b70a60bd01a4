package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"path/filepath"

	"meet/internal/secretfile"
)

// loadOrCreateSecretKey returns MEET_SECRET_KEY, or the key kept in the data
// directory, generating it on first start so that one command runs meet.
// Processes started together on a fresh data directory (serve and recorder)
// get the same key.
func loadOrCreateSecretKey(configured, dataDir string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	return secretfile.LoadOrCreate(filepath.Join(dataDir, "secret-key"),
		func() string {
			raw := make([]byte, 32)
			_, _ = rand.Read(raw) // crypto/rand.Read never fails (Go ≥ 1.24)
			return hex.EncodeToString(raw)
		},
		func(key string) error {
			if len(key) < 32 {
				return errors.New("shorter than 32 characters")
			}
			return nil
		})
}
