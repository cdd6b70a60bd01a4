package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/config"
)

// redisSessionPrefix starts the Redis keys of sessions; serve and the user
// command must agree on it.
const redisSessionPrefix = "meet:session:"

// userCommand runs "meet user …" against the configured database, and the
// configured Redis for sessions. Settings come from the environment
// (MEET_DATA_DIR, MEET_DATABASE_URL, MEET_REDIS_URL).
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	req, err := parseUser(args, stdout, stderr)
	if err != nil {
		return err
	}
	cfg, log, err := setup("meet user", nil, cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
	if err != nil {
		return err
	}
	describeDatabase(stderr, cfg)
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	// Sessions live in Redis when it is configured, in the database
	// otherwise; both are cleared, so sessions left in the database from
	// before Redis was configured cannot come back if it is removed.
	sessions := sessionStores{db}
	if cfg.RedisURL != "" {
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("MEET_REDIS_URL: %w", err)
		}
		rdb := redis.NewClient(opts)
		defer rdb.Close()
		// Fail before changing anything rather than change a password and
		// leave its sessions alive.
		if err := rdb.Ping(ctx).Err(); err != nil {
			return fmt.Errorf("redis: %w", err)
		}
		sessions = append(sessions, cache.NewSessionsRedis(rdb, redisSessionPrefix, nil))
	}
	return req.run(ctx, stdin, stdout, stderr, db, sessions, log)
}

// sessionStores ends a user's sessions in every store it lists.
type sessionStores []local.Sessions

// DeleteByUser ends userID's sessions in each store, trying them all.
func (s sessionStores) DeleteByUser(ctx context.Context, userID string) error {
	var errs []error
	for _, st := range s {
		errs = append(errs, st.DeleteByUser(ctx, userID))
	}
	return errors.Join(errs...)
}

// describeDatabase says which database a command uses, on stderr so that
// its output stays clean: a command run from another directory than the
// server would otherwise work on another ./data without a word.
func describeDatabase(w io.Writer, cfg *config.Config) {
	if cfg.DatabaseURL != "" {
		fmt.Fprintln(w, "database: PostgreSQL (MEET_DATABASE_URL)")
		return
	}
	dir := absPath(cfg.DataDir)
	fmt.Fprintf(w, "data directory: %s (MEET_DATA_DIR)\n", dir)
	if _, err := os.Stat(filepath.Join(dir, "meet.db")); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(w, "no database there yet: creating one. If meet serve runs elsewhere, set MEET_DATA_DIR to its data directory.")
	}
}
