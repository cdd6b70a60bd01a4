package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"meet/internal/config"
	"meet/internal/storage"
)

// errUsage reports a command-line mistake already explained on stderr.
var errUsage = errors.New("usage")

// errHelp reports that --help was asked for and answered: not a failure.
var errHelp = errors.New("help")

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// run is meet's real main: it takes everything main would read from the
// process so that tests can run the whole program in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if err := dispatch(ctx, args, c); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

// dispatch runs the command named by args[0]: serve when absent or when
// args start with a flag.
func dispatch(ctx context.Context, args []string, c cli) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && wantsHelp(args[:1]) {
		writeUsage(c.stdout) // `meet --help` lists the commands; `meet serve --help` the settings
		return nil
	}
	cmd, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(c.stderr, "meet: unknown command %q\n\n", name)
		writeUsage(c.stderr)
		return errUsage
	}
	return cmd.run(ctx, c, args)
}

// setup loads the configuration and builds the logger. A help flag prints
// every setting on stdout and returns errHelp before anything is opened.
func setup(name string, args []string, c cli) (*config.Config, *slog.Logger, error) {
	if wantsHelp(args) {
		config.WriteHelp(c.stdout, name)
		return nil, nil, errHelp
	}
	cfg, err := config.Load(name, args, c.getenv, c.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil, errHelp
	}
	if err != nil {
		return nil, nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, newLogger(cfg, c.stderr), nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDatabase opens PostgreSQL when configured, else SQLite in the data directory.
func openDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger) (*storage.DB, error) {
	dsn := cfg.DatabaseURL
	if dsn == "" {
		// The directory holds the database and secrets: only meet's user
		// may list or enter it, even when it existed with a wider mode.
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		dsn = filepath.Join(cfg.DataDir, "meet.db")
	}
	db, err := storage.Open(ctx, dsn, log)
	var missing *storage.MissingDatabaseError
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("database %s does not exist — create it (createdb %s) or fix MEET_DATABASE_URL: %w", missing.Name, missing.Name, err)
	}
	return db, err
}

// migrate applies the migrations and reports the schema version.
func migrate(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database schema at version %d (%s)\n", v, db.Engine())
	return nil
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
