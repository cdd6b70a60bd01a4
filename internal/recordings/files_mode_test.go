package recordings_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"meet/internal/recordings"
)

// TestLocalStoreFilesArePrivate: a recording put into a store whose directory
// existed world-readable ends up 0600 in a 0700 directory, even when the
// file was produced world-readable (ffmpeg honours only the umask).
func TestLocalStoreFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "recordings")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "mixed.ogg")
	if err := os.WriteFile(src, []byte("audio"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(src, 0o644); err != nil {
		t.Fatal(err)
	}
	store := recordings.NewLocalStore(dir)
	if err := store.Put(context.Background(), recordings.OutputFolder+"/a.ogg", src); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "a.ogg"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
}
