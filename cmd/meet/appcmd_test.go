package main

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"meet/internal/applications"
	"meet/internal/storage/storagetest"
)

func TestRunApp(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	svc := applications.NewService(applications.Deps{Store: db}, applications.Options{})
	log := slog.New(slog.DiscardHandler)
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := runApp(ctx, args, &out, &errOut, svc, log)
		return out.String() + errOut.String(), err
	}
	credentials := regexp.MustCompile(`client_id: +([A-Za-z0-9]{40})\nclient_secret: ([A-Za-z0-9]{128})\n`)

	out, err := run("add", "--name", "Calendar", "--scopes", "rooms:list, rooms:create", "--domains", "Example.org,example.com")
	if err != nil {
		t.Fatal(err)
	}
	m := credentials.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add printed no credentials:\n%s", out)
	}
	clientID, secret := m[1], m[2]
	a, err := db.ApplicationByClientID(ctx, clientID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Calendar" || !a.IsActive || !applications.SecretMatches(secret, a.SecretHash) || strings.Contains(a.SecretHash, secret) {
		t.Fatalf("stored application %+v", a)
	}
	if diff := cmp.Diff([]applications.Scope{"rooms:list", "rooms:create"}, a.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"example.com", "example.org"}, a.Domains); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no name", []string{"add", "--scopes", "rooms:list"}, "name: This field may not be blank."},
		{"no scope", []string{"add", "--name", "X"}, "scopes: Give at least one scope."},
		{"unknown scope", []string{"add", "--name", "X", "--scopes", "rooms:delete"}, `"rooms:delete" is not a valid choice.`},
		{"bad domain", []string{"add", "--name", "X", "--scopes", "rooms:list", "--domains", "not a domain"}, `"not a domain" is not a valid domain name.`},
		{"disable without id", []string{"disable"}, "--client-id is required"},
		{"unknown client id", []string{"rotate-secret", "--client-id", "nobody"}, "No application has this client id."},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"no command", nil, "missing command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if list, _ := db.ListApplications(ctx); len(list) != 1 {
		t.Fatalf("refused commands stored applications: %d", len(list))
	}

	if _, err := run("disable", "--client-id", clientID); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.ApplicationByClientID(ctx, clientID); a.IsActive {
		t.Fatal("disable left the application active")
	}
	out, err = run("list")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^Calendar +` + clientID + ` +rooms:list,rooms:create +example\.com,example\.org +false +\d{4}-\d\d-\d\d$`)
	if !row.MatchString(out) {
		t.Fatalf("list output:\n%s", out)
	}
	if _, err := run("enable", "--client-id", clientID); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.ApplicationByClientID(ctx, clientID); !a.IsActive {
		t.Fatal("enable did not re-enable the application")
	}

	out, err = run("rotate-secret", "--client-id", clientID)
	if err != nil {
		t.Fatal(err)
	}
	m = regexp.MustCompile(`client_secret: ([A-Za-z0-9]{128})\n`).FindStringSubmatch(out)
	if m == nil || m[1] == secret {
		t.Fatalf("rotate-secret printed no new secret:\n%s", out)
	}
	a, _ = db.ApplicationByClientID(ctx, clientID)
	if applications.SecretMatches(secret, a.SecretHash) || !applications.SecretMatches(m[1], a.SecretHash) {
		t.Fatal("after rotation the old secret still matches, or the new one does not")
	}
}
