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

const usage = `meet — video conferencing on LiveKit

Usage:
  meet [serve] [flags]     run the server (default)
  meet migrate [flags]     apply database migrations and exit
  meet user <command>      manage local accounts (add, list, disable, enable, passwd)
  meet app <command>       manage external API applications (add, list, disable, enable, rotate-secret)
  meet recorder [flags]    run a recording worker as its own process
  meet recordings purge    delete recordings past MEET_RECORDING_EXPIRATION_DAYS
  meet version             print the version

Run "meet serve --help" to list every setting.
`

// run is meet's real main: it takes everything main would read from the
// process so that tests can run the whole program in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := dispatch(ctx, args, getenv, stdin, stdout, stderr); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

// dispatch runs the subcommand named by args[0] (serve when absent).
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		cfg, log, err := setup("meet serve", args, getenv, stderr)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		cfg, log, err := setup("meet migrate", args, getenv, stderr)
		if err != nil {
			return err
		}
		return migrate(ctx, cfg, log, stdout)
	case "user":
		return userCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "app":
		return appCommand(ctx, args, getenv, stdout, stderr)
	case "recorder":
		cfg, log, err := setup("meet recorder", args, getenv, stderr)
		if err != nil {
			return err
		}
		return recorderCommand(ctx, cfg, log, stdout)
	case "recordings":
		if len(args) == 0 || args[0] != "purge" {
			fmt.Fprint(stderr, "usage: meet recordings purge [flags]\n")
			return errUsage
		}
		cfg, log, err := setup("meet recordings purge", args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		return recordingsPurgeCommand(ctx, cfg, log, stdout)
	case "version":
		fmt.Fprintln(stdout, "meet", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "meet: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// setup loads the configuration and builds the logger.
func setup(name string, args []string, getenv func(string) string, stderr io.Writer) (*config.Config, *slog.Logger, error) {
	cfg, err := config.Load(name, args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil, errHelp
	}
	if err != nil {
		return nil, nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, newLogger(cfg, stderr), nil
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
	return storage.Open(ctx, dsn, log)
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
