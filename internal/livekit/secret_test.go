package livekit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreateSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, s1, err := LoadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1 == "" || len(s1) < MinSecretLength {
		t.Errorf("key %q, secret of %d bytes", k1, len(s1))
	}
	st, err := os.Stat(filepath.Join(dir, secretFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("credentials file mode %v, want 0600", st.Mode().Perm())
	}
	k2, s2, err := LoadOrCreateSecret(dir)
	if err != nil || k2 != k1 || s2 != s1 {
		t.Errorf("second load = %q, %q, %v; want the same credentials", k2, s2, err)
	}
	if err := os.WriteFile(filepath.Join(dir, secretFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateSecret(dir); err == nil {
		t.Error("malformed credentials file accepted")
	}
}
