package objectstore

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"meet/internal/apperr"
	"meet/internal/recordings"
)

// DefaultPartSize is the part size of multipart uploads: files up to this
// size go in one PUT, larger ones in parts of this size (bigger parts for
// files over 10,000 parts, S3's limit).
const DefaultPartSize = 16 << 20

// maxParts is S3's limit on the parts of one upload.
const maxParts = 10000

// Config says where the store keeps objects (config.S3, plus the local
// store the recorder writes to).
type Config struct {
	Endpoint        string // http(s)://host[:port]
	Bucket          string
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	Prefix          string // object keys are <Prefix>/<id>.<ext>
	PathStyle       bool
	// PartSize overrides DefaultPartSize (at least 5 MiB, S3's minimum).
	PartSize int64
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
	// MaxRetries overrides minio-go's retries of a failed request (0: its
	// default of 10, with backoff).
	MaxRetries int
}

// S3 keeps recording files in a bucket. The recorder's raw per-track files
// stay in the local store's directory, and files saved before S3 was
// configured stay readable from it.
type S3 struct {
	bucket
	prefix   string
	partSize int64
	local    *recordings.LocalStore
	log      *slog.Logger
}

var _ recordings.FileStore = (*S3)(nil)

// New returns a store for cfg. local is the directory store the recorder
// writes to; it is read for files not found in the bucket and cleaned on
// Delete. New makes no request.
func New(cfg Config, local *recordings.LocalStore, log *slog.Logger) (*S3, error) {
	client, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	part := cfg.PartSize
	if part == 0 {
		part = DefaultPartSize
	}
	b := bucket{client: client, name: cfg.Bucket, notFound: "The recording file is not available.", unavailable: "The recording storage is unavailable."}
	return &S3{bucket: b, prefix: strings.Trim(cfg.Prefix, "/"), partSize: part, local: local, log: log}, nil
}

// newClient returns a minio-go client for cfg's endpoint and credentials.
func newClient(cfg Config) (*minio.Client, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("objectstore: endpoint must be an http(s) URL, got %q", cfg.Endpoint)
	}
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
		Transport:    cfg.Transport,
		MaxRetries:   cfg.MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("objectstore: %w", err)
	}
	return client, nil
}

// object maps a key (recordings/<id>.<ext>) to its object name.
func (s *S3) object(key string) (string, error) {
	name := path.Base(key)
	if key != recordings.OutputFolder+"/"+name || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("objectstore: bad key %q", key)
	}
	if s.prefix == "" {
		return name, nil
	}
	return s.prefix + "/" + name, nil
}

// partSizeFor is the part size used for a file of size bytes: the
// configured one, raised when the file would need more than maxParts.
func (s *S3) partSizeFor(size int64) int64 {
	if need := (size + maxParts - 1) / maxParts; need > s.partSize {
		const mib = 1 << 20
		return (need + mib - 1) / mib * mib
	}
	return s.partSize
}

// Put uploads the file at src under key and removes src once the bucket
// confirmed it: a StatObject must report the local size, and the ETag (and
// the SHA-256 checksum when the server keeps one) must match digests of the
// local file. Each part is sent with its Content-MD5, which S3 and MinIO
// verify on receipt. On any failure src stays and the error is returned,
// so the recording keeps its file for a retry; an object that failed the
// check is removed so it is never served.
func (s *S3) Put(ctx context.Context, key, src string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	info, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("objectstore: put %s: %w", key, err)
	}
	part := s.partSizeFor(info.Size())
	want, err := digestFile(src, part)
	if err != nil {
		return fmt.Errorf("objectstore: put %s: %w", key, err)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("objectstore: put %s: %w", key, err)
	}
	defer f.Close()
	_, err = s.client.PutObject(ctx, s.name, name, f, want.size, minio.PutObjectOptions{
		PartSize:       uint64(part),
		SendContentMd5: true,
		// Without it minio-go signs plain-HTTP bodies in aws-chunked
		// streaming form, which S3-compatible servers that do not decode it
		// store verbatim; Content-MD5 plus the check below cover integrity.
		DisableContentSha256: true,
		ContentType:          contentType(name),
		UserMetadata:         map[string]string{"Sha256": want.sha256Base64()},
	})
	if err != nil {
		return s.fail("put", key, err)
	}
	if err := s.confirm(ctx, name, want); err != nil {
		if rerr := s.client.RemoveObject(ctx, s.name, name, minio.RemoveObjectOptions{}); rerr != nil {
			s.log.ErrorContext(ctx, "unconfirmed recording object not removed", "key", name, "err", rerr)
		}
		return fmt.Errorf("objectstore: put %s: upload not confirmed: %w", key, err)
	}
	if err := os.Remove(src); err != nil {
		return fmt.Errorf("objectstore: put %s: uploaded, but the local file stays: %w", key, err)
	}
	return nil
}

// confirm checks the stored object against the local file's digest.
func (s *S3) confirm(ctx context.Context, name string, want digest) error {
	obj, err := s.client.StatObject(ctx, s.name, name, minio.StatObjectOptions{Checksum: true})
	if err != nil {
		return s.fail("stat", name, err)
	}
	if obj.Size != want.size {
		return fmt.Errorf("stored size %d, local size %d", obj.Size, want.size)
	}
	etagChecked, err := want.checkETag(obj.ETag)
	if err != nil {
		return err
	}
	sumChecked := false
	if c := obj.ChecksumSHA256; c != "" && !strings.Contains(c, "-") {
		if c != want.sha256Base64() {
			return fmt.Errorf("stored SHA-256 %s, local %s", c, want.sha256Base64())
		}
		sumChecked = true
	}
	if !etagChecked && !sumChecked {
		s.log.WarnContext(ctx, "recording object verified by size only: the server returned no comparable ETag or checksum",
			"key", name, "etag", obj.ETag)
	}
	return nil
}

// Open returns key's object for reading with ranged GETs; a key missing
// from the bucket is looked up in the local directory (files saved before
// S3 was configured), and is apperr.NotFound when neither has it.
func (s *S3) Open(ctx context.Context, key string) (recordings.File, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, apperr.Wrap(apperr.NotFound, s.notFound, err)
	}
	f, err := s.open(ctx, name, key)
	if apperr.Is(err, apperr.NotFound) {
		return s.local.Open(ctx, key)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Delete removes key's object, then any local file and raw directory of
// the recording. A missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.remove(ctx, name, key); err != nil {
		return err
	}
	return s.local.Delete(ctx, key)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".mp4":
		return "video/mp4"
	case ".ogg":
		return "audio/ogg"
	case ".webm":
		return "video/webm"
	}
	return "application/octet-stream"
}
