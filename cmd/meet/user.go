package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"meet/internal/auth/local"
	"meet/internal/users"
)

const userUsage = `usage: meet user <command> [flags]

Manage local accounts (sign-in with e-mail and password).

commands:
  add --email E --name "Full Name"   create an account; the password is the first line of standard input
  passwd --email E                   set a new password, read from standard input; ends the account's sessions
  disable --email E                  stop an account from signing in; ends its sessions
  enable --email E                   let a disabled account sign in again
  logout --email E                   end every session of the account, on every device
  list                               list every user (local and OIDC)
`

// runUser runs one "meet user" command against store; password changes,
// disables and logouts end the account's sessions in sessions.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, store users.Store, sessions local.Sessions, log *slog.Logger) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return errors.New("meet user: missing command")
		}
		return nil
	}
	accounts := local.NewAccounts(store, local.DefaultArgon2id(), sessions, nil)
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("meet user "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "the account's e-mail address")
	name := fs.String("name", "", "the person's full name (add only)")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("meet user %s: unexpected arguments %q", cmd, fs.Args())
	}
	needEmail := func() error {
		if *email == "" {
			return fmt.Errorf("meet user %s: --email is required", cmd)
		}
		return nil
	}
	switch cmd {
	case "add":
		if err := needEmail(); err != nil {
			return err
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := accounts.Add(ctx, *email, *name, pw)
		if err != nil {
			return fmt.Errorf("meet user add: %w", err)
		}
		log.InfoContext(ctx, "local account created", "user_id", u.ID)
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Email, u.ID)
	case "passwd":
		if err := needEmail(); err != nil {
			return err
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, *email, pw); err != nil {
			return fmt.Errorf("meet user passwd: %w", err)
		}
		fmt.Fprintf(stdout, "password changed for %s; its sessions have ended\n", *email)
	case "disable", "enable":
		if err := needEmail(); err != nil {
			return err
		}
		u, err := accounts.SetActive(ctx, *email, cmd == "enable")
		if err != nil {
			return fmt.Errorf("meet user %s: %w", cmd, err)
		}
		log.InfoContext(ctx, "local account "+cmd+"d", "user_id", u.ID)
		fmt.Fprintf(stdout, "%sd %s\n", cmd, u.Email)
	case "logout":
		if err := needEmail(); err != nil {
			return err
		}
		u, err := accounts.Logout(ctx, *email)
		if err != nil {
			return fmt.Errorf("meet user logout: %w", err)
		}
		log.InfoContext(ctx, "local account signed out everywhere", "user_id", u.ID)
		fmt.Fprintf(stdout, "ended every session of %s\n", u.Email)
	case "list":
		list, err := store.ListUsers(ctx)
		if err != nil {
			return fmt.Errorf("meet user list: %w", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAME\tKIND\tACTIVE\tID")
		for _, u := range list {
			kind := "oidc"
			if u.Issuer == local.Issuer {
				kind = "local"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\n", u.Email, u.FullName, kind, u.IsActive, u.ID)
		}
		return tw.Flush()
	default:
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("meet user: unknown command %q", cmd)
	}
	return nil
}

// readPassword returns the first line of r, without its line ending. The
// password never appears in arguments, where other users of the machine
// could read it.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input (write it as the first line)")
	}
	return line, nil
}
