package main

import (
	"log/slog"
	"testing"

	"meet/internal/config"
	"meet/internal/objectstore"
	"meet/internal/recordings"
)

func TestNewFileStoreChoosesS3WithAnEndpoint(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	rs := recordingSettings{Dir: t.TempDir()}
	if _, ok := newFileStore(rs, log).(*recordings.LocalStore); !ok {
		t.Errorf("without MEET_S3_ENDPOINT: %T, want the local store", newFileStore(rs, log))
	}
	rs.S3 = config.S3{Endpoint: "http://127.0.0.1:9000", Bucket: "meet", Region: "us-east-1", Prefix: "recordings", PathStyle: true}
	if _, ok := newFileStore(rs, log).(*objectstore.S3); !ok {
		t.Errorf("with MEET_S3_ENDPOINT: %T, want the S3 store", newFileStore(rs, log))
	}
}
