package files

import (
	"context"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Type is what a file is for (the reference's FileTypeChoices).
type Type string

// BackgroundImage is a custom virtual background, the only type so far.
const BackgroundImage Type = "background_image"

// ValidType reports whether t is a known file type.
func ValidType(t string) bool { return Type(t) == BackgroundImage }

// UploadState is where a file is in its upload (FileUploadStateChoices).
type UploadState string

// The upload states. Analyzing is the reference's malware-scan state; meet
// checks files while they are received, so it never stores it, but clients
// may filter on it.
const (
	Pending   UploadState = "pending"
	Analyzing UploadState = "analyzing"
	Ready     UploadState = "ready"
)

// ValidUploadState reports whether s is a known upload state.
func ValidUploadState(s string) bool {
	switch UploadState(s) {
	case Pending, Analyzing, Ready:
		return true
	}
	return false
}

// Folder is the key prefix of every file's bytes (the reference's
// FILE_UPLOAD_PATH): the object storage's folder, or the local directory's.
const Folder = "files"

// Creator is the light view of the user who uploaded a file.
type Creator struct {
	ID        string
	FullName  string
	ShortName string
}

// File is one uploaded file.
type File struct {
	ID          string
	Type        Type
	Title       string
	Creator     Creator
	Filename    string
	UploadState UploadState
	// Mimetype is guessed from the file name's extension at creation, then
	// replaced by the type the bytes were found to be.
	Mimetype string
	// Size is the byte count once the bytes are stored (nil before).
	Size      *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Ext is the file name's extension, lower-cased, with its dot ("" for none).
func (f *File) Ext() string { return Ext(f.Filename) }

// Key is where the file's bytes are stored: files/<id><ext>.
func (f *File) Key() string { return Folder + "/" + f.ID + f.Ext() }

// Ext is the lower-cased extension of a file name, with its dot; a name
// that is only an extension (".png", a hidden file) has none.
func Ext(name string) string {
	ext := path.Ext(name)
	if ext == name || ext == "." {
		return ""
	}
	return strings.ToLower(ext)
}

// ListQuery selects and orders one page of a user's files.
type ListQuery struct {
	Type        Type        // "" for every type
	UploadState UploadState // "" for every state
	// Ordering is created_at, updated_at or title, with "-" for descending
	// ("" is -updated_at, the reference's default).
	Ordering string
	Limit    int
	Offset   int
}

// Orderings are the values ListQuery.Ordering accepts.
var Orderings = []string{"created_at", "-created_at", "updated_at", "-updated_at", "title", "-title"}

// Store keeps files' rows.
//
// CreateFile stores a new pending file unless its creator already has
// limit files of its type (limit < 1: no limit), which is apperr.Forbidden
// with TooManyMessage; an ID in use is apperr.Invalid on field "id". The
// count and the insert are one transaction. FileByID returns
// apperr.NotFound for an unknown file. SetUploaded records the stored
// bytes' mimetype and size of a pending file, and MarkReady turns a pending
// file whose bytes are stored ready; both return apperr.NotFound for an
// unknown file and ErrNotPending when the file is not pending (or, for
// MarkReady, has no bytes yet: ErrNotUploaded). DeleteFile removes the row
// (apperr.NotFound when absent).
type Store interface {
	CreateFile(ctx context.Context, f *File, limit int) error
	FileByID(ctx context.Context, id string) (*File, error)
	ListFiles(ctx context.Context, creatorID string, q ListQuery) ([]File, int, error)
	SetUploaded(ctx context.Context, id, mimetype string, size int64) error
	MarkReady(ctx context.Context, id string) error
	DeleteFile(ctx context.Context, id string) error
}

// Blob is a stored file opened for reading; http.ServeContent can serve it.
type Blob interface {
	io.ReadSeekCloser
	Stat() (fs.FileInfo, error)
}

// BlobStore keeps files' bytes under their keys (files/<id><ext>): a local
// directory, or the recordings' object storage. Put replaces any previous
// bytes of the key and leaves nothing behind when it fails; Open returns
// apperr.NotFound for a missing key; Delete of a missing key is no error.
type BlobStore interface {
	Put(ctx context.Context, key string, data []byte, contentType string) error
	Open(ctx context.Context, key string) (Blob, error)
	Delete(ctx context.Context, key string) error
}
