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

// userRequest is one parsed "meet user" command line.
type userRequest struct {
	cmd         string
	email, name string
}

// parseUser reads a "meet user" command line without opening anything: a
// help request prints the usage on stdout and returns errHelp.
func parseUser(args []string, stdout, stderr io.Writer) (userRequest, error) {
	if len(args) == 0 {
		fmt.Fprint(stderr, userUsage)
		return userRequest{}, errors.New("meet user: missing command")
	}
	if args[0] == "help" || wantsHelp(args) {
		fmt.Fprint(stdout, userUsage)
		return userRequest{}, errHelp
	}
	req := userRequest{cmd: args[0]}
	switch req.cmd {
	case "add", "passwd", "disable", "enable", "logout", "list":
	default:
		fmt.Fprint(stderr, userUsage)
		return req, fmt.Errorf("meet user: unknown command %q", req.cmd)
	}
	fs := flag.NewFlagSet("meet user "+req.cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&req.email, "email", "", "the account's e-mail address")
	fs.StringVar(&req.name, "name", "", "the person's full name (add only)")
	if err := fs.Parse(args[1:]); err != nil {
		return req, err
	}
	if fs.NArg() > 0 {
		return req, fmt.Errorf("meet user %s: unexpected arguments %q", req.cmd, fs.Args())
	}
	if req.email == "" && req.cmd != "list" {
		return req, fmt.Errorf("meet user %s: --email is required", req.cmd)
	}
	return req, nil
}

// runUser runs one "meet user" command against store; password changes,
// disables and logouts end the account's sessions in sessions.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, store users.Store, sessions local.Sessions, log *slog.Logger) error {
	req, err := parseUser(args, stdout, stderr)
	if err != nil {
		return err
	}
	return req.run(ctx, stdin, stdout, stderr, store, sessions, log)
}

// run carries out the parsed command.
func (req userRequest) run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, store users.Store, sessions local.Sessions, log *slog.Logger) error {
	accounts := local.NewAccounts(store, local.DefaultArgon2id(), sessions, nil)
	cmd, email, name := req.cmd, &req.email, &req.name
	switch cmd {
	case "add":
		pw, err := readPassword(stdin, stderr)
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
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, *email, pw); err != nil {
			return fmt.Errorf("meet user passwd: %w", err)
		}
		fmt.Fprintf(stdout, "password changed for %s; its sessions have ended\n", *email)
	case "disable", "enable":
		u, err := accounts.SetActive(ctx, *email, cmd == "enable")
		if err != nil {
			return fmt.Errorf("meet user %s: %w", cmd, err)
		}
		log.InfoContext(ctx, "local account "+cmd+"d", "user_id", u.ID)
		fmt.Fprintf(stdout, "%sd %s\n", cmd, u.Email)
	case "logout":
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
	}
	return nil
}

// readPassword asks for the password twice, without echo, when stdin is a
// terminal; otherwise it reads the first line of stdin. The password never
// appears in arguments, where other users of the machine could read it.
func readPassword(stdin io.Reader, prompts io.Writer) (string, error) {
	if t, ok := terminalOf(stdin); ok {
		return promptPassword(t, prompts)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input (write it as the first line)")
	}
	return line, nil
}

// passwordTerminal reads one line without echoing it.
type passwordTerminal interface {
	ReadPassword() (string, error)
}

// promptPassword asks for the password and its confirmation on t.
func promptPassword(t passwordTerminal, prompts io.Writer) (string, error) {
	fmt.Fprint(prompts, "Password: ")
	pw, err := t.ReadPassword()
	fmt.Fprintln(prompts)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if pw == "" {
		return "", errors.New("no password entered")
	}
	fmt.Fprint(prompts, "Repeat the password: ")
	again, err := t.ReadPassword()
	fmt.Fprintln(prompts)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if again != pw {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return pw, nil
}
