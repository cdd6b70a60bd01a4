package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/files"
	"meet/internal/rooms"
)

// apiPrefix is the root of the API La Suite Meet's clients call.
const apiPrefix = "/api/v1.0"

// fileCreatorBody is the reference's UserLightSerializer.
type fileCreatorBody struct {
	ID        string `json:"id"`
	FullName  string `json:"full_name"`
	ShortName string `json:"short_name"`
}

// fileAbilities are what the caller (always the file's creator) may do.
// update and partial_update are false: meet does not serve file updates.
type fileAbilities struct {
	Destroy       bool `json:"destroy"`
	MediaAuth     bool `json:"media_auth"`
	PartialUpdate bool `json:"partial_update"`
	Retrieve      bool `json:"retrieve"`
	Update        bool `json:"update"`
	UploadEnded   bool `json:"upload_ended"`
}

// fileBody is the reference's ListFileSerializer. deleted_at and
// hard_deleted_at are always null (meet deletes files at once) and
// description always null (nothing sets it).
type fileBody struct {
	ID            string            `json:"id"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
	Title         string            `json:"title"`
	Type          files.Type        `json:"type"`
	Creator       fileCreatorBody   `json:"creator"`
	DeletedAt     *string           `json:"deleted_at"`
	HardDeletedAt *string           `json:"hard_deleted_at"`
	Filename      string            `json:"filename"`
	UploadState   files.UploadState `json:"upload_state"`
	Mimetype      string            `json:"mimetype"`
	Size          *int64            `json:"size"`
	Description   *string           `json:"description"`
	// URL is where the ready file is read (null before): the reference's
	// MEDIA_URL + key, served by meet to the creator.
	URL       *string       `json:"url"`
	Abilities fileAbilities `json:"abilities"`
}

// fileCreatedBody is the create reply: the file and where to send its bytes.
type fileCreatedBody struct {
	fileBody
	// Policy is the URL the bytes are PUT to (the reference's presigned URL).
	Policy string `json:"policy"`
}

func (s *Server) fileJSON(f *files.File) fileBody {
	b := fileBody{
		ID: f.ID, CreatedAt: apiTime(f.CreatedAt), UpdatedAt: apiTime(f.UpdatedAt), Title: f.Title, Type: f.Type,
		Creator:  fileCreatorBody{ID: f.Creator.ID, FullName: f.Creator.FullName, ShortName: f.Creator.ShortName},
		Filename: f.Filename, UploadState: f.UploadState, Mimetype: f.Mimetype, Size: f.Size,
		Abilities: fileAbilities{Destroy: true, MediaAuth: true, Retrieve: true, UploadEnded: f.UploadState == files.Pending},
	}
	if f.UploadState == files.Ready {
		u := s.absoluteURL(files.MediaPrefix+f.Key(), nil)
		b.URL = &u
	}
	return b
}

// filesOn answers 404 {"detail":"Not found."} on every files route while
// uploads are off (the reference's FILE_UPLOAD_ENABLED), then 401 to
// anonymous callers unless open (the upload, whose URL is its credential).
func (s *Server) filesOn(open bool, f func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if !s.Files.Enabled() {
			return apperr.New(apperr.NotFound, files.NotFoundMessage)
		}
		p := auth.FromContext(r.Context())
		if !open && !p.Authenticated() {
			return errNoCredentials
		}
		return f(w, r, p)
	})
}

// fileID is the {id} of the path in canonical form; anything but a UUID is
// no file's.
func fileID(r *http.Request) (string, error) {
	id, ok := rooms.CanonicalUUID(r.PathValue("id"))
	if !ok {
		return "", apperr.New(apperr.NotFound, files.NotFoundMessage)
	}
	return id, nil
}

// fileListQuery reads the list's filters (type, upload_state) and ordering.
func fileListQuery(q url.Values) (files.ListQuery, error) {
	var lq files.ListQuery
	problems := apperr.Fields{}
	if v := q.Get("type"); v != "" {
		if !files.ValidType(v) {
			problems.Add("type", "Select a valid choice. "+v+" is not one of the available choices.")
		}
		lq.Type = files.Type(v)
	}
	if v := q.Get("upload_state"); v != "" {
		if !files.ValidUploadState(v) {
			problems.Add("upload_state", "Select a valid choice. "+v+" is not one of the available choices.")
		}
		lq.UploadState = files.UploadState(v)
	}
	for _, o := range files.Orderings {
		if q.Get("ordering") == o {
			lq.Ordering = o
		}
	}
	return lq, problems.Err()
}

// handleFileList is GET files/: the caller's files, newest change first.
func (s *Server) handleFileList() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		lq, err := fileListQuery(r.URL.Query())
		if err != nil {
			return err
		}
		env, err := s.listPage(r, func(page rooms.Page) (any, int, error) {
			lq.Limit, lq.Offset = page.Size, page.Offset()
			list, total, err := s.Files.List(r.Context(), p, lq)
			out := make([]fileBody, 0, len(list))
			for i := range list {
				out = append(out, s.fileJSON(&list[i]))
			}
			return out, total, err
		})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, env)
		return nil
	})
}

// parseFileCreate reads POST files/'s body: type and filename required,
// title and id optional.
func parseFileCreate(body jsonObject) (files.CreateInput, error) {
	var in files.CreateInput
	problems := apperr.Fields{}
	t, ok, err := body.choice("type", files.ValidType)
	switch {
	case err != nil:
		problems.Merge(err)
	case !ok:
		problems.Add("type", "This field is required.")
	}
	in.Type = files.Type(t)
	name, ok, err := body.str("filename")
	switch {
	case err != nil:
		problems.Merge(err)
	case !ok:
		problems.Add("filename", "This field is required.")
	case name == "":
		problems.Add("filename", "This field may not be blank.")
	case utf8.RuneCountInString(name) > 255:
		problems.Add("filename", "Ensure this field has no more than 255 characters.")
	}
	in.Filename = name
	title, _, err := body.str("title")
	switch {
	case err != nil:
		problems.Merge(err)
	case utf8.RuneCountInString(title) > 255:
		problems.Add("title", "Ensure this field has no more than 255 characters.")
	}
	in.Title = title
	if id, ok, err := body.str("id"); err != nil {
		problems.Merge(err)
	} else if ok {
		canon, valid := rooms.CanonicalUUID(id)
		if !valid {
			problems.Add("id", "Must be a valid UUID.")
		}
		in.ID = canon
	}
	return in, problems.Err()
}

// handleFileCreate is POST files/: a pending file and the URL its bytes go to.
func (s *Server) handleFileCreate() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		body, err := decodeObject(r)
		if err != nil {
			return err
		}
		in, err := parseFileCreate(body)
		if err != nil {
			return err
		}
		f, g, err := s.Files.Create(r.Context(), p, in)
		if err != nil {
			return err
		}
		if f, err = s.Files.Get(r.Context(), p, f.ID); err != nil { // with its creator's names
			return err
		}
		q := url.Values{}
		q.Set("expires", strconv.FormatInt(g.Expires, 10))
		q.Set("signature", g.Signature)
		writeJSON(w, http.StatusCreated, fileCreatedBody{
			fileBody: s.fileJSON(f),
			Policy:   s.absoluteURL(apiPrefix+"/files/"+f.ID+"/upload/", q),
		})
		return nil
	})
}

// handleFileRetrieve is GET files/{id}/ (the creator only; 404 for others).
func (s *Server) handleFileRetrieve() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		id, err := fileID(r)
		if err != nil {
			return err
		}
		f, err := s.Files.Get(r.Context(), p, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.fileJSON(f))
		return nil
	})
}

// handleFileDelete is DELETE files/{id}/: the bytes, then the row.
func (s *Server) handleFileDelete() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		id, err := fileID(r)
		if err != nil {
			return err
		}
		if err := s.Files.Delete(r.Context(), p, id); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// handleFileUpload is PUT files/{id}/upload/?expires=&signature= (the
// create reply's policy): the raw bytes, checked before they are stored.
// The signed URL is the credential, as a presigned S3 URL is; it is
// throttled per client address.
func (s *Server) handleFileUpload() http.Handler {
	return s.filesOn(true, func(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
		if err := s.throttle(r, "file_upload", s.FilePerMinute); err != nil {
			return err
		}
		id, err := fileID(r)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		if _, err := s.Files.Upload(r.Context(), id, q.Get("expires"), q.Get("signature"), r.Body); err != nil {
			return err
		}
		w.WriteHeader(http.StatusOK)
		return nil
	})
}

// handleFileUploadEnded is POST files/{id}/upload-ended/: the file turns ready.
func (s *Server) handleFileUploadEnded() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		id, err := fileID(r)
		if err != nil {
			return err
		}
		f, err := s.Files.UploadEnded(r.Context(), p, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.fileJSON(f))
		return nil
	})
}

// handleFileMediaAuth is GET files/media-auth/, a reverse proxy's
// auth_request sub-request for X-Original-URL: a bare 200 "authorized"
// (meet serves the bytes itself, so there are no S3 headers to forward).
func (s *Server) handleFileMediaAuth() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		if err := s.Files.MediaAuth(r.Context(), p, r.Header.Get("X-Original-URL")); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, "authorized")
		return nil
	})
}

// handleFileContent is GET /media/files/{name}: a ready file's bytes for
// its creator, the target of the file's url.
func (s *Server) handleFileContent() http.Handler {
	return s.filesOn(false, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		f, b, err := s.Files.Content(r.Context(), p, r.PathValue("name"))
		if err != nil {
			return err
		}
		defer b.Close()
		info, err := b.Stat()
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", f.Mimetype)
		// no-cache: the browser keeps the image but asks again each time
		// (a 304 when unchanged), so a removed file or a signed-out person
		// no longer sees it from the cache.
		w.Header().Set("Cache-Control", "private, no-cache")
		w.Header().Set("Content-Disposition", "inline")
		http.ServeContent(w, r, "", info.ModTime(), b)
		return nil
	})
}
