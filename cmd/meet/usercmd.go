package main

import (
	"context"
	"fmt"
	"io"
)

// userCommand runs "meet user …" against the configured database. Settings
// come from the environment (MEET_DATA_DIR, MEET_DATABASE_URL).
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, log, err := setup("meet user", nil, getenv, stderr)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return runUser(ctx, args, stdin, stdout, stderr, db, log)
}
