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
	"path/filepath"
	"time"

	"meet/internal/config"
	"meet/internal/storage"
)

// A backup is a gzip-compressed tar archive:
//
//	data/…         the data directory: meet.db (a consistent snapshot taken
//	               with VACUUM INTO, never the live file and its -wal), the
//	               generated secrets (secret-key, livekit-api-key), the
//	               recordings kept locally under recordings/
//	recordings/…   the recording directory, when MEET_RECORDING_DIR lies
//	               outside the data directory
//	manifest.json  written last: format, version, time, and the path, size
//	               and SHA-256 of every file, so that restore can tell a
//	               complete archive from a damaged or truncated one
const (
	backupFormat   = "meet-backup"
	backupVersion  = 1
	backupManifest = "manifest.json"
	backupDataDir  = "data"
	backupRecDir   = "recordings"
	// backupDBName is the SQLite database file in the data directory (see openDatabase).
	backupDBName = "meet.db"
)

// manifest describes a backup's contents.
type manifest struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	MeetVersion string    `json:"meet_version"`
	CreatedAt   time.Time `json:"created_at"`
	// Database is "sqlite" (data/meet.db is in the archive) or "postgres"
	// (not in it: pg_dump backs it up).
	Database      string         `json:"database"`
	SchemaVersion int            `json:"schema_version,omitempty"`
	Files         []manifestFile `json:"files"`
}

// manifestFile is one file of a backup.
type manifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const backupUsage = `usage: meet backup --to FILE

Write a consistent snapshot of the data directory (MEET_DATA_DIR) to FILE, a
.tar.gz, while the server runs: the SQLite database, the generated secrets and
the recordings stored locally. With MEET_DATABASE_URL (PostgreSQL) the database
is not included: back it up with pg_dump.
`

// backupCommand runs "meet backup --to FILE" with settings from the environment.
func backupCommand(ctx context.Context, c cli, args []string) error {
	stdout, stderr := c.stdout, c.stderr
	if wantsHelp(args) {
		fmt.Fprint(stdout, backupUsage)
		return nil
	}
	flags := flag.NewFlagSet("meet backup", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, backupUsage) }
	to := flags.String("to", "", "the archive to write (.tar.gz); must not exist")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if *to == "" || flags.NArg() > 0 {
		fmt.Fprint(stderr, backupUsage)
		return errUsage
	}
	cfg, _, err := setup("meet backup", nil, c)
	if err != nil {
		return err
	}
	return writeBackup(ctx, cfg, *to, stdout)
}

// writeBackup writes the archive to a temporary file beside to and renames
// it into place once complete, so that to is never a partial backup.
func writeBackup(ctx context.Context, cfg *config.Config, to string, stdout io.Writer) (err error) {
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return err
	}
	if info, err := os.Stat(dataDir); err != nil || !info.IsDir() {
		return fmt.Errorf("backup: the data directory %s does not exist (MEET_DATA_DIR)", dataDir)
	}
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", to)
	}
	work, err := os.MkdirTemp(filepath.Dir(to), ".meet-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)

	m := manifest{Format: backupFormat, Version: backupVersion, MeetVersion: buildVersion(), CreatedAt: time.Now().UTC().Truncate(time.Second)}
	snapshot := ""
	if cfg.DatabaseURL != "" {
		m.Database = "postgres"
		fmt.Fprintln(stdout, "The database is PostgreSQL (MEET_DATABASE_URL) and is not in this archive: back it up with pg_dump,")
		fmt.Fprintln(stdout, `for example: pg_dump --format=custom --file=meet.dump "$MEET_DATABASE_URL"`)
	} else {
		m.Database = "sqlite"
		snapshot = filepath.Join(work, backupDBName)
		if m.SchemaVersion, err = snapshotSQLite(ctx, filepath.Join(dataDir, backupDBName), snapshot); err != nil {
			return err
		}
	}

	part := filepath.Join(work, "archive.tar.gz")
	f, err := os.OpenFile(part, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	add := func(name, src string, info fs.FileInfo) error {
		mf, err := addFile(tw, name, src, info)
		if err != nil {
			return fmt.Errorf("backup: %s: %w", src, err)
		}
		m.Files = append(m.Files, mf)
		return nil
	}
	if snapshot != "" {
		info, err := os.Stat(snapshot)
		if err != nil {
			return err
		}
		if err := add(backupDataDir+"/"+backupDBName, snapshot, info); err != nil {
			return err
		}
	}
	toAbs, _ := filepath.Abs(to)
	skip := func(path string) bool {
		rel, _ := filepath.Rel(dataDir, path)
		switch rel {
		case backupDBName, backupDBName + "-wal", backupDBName + "-shm", backupDBName + "-journal":
			return true // the snapshot stands for them
		}
		return path == toAbs || path == work
	}
	if err := addTree(ctx, dataDir, backupDataDir, skip, add); err != nil {
		return err
	}
	if recDir := recordingSettingsFrom(cfg).Dir; recDir != "" {
		recAbs, _ := filepath.Abs(recDir)
		if rel, err := filepath.Rel(dataDir, recAbs); err != nil || !filepath.IsLocal(rel) {
			if err := addTree(ctx, recAbs, backupRecDir, skip, add); err != nil {
				return err
			}
		}
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: backupManifest, Mode: 0o600, Size: int64(len(raw)), ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	if _, err := tw.Write(raw); err != nil {
		return err
	}
	if err := errors.Join(tw.Close(), gz.Close(), f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(part, to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var total int64
	for _, f := range m.Files {
		total += f.Size
	}
	fmt.Fprintf(stdout, "backup written to %s: %d files, %d bytes (database: %s)\n", to, len(m.Files), total, m.Database)
	return nil
}

// snapshotSQLite copies the live database at dbPath to dst and returns its
// schema version. It opens the database without migrating it: a backup
// changes nothing.
func snapshotSQLite(ctx context.Context, dbPath, dst string) (int, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return 0, fmt.Errorf("backup: no database at %s (has meet run on this data directory?)", dbPath)
	}
	db, err := storage.Open(ctx, dbPath, nil)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := db.SnapshotTo(ctx, dst); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return v, nil
}

// addTree adds every regular file under root as prefix/<relative path>,
// leaving out what skip names (sockets and other special files too).
func addTree(ctx context.Context, root, prefix string, skip func(string) bool, add func(name, src string, info fs.FileInfo) error) error {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return fs.SkipAll // no recording directory yet
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if skip(path) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed meanwhile (a finished recording's raw files)
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		return add(prefix+"/"+filepath.ToSlash(rel), path, info)
	})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// addFile writes src as name. A file still growing (a recording under way)
// is copied up to the size it had when listed.
func addFile(tw *tar.Writer, name, src string, info fs.FileInfo) (manifestFile, error) {
	f, err := os.Open(src)
	if err != nil {
		return manifestFile{}, err
	}
	defer f.Close()
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: info.Size(), ModTime: info.ModTime(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return manifestFile{}, err
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), f, info.Size()); err != nil {
		return manifestFile{}, fmt.Errorf("copy: %w", err)
	}
	return manifestFile{Path: name, Size: info.Size(), SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
