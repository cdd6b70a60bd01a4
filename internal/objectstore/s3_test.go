package objectstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"meet/internal/apperr"
	"meet/internal/recordings"
)

// testPartSize is S3's minimum part size, so a multipart upload needs only
// a few MiB of test data.
const testPartSize = 5 << 20

// tap is an HTTP transport that lets a test watch or alter the requests and
// responses between minio-go and the server.
type tap struct {
	base     http.RoundTripper
	mu       sync.Mutex
	requests []string // "METHOD query" of each request
	onReq    func(*http.Request)
	onResp   func(*http.Response)
}

func (t *tap) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.requests = append(t.requests, r.Method+" "+r.URL.RawQuery)
	onReq, onResp := t.onReq, t.onResp
	t.mu.Unlock()
	if onReq != nil {
		onReq(r)
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil && onResp != nil {
		onResp(resp)
	}
	return resp, err
}

// count returns how many requests had a method and a query containing sub.
func (t *tap) count(method, sub string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, r := range t.requests {
		if strings.HasPrefix(r, method+" ") && strings.Contains(r, sub) {
			n++
		}
	}
	return n
}

type fixture struct {
	store *S3
	tap   *tap
	dir   string // the local recording directory
}

func newFixture(t *testing.T, endpoint, bucket string) *fixture {
	t.Helper()
	tp := &tap{base: http.DefaultTransport.(*http.Transport).Clone()}
	dir := t.TempDir()
	s, err := New(Config{
		Endpoint: endpoint, Bucket: bucket, Region: "us-east-1", AccessKeyID: "S3RVER", SecretAccessKey: "S3RVER",
		Prefix: "recordings", PathStyle: true, PartSize: testPartSize, Transport: tp, MaxRetries: 1,
	}, recordings.NewLocalStore(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store: s, tap: tp, dir: dir}
}

// recordingFile writes size random bytes where a recorder would leave a
// composite and returns its path and content.
func (f *fixture) recordingFile(t *testing.T, id string, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	raw := filepath.Join(f.dir, id)
	if err := os.MkdirAll(raw, 0o750); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(raw, "composite.mp4")
	if err := os.WriteFile(p, data, 0o640); err != nil {
		t.Fatal(err)
	}
	return p, data
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestPutMultipartVerifiedThenLocalRemoved(t *testing.T) {
	endpoint, _ := startS3rver(t)
	f := newFixture(t, endpoint, testBucket)
	ctx := testCtx(t)
	src, data := f.recordingFile(t, "rec1", 2*testPartSize+12345)

	// The confirming HEAD must happen while the local file is still there.
	var presentAtHead []bool
	f.tap.onReq = func(r *http.Request) {
		if r.Method == http.MethodHead {
			presentAtHead = append(presentAtHead, exists(src))
		}
	}
	if err := f.store.Put(ctx, "recordings/rec1.mp4", src); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if got := f.tap.count(http.MethodPut, "partNumber="); got != 3 {
		t.Errorf("uploaded %d parts, want 3 (multipart above the part size)", got)
	}
	if len(presentAtHead) == 0 || !presentAtHead[len(presentAtHead)-1] {
		t.Errorf("local file present at the confirming HEAD: %v, want true", presentAtHead)
	}
	if exists(src) {
		t.Error("local file kept after a confirmed upload")
	}
	info, err := f.store.client.StatObject(ctx, testBucket, "recordings/rec1.mp4", minio.StatObjectOptions{})
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("StatObject = %d, %v; want size %d", info.Size, err, len(data))
	}
	rf, err := f.store.Open(ctx, "recordings/rec1.mp4")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rf.Close()
	got, err := io.ReadAll(rf)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d uploaded", len(got), err, len(data))
	}
}

func TestRangeDownload(t *testing.T) {
	endpoint, _ := startS3rver(t)
	f := newFixture(t, endpoint, testBucket)
	ctx := testCtx(t)
	src, data := f.recordingFile(t, "rec2", 300_000)
	if err := f.store.Put(ctx, "recordings/rec2.mp4", src); err != nil {
		t.Fatalf("Put: %v", err)
	}
	// What the download route does: http.ServeContent over the opened file.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rf, err := f.store.Open(r.Context(), "recordings/rec2.mp4")
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		defer rf.Close()
		info, _ := rf.Stat()
		http.ServeContent(w, r, info.Name(), info.ModTime(), rf)
	})
	for _, tc := range []struct {
		name, rng  string
		start, end int // end exclusive
	}{
		{"middle", "bytes=1000-1999", 1000, 2000},
		{"open ended", "bytes=299000-", 299000, 300000},
		{"suffix", "bytes=-500", 299500, 300000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/download", nil)
			req.Header.Set("Range", tc.rng)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusPartialContent {
				t.Fatalf("status %d, want 206: %s", rec.Code, rec.Body)
			}
			if !bytes.Equal(rec.Body.Bytes(), data[tc.start:tc.end]) {
				t.Errorf("range %s: got %d bytes that differ from the file's [%d:%d]", tc.rng, rec.Body.Len(), tc.start, tc.end)
			}
		})
	}
}

func TestPutFailureKeepsLocalFile(t *testing.T) {
	endpoint, stop := startS3rver(t)
	t.Run("missing bucket", func(t *testing.T) {
		f := newFixture(t, endpoint, "no-such-bucket")
		src, _ := f.recordingFile(t, "rec3", 1000)
		err := f.store.Put(testCtx(t), "recordings/rec3.mp4", src)
		if err == nil || !exists(src) {
			t.Fatalf("Put = %v, local file kept = %v; want an error and the file kept", err, exists(src))
		}
	})
	t.Run("server stopped", func(t *testing.T) {
		f := newFixture(t, endpoint, testBucket)
		src, _ := f.recordingFile(t, "rec4", 1000)
		stop()
		err := f.store.Put(testCtx(t), "recordings/rec4.mp4", src)
		if err == nil || !exists(src) {
			t.Fatalf("Put = %v, local file kept = %v; want an error and the file kept", err, exists(src))
		}
		if !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("Put error kind: %v, want unavailable", err)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Put error %v: want connection refused, not the test deadline", err)
		}
	})
}

// corrupt flips one byte of a request body on its way to the server, as a
// faulty link or proxy would; s3rver stores what it gets.
type corrupt struct{ io.ReadCloser }

func (c *corrupt) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if n > 0 {
		p[0] ^= 0xff
	}
	return n, err
}

func TestChecksumMismatchRefused(t *testing.T) {
	endpoint, _ := startS3rver(t)
	for _, tc := range []struct {
		name   string
		size   int
		tamper func(f *fixture)
	}{
		{"body corrupted in transit, one PUT", 200_000, func(f *fixture) {
			f.tap.onReq = func(r *http.Request) {
				if r.Method == http.MethodPut && r.Body != nil {
					r.Body = &corrupt{r.Body}
				}
			}
		}},
		{"part corrupted in transit, multipart", testPartSize + 1000, func(f *fixture) {
			f.tap.onReq = func(r *http.Request) {
				if r.Method == http.MethodPut && strings.Contains(r.URL.RawQuery, "partNumber=2") {
					r.Body = &corrupt{r.Body}
				}
			}
		}},
		{"ETag mismatch", 1000, func(f *fixture) {
			f.tap.onResp = func(resp *http.Response) {
				if resp.Request.Method == http.MethodHead {
					resp.Header.Set("ETag", `"00000000000000000000000000000000"`)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, endpoint, testBucket)
			ctx := testCtx(t)
			id := "bad" + strings.ReplaceAll(tc.name[:4], " ", "")
			src, _ := f.recordingFile(t, id, tc.size)
			tc.tamper(f)
			err := f.store.Put(ctx, "recordings/"+id+".mp4", src)
			if err == nil || !strings.Contains(err.Error(), "not confirmed") {
				t.Fatalf("Put = %v, want an unconfirmed upload", err)
			}
			if !exists(src) {
				t.Error("local file removed although the upload was not confirmed")
			}
			f.tap.onReq, f.tap.onResp = nil, nil
			if _, err := f.store.client.StatObject(ctx, testBucket, "recordings/"+id+".mp4", minio.StatObjectOptions{}); !isNotFound(err) {
				t.Errorf("the unconfirmed object is still served (stat err %v)", err)
			}
		})
	}
}

func TestDeleteRemovesObjectAndLocalFiles(t *testing.T) {
	endpoint, _ := startS3rver(t)
	f := newFixture(t, endpoint, testBucket)
	ctx := testCtx(t)
	src, _ := f.recordingFile(t, "rec5", 1000)
	if err := f.store.Put(ctx, "recordings/rec5.mp4", src); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := f.store.Delete(ctx, "recordings/rec5.mp4"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := f.store.Open(ctx, "recordings/rec5.mp4"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Open after Delete = %v, want not found", err)
	}
	if exists(filepath.Join(f.dir, "rec5")) {
		t.Error("raw directory kept after Delete")
	}
	if err := f.store.Delete(ctx, "recordings/rec5.mp4"); err != nil {
		t.Errorf("Delete of a missing key = %v, want nil", err)
	}
}

func TestOpenFallsBackToLocalFiles(t *testing.T) {
	endpoint, _ := startS3rver(t)
	f := newFixture(t, endpoint, testBucket)
	if err := os.WriteFile(filepath.Join(f.dir, "old.ogg"), []byte("saved before S3"), 0o640); err != nil {
		t.Fatal(err)
	}
	rf, err := f.store.Open(testCtx(t), "recordings/old.ogg")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rf.Close()
	if b, _ := io.ReadAll(rf); string(b) != "saved before S3" {
		t.Errorf("read %q", b)
	}
}

func TestPartSizeForLargeFiles(t *testing.T) {
	s := &S3{partSize: DefaultPartSize}
	if got := s.partSizeFor(1 << 30); got != DefaultPartSize {
		t.Errorf("1 GiB: part size %d, want %d", got, DefaultPartSize)
	}
	big := int64(200) << 30 // 200 GiB would need 12,800 parts of 16 MiB
	if got := s.partSizeFor(big); (big+got-1)/got > maxParts || got%(1<<20) != 0 {
		t.Errorf("200 GiB: part size %d gives %d parts", got, (big+got-1)/got)
	}
}
