package files

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
)

// Messages of the reference that clients may show or match.
const (
	NotFoundMessage   = "Not found."
	TooManyMessage    = "You have reached the maximum number of files for this type."
	ExtensionMessage  = "This file extension is not allowed."
	IDExistsMessage   = "A file with this ID already exists. You cannot override it."
	NotPendingMessage = "This action is only available for files in PENDING state."
	TooBigMessage     = "The file size is higher than the allowed max size."
	TypeMessage       = "The file type is not allowed."
	NotImageMessage   = "The file is not a valid image."
	MismatchMessage   = "The file content does not match its extension."
	EmptyMessage      = "The submitted file is empty."
	NotUploadedMesage = "The file has not been uploaded yet."
	BadGrantMessage   = "Invalid or expired upload URL."
)

// Errors the Store returns for a file in the wrong state.
var (
	// ErrNotPending: the action needs a pending file (400 {"file": "..."}).
	ErrNotPending = apperr.Keyed(apperr.Invalid, "file", NotPendingMessage)
	// ErrNotUploaded: upload-ended came before the bytes.
	ErrNotUploaded = apperr.Field("file", NotUploadedMesage)
)

// errNotFound hides other people's files and unknown ones alike.
var errNotFound = apperr.New(apperr.NotFound, NotFoundMessage)

// Rules are the upload rules of background images (the reference's
// FILE_UPLOAD_RESTRICTIONS["background_image"]), also shown in config/.
type Rules struct {
	MaxSize           int64
	MaxCountByUser    int
	AllowedExtensions []string // with their dot: ".png"
	AllowedMimetypes  []string
}

// Options configure a Service.
type Options struct {
	// Enabled serves files/ (the reference's FILE_UPLOAD_ENABLED); off, the
	// service answers every call with 404 {"detail": "Not found."}.
	Enabled bool
	Rules   Rules
	// SigningKey signs upload grants; empty refuses every upload.
	SigningKey []byte
	// GrantTTL is how long an upload grant lasts (default one minute, the
	// reference's AWS_S3_UPLOAD_POLICY_EXPIRATION).
	GrantTTL time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
}

// Service runs the files API's rules.
type Service struct {
	store Store
	blobs BlobStore
	opts  Options
}

// NewService returns a Service over store and blobs.
func NewService(store Store, blobs BlobStore, o Options) *Service {
	if o.GrantTTL <= 0 {
		o.GrantTTL = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, blobs: blobs, opts: o}
}

// Enabled reports whether files/ is served.
func (s *Service) Enabled() bool { return s != nil && s.opts.Enabled }

// CreateInput is the body of POST files/.
type CreateInput struct {
	ID       string // "" draws one
	Type     Type
	Title    string // "" takes the file name without its extension
	Filename string
}

// Create stores a pending file of p's and returns it with its upload grant.
// The extension must be allowed, and p must have fewer than the allowed
// count of files of that type.
func (s *Service) Create(ctx context.Context, p auth.Principal, in CreateInput) (*File, Grant, error) {
	ext := Ext(in.Filename)
	if !slices.Contains(s.opts.Rules.AllowedExtensions, ext) || ext == "" {
		return nil, Grant{}, apperr.Field("filename", ExtensionMessage)
	}
	title := in.Title
	if title == "" {
		title = strings.TrimSuffix(in.Filename, in.Filename[len(in.Filename)-len(ext):])
	}
	f := &File{ID: in.ID, Type: in.Type, Title: title, Creator: Creator{ID: p.UserID}, Filename: in.Filename,
		UploadState: Pending, Mimetype: MimetypeOfExt(ext)}
	if err := s.store.CreateFile(ctx, f, s.opts.Rules.MaxCountByUser); err != nil {
		return nil, Grant{}, err
	}
	return f, s.grant(f.ID), nil
}

// Get returns p's file id; anyone else's, or an unknown one, is not found.
func (s *Service) Get(ctx context.Context, p auth.Principal, id string) (*File, error) {
	f, err := s.store.FileByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && f.Creator.ID != p.UserID) {
		return nil, errNotFound
	}
	return f, err
}

// List returns one page of p's files and their count.
func (s *Service) List(ctx context.Context, p auth.Principal, q ListQuery) ([]File, int, error) {
	return s.store.ListFiles(ctx, p.UserID, q)
}

// Upload receives a file's bytes through its grant (no session needed: the
// grant is the credential, as a presigned URL is). The bytes must be a PNG,
// JPEG or WebP image with an allowed mimetype matching the file name's
// extension, and no larger than the maximum. A file that fails is removed
// with its row; one that passes is stored and stays pending until
// UploadEnded.
func (s *Service) Upload(ctx context.Context, id, expires, signature string, body io.Reader) (*File, error) {
	if !s.verify(id, expires, signature) {
		return nil, apperr.New(apperr.Forbidden, BadGrantMessage)
	}
	f, err := s.store.FileByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.UploadState != Pending {
		return nil, ErrNotPending
	}
	data, err := io.ReadAll(io.LimitReader(body, s.opts.Rules.MaxSize+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "Could not read the request body.", err)
	}
	if reason := s.check(f, data); reason != "" {
		s.opts.Log.InfoContext(ctx, "file upload refused", "file_id", f.ID, "reason", reason, "size", len(data))
		if err := s.store.DeleteFile(ctx, f.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return nil, apperr.Field("file", reason)
	}
	mt, _ := Sniff(data)
	if err := s.blobs.Put(ctx, f.Key(), data, mt); err != nil {
		return nil, err
	}
	if err := s.store.SetUploaded(ctx, f.ID, mt, int64(len(data))); err != nil {
		// Deleted or finished meanwhile: the bytes must not outlive the row.
		if derr := s.blobs.Delete(ctx, f.Key()); derr != nil {
			s.opts.Log.ErrorContext(ctx, "file bytes left after a failed upload", "key", f.Key(), "err", derr)
		}
		return nil, err
	}
	size := int64(len(data))
	f.Mimetype, f.Size = mt, &size
	return f, nil
}

// check returns why data cannot be f's bytes ("" when it can).
func (s *Service) check(f *File, data []byte) string {
	r := s.opts.Rules
	switch {
	case len(data) == 0:
		return EmptyMessage
	case int64(len(data)) > r.MaxSize:
		return TooBigMessage
	}
	mt, err := Sniff(data)
	switch {
	case errors.Is(err, errUnknownType):
		return TypeMessage
	case err != nil:
		return NotImageMessage
	case !slices.Contains(r.AllowedMimetypes, mt):
		return TypeMessage
	case !extMatches(mt, f.Ext()):
		return MismatchMessage
	}
	return ""
}

// UploadEnded turns p's pending file, whose bytes are stored, ready.
func (s *Service) UploadEnded(ctx context.Context, p auth.Principal, id string) (*File, error) {
	f, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if f.UploadState != Pending {
		return nil, ErrNotPending
	}
	if err := s.store.MarkReady(ctx, id); err != nil {
		return nil, err
	}
	return s.store.FileByID(ctx, id)
}

// Delete removes p's file: its bytes first, so that a failure leaves the
// row for a retry rather than bytes nobody can reach.
func (s *Service) Delete(ctx context.Context, p auth.Principal, id string) error {
	f, err := s.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if err := s.blobs.Delete(ctx, f.Key()); err != nil {
		return err
	}
	if err := s.store.DeleteFile(ctx, id); err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return nil
}

// Content opens the bytes of p's ready file named <id><ext> (the last
// element of its url).
func (s *Service) Content(ctx context.Context, p auth.Principal, name string) (*File, Blob, error) {
	id, ext, _ := strings.Cut(name, ".")
	f, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	if f.UploadState != Ready || "."+ext != f.Ext() {
		return nil, nil, errNotFound
	}
	b, err := s.blobs.Open(ctx, f.Key())
	if err != nil {
		return nil, nil, err
	}
	return f, b, nil
}

// MediaPrefix is the path under which ready files are served: a file's url
// is MediaPrefix + its key, as the reference's MEDIA_URL + file_key.
const MediaPrefix = "/media/"

// MediaAuth is the reference's files/media-auth/: whether p may read the
// media path of originalURL (the X-Original-URL of a reverse proxy's
// sub-request). A path that is not a file's is 403, another's or an
// unknown file 404, a file not ready 403.
func (s *Service) MediaAuth(ctx context.Context, p auth.Principal, originalURL string) error {
	pathPart, _, _ := strings.Cut(originalURL, "?")
	if i := strings.Index(pathPart, "://"); i >= 0 {
		rest := pathPart[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return apperr.New(apperr.Forbidden, "")
		}
		pathPart = rest[j:]
	}
	name, ok := strings.CutPrefix(pathPart, MediaPrefix+Folder+"/")
	if !ok || name == "" || strings.ContainsAny(name, `/\`) {
		return apperr.New(apperr.Forbidden, "")
	}
	id, ext, _ := strings.Cut(name, ".")
	f, err := s.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if "."+ext != f.Ext() {
		return errNotFound
	}
	if f.UploadState != Ready {
		return apperr.New(apperr.Forbidden, "")
	}
	return nil
}
