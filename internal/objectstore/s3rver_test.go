package objectstore

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The tests run against s3rver, a lightweight S3-protocol server in Node
// that stands in for AWS S3 or MinIO, which cannot run here. It speaks the
// same REST protocol minio-go uses (SigV4, multipart uploads, ranged GETs,
// HEAD, DELETE) on 127.0.0.1. It does not verify Content-MD5 itself, which
// lets the tests show that our own post-upload check catches corruption.

// s3rverDir holds testdata/s3rver/server.mjs and its node_modules
// (`npm ci --prefix testdata/s3rver`).
var s3rverDir = filepath.Join("..", "..", "testdata", "s3rver")

// testBucket is the bucket s3rver creates at start.
const testBucket = "meet-recordings"

// startS3rver runs an s3rver on a free loopback port with an empty data
// directory and returns its endpoint and a function that stops it (also
// called at cleanup).
func startS3rver(t *testing.T) (endpoint string, stop func()) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(s3rverDir, "node_modules", "s3rver")); err != nil {
		t.Skip("s3rver not installed: run `npm ci --prefix testdata/s3rver` to run the object-storage tests against an S3-protocol server")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found: the object-storage tests run s3rver with Node")
	}
	cmd := exec.Command("node", "server.mjs", t.TempDir(), testBucket)
	cmd.Dir = s3rverDir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	t.Cleanup(stop)

	ready := make(chan int, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadBytes('\n')
		var msg struct{ Port int }
		if err == nil && json.Unmarshal(line, &msg) == nil {
			ready <- msg.Port
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case port := <-ready:
		return "http://127.0.0.1:" + strconv.Itoa(port), stop
	case <-exited:
		t.Fatal("s3rver exited before it was ready")
	case <-time.After(20 * time.Second):
		t.Fatal("s3rver did not start within 20s")
	}
	return "", nil
}
