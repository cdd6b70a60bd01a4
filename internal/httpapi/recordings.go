package httpapi

import (
	"errors"
	"io"
	"net/http"
	"path"
	"time"

	"meet/internal/apperr"
	"meet/internal/auth"
	"meet/internal/recordings"
)

// recordingRoomBody is the room nested in a recording.
type recordingRoomBody struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	AccessLevel string `json:"access_level"`
}

// recordingBody is the reference's RecordingSerializer.
type recordingBody struct {
	ID        string             `json:"id"`
	Room      recordingRoomBody  `json:"room"`
	CreatedAt string             `json:"created_at"`
	UpdatedAt string             `json:"updated_at"`
	Status    recordings.Status  `json:"status"`
	Mode      recordings.Mode    `json:"mode"`
	Options   recordings.Options `json:"options"`
	Key       string             `json:"key"`
	IsExpired bool               `json:"is_expired"`
	ExpiredAt *string            `json:"expired_at"`
}

// apiTime formats a timestamp as the API does: RFC 3339 in UTC.
func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (s *Server) recordingJSON(r *recordings.Recording) recordingBody {
	b := recordingBody{
		ID:        r.ID,
		Room:      recordingRoomBody{ID: r.Room.ID, Name: r.Room.Name, Slug: r.Room.Slug, AccessLevel: string(r.Room.AccessLevel)},
		CreatedAt: apiTime(r.CreatedAt), UpdatedAt: apiTime(r.UpdatedAt),
		Status: r.Status, Mode: r.Mode, Options: r.Options, Key: r.Key(),
		IsExpired: s.Recordings.IsExpired(r),
	}
	if at := s.Recordings.ExpiredAt(r); at != nil {
		v := apiTime(*at)
		b.ExpiredAt = &v
	}
	return b
}

// recordingsOn answers 404 {"detail":"Not found."} on every recording route
// while recordings are off (MEET_RECORDING_ENABLED), before anything else.
func (s *Server) recordingsOn(f func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if !s.Recordings.Enabled() {
			return apperr.New(apperr.NotFound, recordings.NotFoundMessage)
		}
		return f(w, r)
	})
}

// readBody reads a request body of at most maxBodyBytes.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.New(apperr.Invalid, "Request body is larger than "+itoa(maxBodyBytes)+" bytes.")
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, "Could not read the request body.", err)
	}
	return b, nil
}

// handleRecordingStart is POST rooms/{id}/start-recording/: feature flag,
// then authentication, then the body (400 {"detail":"Invalid request."}),
// then the room permission, as the reference orders its checks.
func (s *Server) handleRecordingStart() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		if !p.Authenticated() {
			return errNoCredentials
		}
		body, err := readBody(r)
		if err != nil || bodyHoldsNull(body) {
			return apperr.New(apperr.Invalid, recordings.InvalidRequestMessage)
		}
		in, err := recordings.ParseStart(body)
		if err != nil {
			return err
		}
		_, room, err := s.Recordings.Start(r.Context(), p, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, map[string]string{"message": "Recording successfully started for room " + room.Slug})
		return nil
	})
}

// handleRecordingStop is POST rooms/{id}/stop-recording/.
func (s *Server) handleRecordingStop() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		_, room, err := s.Recordings.Stop(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": "Recording stopped for room " + room.Slug + "."})
		return nil
	})
}

func (s *Server) handleRecordingList() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		page, err := pageOf(r)
		if err != nil {
			return err
		}
		list, total, err := s.Recordings.List(r.Context(), auth.FromContext(r.Context()), page)
		if err != nil {
			return err
		}
		out := make([]recordingBody, 0, len(list))
		for i := range list {
			out = append(out, s.recordingJSON(&list[i]))
		}
		env, err := s.pageEnvelope(r, page, total, out)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, env)
		return nil
	})
}

func (s *Server) handleRecordingRetrieve() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		rec, _, err := s.Recordings.Retrieve(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.recordingJSON(rec))
		return nil
	})
}

func (s *Server) handleRecordingDelete() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.Recordings.Delete(r.Context(), auth.FromContext(r.Context()), r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// handleRecordingDownload is GET recordings/{id}/download/ (our addition):
// the saved file for callers who may retrieve the recording, or for holders
// of a signed URL (?expires=&signature=, handed to the summary service).
// Range requests are served by http.ServeContent.
func (s *Server) handleRecordingDownload() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		var (
			rec *recordings.Recording
			f   recordings.File
			err error
		)
		q := r.URL.Query()
		if sig := q.Get("signature"); sig != "" {
			rec, f, err = s.Recordings.DownloadSigned(r.Context(), r.PathValue("id"), q.Get("expires"), sig)
		} else {
			rec, f, err = s.Recordings.Download(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		}
		if err != nil {
			return err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return err
		}
		name := path.Base(rec.Key())
		ct := "video/mp4"
		if rec.Mode == recordings.Transcript {
			ct = "audio/ogg"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "private, no-store")
		http.ServeContent(w, r, name, info.ModTime(), f)
		return nil
	})
}

// handleRecordingMediaAuth is GET recordings/media-auth/, nginx's
// auth_request sub-request. With the local-directory store it answers a
// bare 200 "authorized" (no S3 signature headers to forward).
func (s *Server) handleRecordingMediaAuth() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.Recordings.MediaAuth(r.Context(), auth.FromContext(r.Context()), r.Header.Get("X-Original-URL")); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, "authorized")
		return nil
	})
}

// handleRecordingStorageHook is POST recordings/storage-hook/.
func (s *Server) handleRecordingStorageHook() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		body, err := readBody(r)
		if err != nil {
			return err
		}
		msg, err := s.Recordings.StorageHook(r.Context(), r.Header.Get("Authorization"), body)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": msg})
		return nil
	})
}

// handleRecordingExternalProcessHook is POST recordings/external-process-hook/.
func (s *Server) handleRecordingExternalProcessHook() http.Handler {
	return s.recordingsOn(func(w http.ResponseWriter, r *http.Request) error {
		body, err := readBody(r)
		if err != nil {
			return err
		}
		if err := s.Recordings.ExternalProcessHook(r.Context(), r.Header.Get("Authorization"), body); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": recordings.EventProcessedMessage})
		return nil
	})
}
