// Package objectstore keeps recording files in S3-compatible object storage
// (AWS S3, MinIO, Garage, …) through minio-go. S3 implements
// recordings.FileStore: the recorder still writes to the local recording
// directory, and Put uploads the finished file (multipart above the part
// size, each part with its Content-MD5), confirms the stored object against
// digests of the local file, and only then removes the local copy.
// Downloads stream the object with ranged GETs, so the HTTP layer's range
// support is unchanged. Files (files.BlobStore) keeps uploaded backgrounds
// in the same bucket, under files/ beside the recordings' prefix.
//
// It is an adapter: it imports recordings, files and apperr, and no domain package
// imports it. cmd/meet chooses it when MEET_S3_ENDPOINT is set.
package objectstore
