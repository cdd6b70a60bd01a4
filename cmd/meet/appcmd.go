package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"meet/internal/applications"
)

const appUsage = `usage: meet app <command> [flags]

Manage the applications that use the external API (/external-api/v1.0/)
on behalf of users. A client secret is shown once, when it is made: it is
stored hashed and cannot be shown again.

commands:
  add --name N --scopes S[,S…] [--domains D[,D…]]   register an application; prints its client id and secret
                                                    scopes: rooms:list, rooms:create, rooms:retrieve
                                                    domains: e-mail domains it may act for (none: any)
  list                                              list every application
  disable --client-id ID                            refuse its credentials and its tokens at once
  enable --client-id ID                             accept them again
  rotate-secret --client-id ID                      give it a new secret (printed) and retire the old one
`

// appCommand runs "meet app …" against the configured database.
func appCommand(ctx context.Context, c cli, args []string) error {
	stdout, stderr := c.stdout, c.stderr
	if wantsHelp(args) || (len(args) > 0 && args[0] == "help") {
		fmt.Fprint(stdout, appUsage)
		return nil
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, appUsage)
		return errUsage
	}
	cfg, log, err := setup("meet app", nil, c)
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
	return runApp(ctx, args, stdout, stderr, applications.NewService(applications.Deps{Store: db}, applications.Options{}), log)
}

// runApp runs one "meet app" command with svc.
func runApp(ctx context.Context, args []string, stdout, stderr io.Writer, svc *applications.Service, log *slog.Logger) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, appUsage)
		if len(args) == 0 {
			return errors.New("meet app: missing command")
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("meet app "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the application's name (add)")
	scopes := fs.String("scopes", "", "comma-separated scopes (add)")
	domains := fs.String("domains", "", "comma-separated e-mail domains the application may act for (add; empty: any)")
	clientID := fs.String("client-id", "", "the application's client id")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("meet app %s: unexpected arguments %q", cmd, fs.Args())
	}
	needClientID := func() error {
		if *clientID == "" {
			return fmt.Errorf("meet app %s: --client-id is required", cmd)
		}
		return nil
	}
	switch cmd {
	case "add":
		a, secret, err := svc.Add(ctx, *name, splitList(*scopes), splitList(*domains))
		if err != nil {
			return fmt.Errorf("meet app add: %w", err)
		}
		log.InfoContext(ctx, "application registered", "client_id", a.ClientID)
		fmt.Fprintf(stdout, "registered %q\nclient_id:     %s\nclient_secret: %s\n", a.Name, a.ClientID, secret)
		fmt.Fprintln(stdout, "The secret is shown only now; store it where the application reads it.")
	case "list":
		list, err := svc.List(ctx)
		if err != nil {
			return fmt.Errorf("meet app list: %w", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCLIENT ID\tSCOPES\tDOMAINS\tACTIVE\tCREATED")
		for _, a := range list {
			doms := strings.Join(a.Domains, ",")
			if doms == "" {
				doms = "(any)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%t\t%s\n", a.Name, a.ClientID, strings.ReplaceAll(a.ScopeString(), " ", ","),
				doms, a.IsActive, a.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	case "disable", "enable":
		if err := needClientID(); err != nil {
			return err
		}
		a, err := svc.SetActive(ctx, *clientID, cmd == "enable")
		if err != nil {
			return fmt.Errorf("meet app %s: %w", cmd, err)
		}
		log.InfoContext(ctx, "application "+cmd+"d", "client_id", a.ClientID)
		fmt.Fprintf(stdout, "%sd %q (%s)\n", cmd, a.Name, a.ClientID)
	case "rotate-secret":
		if err := needClientID(); err != nil {
			return err
		}
		a, secret, err := svc.RotateSecret(ctx, *clientID)
		if err != nil {
			return fmt.Errorf("meet app rotate-secret: %w", err)
		}
		log.InfoContext(ctx, "application secret rotated", "client_id", a.ClientID)
		fmt.Fprintf(stdout, "new secret of %q (%s)\nclient_secret: %s\n", a.Name, a.ClientID, secret)
		fmt.Fprintln(stdout, "The old secret no longer works; this one is shown only now.")
	default:
		fmt.Fprint(stderr, appUsage)
		return fmt.Errorf("meet app: unknown command %q", cmd)
	}
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
