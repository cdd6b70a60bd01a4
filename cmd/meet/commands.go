package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// cli is what a command may read and write: the process's environment and
// standard streams, injected so that tests run commands in-process.
type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one "meet <name>" subcommand. Adding a command is one row in
// commands: its name, its arguments, one line for "meet --help", and the
// function that runs it.
type command struct {
	name    string
	args    string // what follows the name, for the command list
	summary string // one line for the command list
	run     func(ctx context.Context, c cli, args []string) error
}

// commands lists meet's commands in the order "meet --help" prints them.
// Each command answers -h/--help (exit status 0) before it opens anything.
func commands() []command {
	return []command{
		{"serve", "[flags]", "run the server (the default command); `meet help serve` lists every setting", serveCmd},
		{"migrate", "[flags]", "apply database migrations and exit", migrateCmd},
		{"user", "<command>", "manage local accounts: add, list, disable, enable, passwd, logout", userCmd},
		{"app", "<command>", "manage external API applications: add, list, disable, enable, rotate-secret", appCommand},
		{"recorder", "[flags]", "run a recording worker as its own process", recorderCmd},
		{"recordings", "purge [flags]", "delete recordings older than MEET_RECORDING_EXPIRATION_DAYS", recordingsCmd},
		{"backup", "--to FILE", "write a snapshot of the data directory while the server runs", backupCommand},
		{"restore", "FILE", "restore a backup into an empty data directory", restoreCommand},
		{"rooms", "<command>", "calls running now: live, end SLUG, kick SLUG IDENTITY", roomsCommand},
		{"version", "", "print the version", versionCmd},
		{"help", "[command]", "list the commands, or show one command's help", helpCmd},
	}
}

// writeUsage prints the command list, one line per command.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "meet — video conferencing on LiveKit\n\nUsage: meet <command> [arguments]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\nRun `meet help <command>` (or `meet <command> --help`) for a command's flags and settings.\n")
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	i := slices.IndexFunc(commands(), func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands()[i], true
}

// wantsHelp reports whether args ask for help (-h, -help or --help anywhere
// before a "--"), so that commands answer it before touching any data.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		switch strings.SplitN(a, "=", 2)[0] {
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

func serveCmd(ctx context.Context, c cli, args []string) error {
	cfg, log, err := setup("meet serve", args, c)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, log, c.stdout)
}

func migrateCmd(ctx context.Context, c cli, args []string) error {
	cfg, log, err := setup("meet migrate", args, c)
	if err != nil {
		return err
	}
	return migrate(ctx, cfg, log, c.stdout)
}

func userCmd(ctx context.Context, c cli, args []string) error {
	return userCommand(ctx, args, c.getenv, c.stdin, c.stdout, c.stderr)
}

func recorderCmd(ctx context.Context, c cli, args []string) error {
	cfg, log, err := setup("meet recorder", args, c)
	if err != nil {
		return err
	}
	return recorderCommand(ctx, cfg, log, c.stdout)
}

func recordingsCmd(ctx context.Context, c cli, args []string) error {
	const usage = "usage: meet recordings purge [flags]\n\n" +
		"Deletes recordings older than MEET_RECORDING_EXPIRATION_DAYS; `meet help serve` lists the settings.\n"
	if len(args) == 0 || args[0] != "purge" {
		if wantsHelp(args) {
			fmt.Fprint(c.stdout, usage)
			return errHelp
		}
		fmt.Fprint(c.stderr, usage)
		return errUsage
	}
	cfg, log, err := setup("meet recordings purge", args[1:], c)
	if err != nil {
		return err
	}
	return recordingsPurgeCommand(ctx, cfg, log, c.stdout)
}

func versionCmd(_ context.Context, c cli, args []string) error {
	if wantsHelp(args) {
		fmt.Fprintln(c.stdout, "usage: meet version")
		return errHelp
	}
	fmt.Fprintln(c.stdout, "meet", buildVersion())
	return nil
}

func helpCmd(ctx context.Context, c cli, args []string) error {
	if len(args) == 0 || wantsHelp(args) {
		writeUsage(c.stdout)
		return nil
	}
	cmd, ok := findCommand(args[0])
	if !ok || cmd.name == "help" {
		fmt.Fprintf(c.stderr, "meet help: unknown command %q\n\n", args[0])
		writeUsage(c.stderr)
		return errUsage
	}
	// A command's help is its answer to --help (after any sub-command
	// named, as in `meet help recordings purge`).
	return cmd.run(ctx, c, append(args[1:], "--help"))
}
