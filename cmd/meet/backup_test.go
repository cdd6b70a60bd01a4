package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meet/internal/auth/local"
	"meet/internal/recordings"
	"meet/internal/storage"
)

// meetCmd runs one meet command with env and returns its output.
func meetCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	return out.String(), err
}

// TestBackupWhileServingThenRestore backs up the data directory of a
// running server, restores it into a fresh directory and starts a server
// there: the account signs in with its password, and the room and the
// recording (its row and its file) are served as before.
func TestBackupWhileServingThenRestore(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"MEET_DATA_DIR": t.TempDir(), "MEET_RECORDING_ENABLED": "true", "MEET_RECORDING_WORKER": "false"}
	base, stop := launchMeet(t, env)
	owner := signedIn(t, base, env, "olive@example.com", "Olive Owner")
	var room struct{ ID, Slug, Name string }
	if code := owner.do("POST", "/api/v1.0/rooms/", map[string]string{"name": "Weekly sync"}, &room); code != http.StatusCreated {
		t.Fatalf("create room: %d", code)
	}
	// A saved recording, written through a second connection to the live
	// database as the recorder would, and its file in the local store.
	db, err := storage.Open(ctx, filepath.Join(env["MEET_DATA_DIR"], "meet.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := local.FindAccount(ctx, db, "olive@example.com")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordings.Recording{RoomID: room.ID, Mode: recordings.Transcript, Status: recordings.Saved}
	if err := db.CreateRecording(ctx, rec, acct.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	media := append([]byte("OggS"), rand.Text()...)
	recDir := filepath.Join(env["MEET_DATA_DIR"], "recordings")
	if err := os.MkdirAll(recDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(recDir, rec.ID+".ogg"), media, 0o600); err != nil {
		t.Fatal(err)
	}
	download := func(c *client) []byte {
		t.Helper()
		resp, err := c.http.Get(c.base + "/api/v1.0/recordings/" + rec.ID + "/download/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("download: %d %s", resp.StatusCode, body)
		}
		return body
	}
	if got := download(owner); !bytes.Equal(got, media) {
		t.Fatalf("download before the backup: %q", got)
	}

	archive := filepath.Join(t.TempDir(), "meet-backup.tar.gz")
	out, err := meetCmd(t, env, "backup", "--to", archive)
	if err != nil || !strings.Contains(out, "backup written to "+archive) || !strings.Contains(out, "database: sqlite") {
		t.Fatalf("meet backup: %v\n%s", err, out)
	}
	if out, err := meetCmd(t, env, "backup", "--to", archive); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second backup to the same file: %v\n%s", err, out)
	}
	stop()

	restored := map[string]string{"MEET_DATA_DIR": filepath.Join(t.TempDir(), "restored"), "MEET_RECORDING_ENABLED": "true", "MEET_RECORDING_WORKER": "false"}
	if out, err := meetCmd(t, restored, "restore", archive); err != nil || !strings.Contains(out, "restored ") {
		t.Fatalf("meet restore: %v\n%s", err, out)
	}
	for _, name := range []string{"secret-key", "livekit-api-key"} {
		want, _ := os.ReadFile(filepath.Join(env["MEET_DATA_DIR"], name))
		got, err := os.ReadFile(filepath.Join(restored["MEET_DATA_DIR"], name))
		if err != nil || len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("restored %s differs from the original (%v)", name, err)
		}
	}
	if out, err := meetCmd(t, restored, "restore", archive); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("restore over a restored directory: %v\n%s", err, out)
	}

	base2 := startMeet(t, restored)
	c := newClient(t, base2)
	if code := c.do("POST", "/api/v1.0/local-login/", map[string]string{"email": "olive@example.com", "password": "a long enough password"}, nil); code != http.StatusNoContent {
		t.Fatalf("local-login on the restored server: %d", code)
	}
	var got struct{ ID, Slug, Name string }
	if code := c.do("GET", "/api/v1.0/rooms/"+room.ID+"/", nil, &got); code != http.StatusOK || got != room {
		t.Fatalf("room on the restored server: %d %+v, want %+v", code, got, room)
	}
	var page struct {
		Count   int
		Results []struct{ ID, Status string }
	}
	if code := c.do("GET", "/api/v1.0/recordings/", nil, &page); code != http.StatusOK || page.Count != 1 ||
		page.Results[0].ID != rec.ID || page.Results[0].Status != string(recordings.Saved) {
		t.Fatalf("recordings on the restored server: %d %+v", code, page)
	}
	if body := download(c); !bytes.Equal(body, media) {
		t.Fatalf("download on the restored server: %q, want %q", body, media)
	}
}

// tarEntry is one entry of a hand-made archive.
type tarEntry struct {
	name, body, link string
	typ              byte
}

// writeArchive writes entries as a .tar.gz and returns its path.
func writeArchive(t *testing.T, entries ...tarEntry) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o600, Linkname: e.link}
		if typ == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	path := filepath.Join(t.TempDir(), "crafted.tar.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRestoreRefuses checks that restore writes nothing from damaged or
// hostile archives and never into a directory that holds anything.
func TestRestoreRefuses(t *testing.T) {
	// A real backup of a small data directory (migrated database, one secret).
	src := map[string]string{"MEET_DATA_DIR": t.TempDir()}
	if _, err := meetCmd(t, src, "migrate"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src["MEET_DATA_DIR"], "secret-key"), []byte(strings.Repeat("k", 64)), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.tar.gz")
	if out, err := meetCmd(t, src, "backup", "--to", good); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile(good)
	variant := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "variant.tar.gz")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := bytes.Clone(raw)
	flipped[len(flipped)/2] ^= 0xff
	manifestFor := func(files string) string {
		return `{"format":"meet-backup","version":1,"database":"sqlite","files":[` + files + `]}`
	}

	tests := []struct {
		name    string
		archive string
		want    string
	}{
		{"truncated", variant(raw[:len(raw)/2]), "is damaged"},
		{"one byte changed", variant(flipped), "is damaged"},
		{"not gzip", variant([]byte("plain text")), "is damaged"},
		{"no manifest", writeArchive(t, tarEntry{name: "data/secret-key", body: "x"}), "no manifest.json"},
		{"content differs from the manifest", writeArchive(t, tarEntry{name: "data/secret-key", body: "x"},
			tarEntry{name: "manifest.json", body: manifestFor(`{"path":"data/secret-key","size":1,"sha256":"00"}`)}), "does not match the manifest"},
		{"file missing from the manifest", writeArchive(t, tarEntry{name: "data/secret-key", body: "x"},
			tarEntry{name: "manifest.json", body: manifestFor(``)}), "not in the manifest"},
		{"newer format", writeArchive(t, tarEntry{name: "manifest.json", body: `{"format":"meet-backup","version":9,"files":[]}`}), "version 9 backup"},
		{"parent directory", writeArchive(t, tarEntry{name: "data/../../evil", body: "x"}), "outside the directories"},
		{"absolute path", writeArchive(t, tarEntry{name: "/tmp/evil", body: "x"}), "outside the directories"},
		{"unknown top directory", writeArchive(t, tarEntry{name: "etc/evil", body: "x"}), "outside the directories"},
		{"symbolic link", writeArchive(t, tarEntry{name: "data/link", link: "/etc", typ: tar.TypeSymlink}), "not a regular file"},
		{"hard link", writeArchive(t, tarEntry{name: "data/link", link: "/etc/passwd", typ: tar.TypeLink}), "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			env := map[string]string{"MEET_DATA_DIR": filepath.Join(parent, "data")}
			out, err := meetCmd(t, env, "restore", tt.archive)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("restore: %v\n%s\nwant an error containing %q", err, out, tt.want)
			}
			entries, _ := os.ReadDir(env["MEET_DATA_DIR"])
			others, _ := os.ReadDir(parent)
			if len(entries) != 0 || len(others) != 1 {
				t.Fatalf("left behind: %v in the data directory, %v beside it", entries, others)
			}
		})
	}

	t.Run("non-empty directory", func(t *testing.T) {
		env := map[string]string{"MEET_DATA_DIR": t.TempDir()}
		keep := filepath.Join(env["MEET_DATA_DIR"], "meet.db")
		if err := os.WriteFile(keep, []byte("live data"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := meetCmd(t, env, "restore", good); err == nil || !strings.Contains(err.Error(), "is not empty") {
			t.Fatalf("restore into a non-empty directory: %v", err)
		}
		if b, _ := os.ReadFile(keep); string(b) != "live data" {
			t.Fatalf("the existing file was changed: %q", b)
		}
	})

	t.Run("PostgreSQL", func(t *testing.T) {
		env := map[string]string{"MEET_DATA_DIR": src["MEET_DATA_DIR"], "MEET_DATABASE_URL": "postgres://meet@127.0.0.1:1/never-contacted"}
		archive := filepath.Join(t.TempDir(), "pg.tar.gz")
		out, err := meetCmd(t, env, "backup", "--to", archive)
		if err != nil || !strings.Contains(out, "pg_dump") || !strings.Contains(out, "database: postgres") {
			t.Fatalf("backup with PostgreSQL: %v\n%s", err, out)
		}
		env["MEET_DATA_DIR"] = t.TempDir()
		out, err = meetCmd(t, env, "restore", archive)
		if err != nil || !strings.Contains(out, "pg_restore") {
			t.Fatalf("restore of a PostgreSQL backup: %v\n%s", err, out)
		}
		if _, err := os.Stat(filepath.Join(env["MEET_DATA_DIR"], "meet.db")); err == nil {
			t.Error("a PostgreSQL backup restored a SQLite database")
		}
		if b, _ := os.ReadFile(filepath.Join(env["MEET_DATA_DIR"], "secret-key")); string(b) != strings.Repeat("k", 64) {
			t.Errorf("secret-key not restored: %q", b)
		}
	})
}
