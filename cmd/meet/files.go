package main

import (
	"context"
	"log/slog"

	"meet/internal/apperr"
	"meet/internal/config"
	"meet/internal/files"
	"meet/internal/httpapi"
	"meet/internal/objectstore"
	"meet/internal/storage"
)

// wireFiles turns on the files API (uploaded backgrounds) when
// MEET_FILE_UPLOAD_ENABLED is set. Their bytes are kept where recordings
// are: the recording directory, or the S3 bucket.
func wireFiles(cfg *config.Config, deps *httpapi.Deps, db *storage.DB, rs recordingSettings, secretKey string, log *slog.Logger) {
	if !cfg.Files.UploadEnabled {
		return
	}
	b := cfg.Files.BackgroundImage
	deps.FilePerMinute = cfg.Files.PerMinute
	deps.Files = files.NewService(db, newBlobStore(rs, log), files.Options{
		Enabled: true,
		Rules: files.Rules{MaxSize: int64(b.MaxSize), MaxCountByUser: b.MaxCountByUser,
			AllowedExtensions: b.AllowedExtensions, AllowedMimetypes: b.AllowedMimetypes},
		SigningKey: derivedKey(secretKey, "meet file upload grants"),
		Log:        log.With("component", "files"),
	})
}

// newBlobStore is where uploaded files' bytes go: the S3 bucket when
// MEET_S3_ENDPOINT is set, else <recording dir>/files. A refused S3
// configuration is logged once here, and every file operation then fails
// with 503.
func newBlobStore(rs recordingSettings, log *slog.Logger) files.BlobStore {
	if rs.S3.Endpoint == "" {
		return files.NewLocalBlobs(rs.Dir)
	}
	s := rs.S3
	store, err := objectstore.NewFiles(objectstore.Config{
		Endpoint: s.Endpoint, Bucket: s.Bucket, Region: s.Region, AccessKeyID: s.AccessKeyID,
		SecretAccessKey: s.SecretAccessKey, Prefix: s.Prefix, PathStyle: s.PathStyle,
	})
	if err != nil {
		log.Error("file object storage unusable", "err", err)
		return unusableBlobs{err: apperr.Wrap(apperr.Unavailable, "The file storage is unavailable.", err)}
	}
	return store
}

// unusableBlobs is a BlobStore whose configuration was refused.
type unusableBlobs struct{ err error }

func (u unusableBlobs) Put(context.Context, string, []byte, string) error { return u.err }
func (u unusableBlobs) Open(context.Context, string) (files.Blob, error) {
	return nil, u.err
}
func (u unusableBlobs) Delete(context.Context, string) error { return u.err }
