package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"meet/internal/config"
)

const restoreUsage = `usage: meet restore FILE

Restore a backup written by "meet backup" into the data directory
(MEET_DATA_DIR), which must be empty or absent; stop meet first. A damaged
archive is refused and what was written is removed.
`

// maxManifestSize bounds the manifest read into memory.
const maxManifestSize = 16 << 20

// restoreCommand runs "meet restore FILE" with settings from the environment.
func restoreCommand(ctx context.Context, c cli, args []string) error {
	stdout, stderr := c.stdout, c.stderr
	if wantsHelp(args) {
		fmt.Fprint(stdout, restoreUsage)
		return nil
	}
	flags := flag.NewFlagSet("meet restore", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, restoreUsage) }
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if flags.NArg() != 1 {
		fmt.Fprint(stderr, restoreUsage)
		return errUsage
	}
	cfg, _, err := setup("meet restore", nil, c)
	if err != nil {
		return err
	}
	return restoreBackup(ctx, cfg, flags.Arg(0), stdout)
}

// restoreTarget is a directory files are restored into, opened as an
// os.Root so that no entry (nor a symbolic link planted meanwhile) can
// write outside it.
type restoreTarget struct {
	dir  string
	root *os.Root
	// written lists the top-level names created, removed again when the
	// restore fails (the directory was empty before).
	written map[string]bool
}

// openEmptyDir creates dir (0700) when missing and opens it, refusing a
// directory that holds anything: restoring over live data would mix two
// states of meet.
func openEmptyDir(dir, what string) (*restoreTarget, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("restore: the %s %s is not empty (it holds %s, …): restore only into an empty directory, "+
			"so that nothing is overwritten; stop meet and move the directory aside first", what, dir, entries[0].Name())
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return &restoreTarget{dir: dir, root: root, written: map[string]bool{}}, nil
}

// restoreBackup extracts archive into the configured directories and checks
// it against its manifest; on any failure it removes what it wrote.
func restoreBackup(ctx context.Context, cfg *config.Config, archive string, stdout io.Writer) (err error) {
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return err
	}
	data, err := openEmptyDir(dataDir, "data directory")
	if err != nil {
		return err
	}
	targets := []*restoreTarget{data}
	defer func() {
		for _, t := range targets {
			if err != nil {
				for name := range t.written {
					_ = t.root.RemoveAll(name)
				}
			}
			t.root.Close()
		}
	}()
	var recordingsTarget *restoreTarget // opened at the first recordings/ entry
	targetOf := func(prefix string) (*restoreTarget, error) {
		if prefix == backupDataDir {
			return data, nil
		}
		if recordingsTarget == nil {
			dir, err := filepath.Abs(recordingSettingsFrom(cfg).Dir)
			if err != nil {
				return nil, err
			}
			if recordingsTarget, err = openEmptyDir(dir, "recording directory"); err != nil {
				return nil, err
			}
			targets = append(targets, recordingsTarget)
		}
		return recordingsTarget, nil
	}

	damaged := func(format string, a ...any) error {
		return fmt.Errorf("restore: %s is damaged or not a meet backup: %s; nothing was restored", archive, fmt.Sprintf(format, a...))
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		return damaged("%v", err)
	}
	tr := tar.NewReader(gz)
	var m *manifest
	got := map[string]manifestFile{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return damaged("%v", err)
		}
		if m != nil {
			return damaged("entry %q after the manifest", hdr.Name)
		}
		if hdr.Name == backupManifest {
			raw, err := io.ReadAll(io.LimitReader(tr, maxManifestSize+1))
			if err != nil {
				return damaged("%v", err)
			}
			if len(raw) > maxManifestSize {
				return damaged("the manifest is over %d bytes", maxManifestSize)
			}
			m = new(manifest)
			if err := json.Unmarshal(raw, m); err != nil {
				return damaged("manifest: %v", err)
			}
			continue
		}
		prefix, rel, err := entryPath(hdr)
		if err != nil {
			return fmt.Errorf("restore: %s: refused: %w; nothing was restored", archive, err)
		}
		if _, dup := got[hdr.Name]; dup {
			return damaged("%q appears twice", hdr.Name)
		}
		t, err := targetOf(prefix)
		if err != nil {
			return err
		}
		mf, err := t.extract(tr, rel, hdr.Size)
		if err != nil {
			return damaged("%s: %v", hdr.Name, err)
		}
		mf.Path = hdr.Name
		got[hdr.Name] = mf
	}
	// Reading to the end makes gzip check its CRC and length.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return damaged("%v", err)
	}
	if m == nil {
		return damaged("no %s (a truncated archive?)", backupManifest)
	}
	if m.Format != backupFormat {
		return damaged("format %q", m.Format)
	}
	if m.Version != backupVersion {
		return fmt.Errorf("restore: %s is a version %d backup; this meet (%s) reads version %d", archive, m.Version, buildVersion(), backupVersion)
	}
	for _, want := range m.Files {
		if have, ok := got[want.Path]; !ok || have != want {
			return damaged("%s does not match the manifest", want.Path)
		}
		delete(got, want.Path)
	}
	for name := range got {
		return damaged("%s is not in the manifest", name)
	}
	fmt.Fprintf(stdout, "restored %d files from %s (backup of %s, meet %s) into %s\n",
		len(m.Files), archive, m.CreatedAt.Format("2006-01-02 15:04:05 MST"), m.MeetVersion, dataDir)
	switch {
	case m.Database == "postgres":
		fmt.Fprintln(stdout, "The database was PostgreSQL and is not in this archive: restore its pg_dump, for example")
		fmt.Fprintln(stdout, `pg_restore --clean --if-exists --dbname="$MEET_DATABASE_URL" meet.dump`)
	case cfg.DatabaseURL != "":
		fmt.Fprintln(stdout, "Note: MEET_DATABASE_URL is set, so meet uses PostgreSQL, not the restored SQLite database (meet.db).")
	}
	return nil
}

// entryPath checks an archive entry and splits its name into the top-level
// prefix (data or recordings) and a local path below it. Anything that could
// land outside the target directory is refused: absolute names, "..",
// backslashes, and entries that are not regular files (links, devices).
func entryPath(hdr *tar.Header) (prefix, rel string, err error) {
	if hdr.Typeflag != tar.TypeReg {
		return "", "", fmt.Errorf("entry %q is not a regular file", hdr.Name)
	}
	prefix, rel, _ = strings.Cut(hdr.Name, "/")
	if (prefix != backupDataDir && prefix != backupRecDir) || rel == "" || path.Clean(rel) != rel ||
		strings.Contains(rel, `\`) || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", "", fmt.Errorf("entry %q is outside the directories a backup restores", hdr.Name)
	}
	if hdr.Size < 0 {
		return "", "", fmt.Errorf("entry %q has a negative size", hdr.Name)
	}
	return prefix, rel, nil
}

// extract writes r's size bytes to rel (0600, in 0700 directories) and
// returns its size and SHA-256.
func (t *restoreTarget) extract(r io.Reader, rel string, size int64) (manifestFile, error) {
	t.written[strings.SplitN(rel, "/", 2)[0]] = true
	if dir := path.Dir(rel); dir != "." {
		if err := t.root.MkdirAll(dir, 0o700); err != nil {
			return manifestFile{}, err
		}
	}
	out, err := t.root.OpenFile(rel, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return manifestFile{}, errors.New("restored twice")
	}
	if err != nil {
		return manifestFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err == nil && n != size {
		err = io.ErrUnexpectedEOF
	}
	if err := errors.Join(err, out.Sync(), out.Close()); err != nil {
		return manifestFile{}, err
	}
	return manifestFile{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
