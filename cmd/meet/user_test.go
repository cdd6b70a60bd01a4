package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"meet/internal/auth/local"
	"meet/internal/storage/storagetest"
)

func TestRunUser(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	log := slog.New(slog.DiscardHandler)
	run := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := runUser(ctx, args, strings.NewReader(stdin), &out, &errOut, db, db, log)
		return out.String() + errOut.String(), err
	}

	if _, err := run("wonderland\n", "add", "--email", "alice@example.com", "--name", "Alice Liddell"); err != nil {
		t.Fatal(err)
	}
	u, err := local.FindAccount(ctx, db, "alice@example.com")
	if err != nil || u.FullName != "Alice Liddell" || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("stored account %+v, %v", u, err)
	}
	ok, _ := local.DefaultArgon2id().Verify("wonderland", u.PasswordHash)
	if !ok {
		t.Fatal("stored hash does not match the password read from stdin")
	}

	tests := []struct {
		name    string
		stdin   string
		args    []string
		wantErr string
	}{
		{"duplicate e-mail", "password1\n", []string{"add", "--email", "ALICE@example.com", "--name", "X"}, "already exists"},
		{"no password", "", []string{"add", "--email", "bob@example.com"}, "no password"},
		{"short password", "short\n", []string{"add", "--email", "bob@example.com"}, "too short"},
		{"missing e-mail", "password1\n", []string{"add"}, "--email is required"},
		{"unknown account", "", []string{"disable", "--email", "nobody@example.com"}, "No local account"},
		{"unknown command", "", []string{"frobnicate"}, "unknown command"},
		{"no command", "", nil, "missing command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(tt.stdin, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}

	if _, err := run("looking-glass\r\n", "passwd", "--email", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	u, _ = local.FindAccount(ctx, db, "alice@example.com")
	if ok, _ := local.DefaultArgon2id().Verify("looking-glass", u.PasswordHash); !ok {
		t.Fatal("passwd did not set the new password")
	}
	if _, err := run("", "disable", "--email", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	out, err := run("", "list")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "alice@example.com") || !strings.Contains(out, "Alice Liddell") || !strings.Contains(out, "local") || !strings.Contains(out, "false") {
		t.Fatalf("list output:\n%s", out)
	}
	if _, err := run("", "enable", "--email", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if u, _ := local.FindAccount(ctx, db, "alice@example.com"); !u.IsActive {
		t.Fatal("enable did not re-enable the account")
	}
}
