package httpapi_test

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"meet/internal/files"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

// doPath sends a request to an absolute path (outside /api/v1.0, or with
// its own query).
func (c *apiClient) doPath(t testing.TB, method, path string, body any, edit func(r *http.Request)) reply {
	t.Helper()
	req := c.request(t, method, "/", body)
	p, q, _ := strings.Cut(path, "?")
	req.URL.Path, req.URL.RawQuery, req.RequestURI = p, q, path
	if edit != nil {
		edit(req)
	}
	return c.env.serve(req)
}

// fileWant is the expected JSON of a file of owner's, with the id and
// timestamps of the reply r (the clock is the test's).
func fileWant(t testing.TB, r reply, owner *apiClient, filename, title, state, mimetype string, size any) map[string]any {
	t.Helper()
	got, _ := r.decoded(t).(map[string]any)
	id, _ := got["id"].(string)
	var u any
	if state == "ready" {
		u = testPublic + "/media/files/" + id + files.Ext(filename)
	}
	return map[string]any{
		"id": id, "created_at": got["created_at"], "updated_at": got["updated_at"], "title": title,
		"type": "background_image", "filename": filename, "upload_state": state, "mimetype": mimetype, "size": size,
		"creator":    map[string]any{"id": owner.user.ID, "full_name": owner.user.FullName, "short_name": owner.user.ShortName},
		"deleted_at": nil, "hard_deleted_at": nil, "description": nil, "url": u,
		"abilities": map[string]any{"destroy": true, "media_auth": true, "partial_update": false, "retrieve": true,
			"update": false, "upload_ended": state == "pending"},
	}
}

// TestFilesUploadFlow walks the reference's three steps with a PNG and a
// JPEG: create, PUT to the policy URL, upload-ended; then reads, lists,
// hides the file from others and deletes it with its bytes.
func TestFilesUploadFlow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newFileEnv(t, e)
		owner, other := env.userClient(t, "alice"), env.userClient(t, "bob")
		for _, tc := range []struct {
			filename, title, mimetype string
			data                      []byte
		}{
			{"Beach.PNG", "Beach", "image/png", pngImage(t, 32, 18)},
			{"office.jpg", "office", "image/jpeg", jpegImage(t, 40, 30)},
		} {
			t.Run(tc.filename, func(t *testing.T) {
				r := owner.do(t, http.MethodPost, "/files/", map[string]any{"type": "background_image", "filename": tc.filename})
				want := fileWant(t, r, owner, tc.filename, tc.title, "pending", tc.mimetype, nil)
				got, _ := r.decoded(t).(map[string]any)
				id, _ := want["id"].(string)
				policy, _ := got["policy"].(string)
				if !strings.HasPrefix(policy, testPublic+apiV1+"/files/"+id+"/upload/?expires=") || !strings.Contains(policy, "&signature=") {
					t.Fatalf("policy = %q", policy)
				}
				want["policy"] = policy
				expect(t, r, http.StatusCreated, want)

				// The bytes, as a presigned PUT: no session, no CSRF header.
				put := env.anonymous().do(t, http.MethodPut, policyPath(t, policy), tc.data)
				if put.status != http.StatusOK || len(put.body) != 0 {
					t.Fatalf("PUT policy = %d %s", put.status, put.body)
				}
				r = owner.do(t, http.MethodGet, "/files/"+id+"/", nil)
				expect(t, r, http.StatusOK, fileWant(t, r, owner, tc.filename, tc.title, "pending", tc.mimetype, len(tc.data)))
				media := "/media/files/" + id + files.Ext(tc.filename)
				expect(t, owner.doPath(t, http.MethodGet, media, nil, nil), http.StatusNotFound, map[string]any{"detail": "Not found."})

				r = owner.do(t, http.MethodPost, "/files/"+id+"/upload-ended/", nil)
				ready := fileWant(t, r, owner, tc.filename, tc.title, "ready", tc.mimetype, len(tc.data))
				expect(t, r, http.StatusOK, ready)
				expect(t, owner.do(t, http.MethodPost, "/files/"+id+"/upload-ended/", nil), http.StatusBadRequest,
					map[string]any{"file": "This action is only available for files in PENDING state."})
				expect(t, owner.do(t, http.MethodGet, "/files/?type=background_image&upload_state=ready", nil), http.StatusOK,
					map[string]any{"count": 1, "next": nil, "previous": nil, "results": []any{ready}})

				// The bytes, to their creator only.
				got2 := owner.doPath(t, http.MethodGet, media, nil, nil)
				if got2.status != http.StatusOK || got2.header.Get("Content-Type") != tc.mimetype || !bytes.Equal(got2.body, tc.data) {
					t.Fatalf("GET %s = %d %q, %d bytes", media, got2.status, got2.header.Get("Content-Type"), len(got2.body))
				}
				// Kept by the browser but checked again on each use: unchanged is a
				// bodiless 304, to the owner only.
				if cc := got2.header.Get("Cache-Control"); cc != "private, no-cache" {
					t.Fatalf("Cache-Control = %q", cc)
				}
				since := func(r *http.Request) { r.Header.Set("If-Modified-Since", got2.header.Get("Last-Modified")) }
				if again := owner.doPath(t, http.MethodGet, media, nil, since); again.status != http.StatusNotModified || len(again.body) != 0 {
					t.Fatalf("GET %s again = %d, %d bytes; want 304 and no body", media, again.status, len(again.body))
				}
				expect(t, other.doPath(t, http.MethodGet, media, nil, since), http.StatusNotFound, map[string]any{"detail": "Not found."})
				auth := func(r *http.Request) { r.Header.Set("X-Original-URL", "https://meet.test"+media) }
				expect(t, owner.doPath(t, http.MethodGet, apiV1+"/files/media-auth/", nil, auth), http.StatusOK, "authorized")

				notFound := map[string]any{"detail": "Not found."}
				expect(t, other.do(t, http.MethodGet, "/files/"+id+"/", nil), http.StatusNotFound, notFound)
				expect(t, other.do(t, http.MethodPost, "/files/"+id+"/upload-ended/", nil), http.StatusNotFound, notFound)
				expect(t, other.do(t, http.MethodDelete, "/files/"+id+"/", nil), http.StatusNotFound, notFound)
				expect(t, other.doPath(t, http.MethodGet, media, nil, nil), http.StatusNotFound, notFound)
				expect(t, other.doPath(t, http.MethodGet, apiV1+"/files/media-auth/", nil, auth), http.StatusNotFound, notFound)
				expect(t, other.do(t, http.MethodGet, "/files/", nil), http.StatusOK,
					map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
				noCreds := map[string]any{"detail": noCredentials}
				expect(t, env.anonymous().do(t, http.MethodGet, "/files/", nil), http.StatusUnauthorized, noCreds)
				expect(t, env.anonymous().doPath(t, http.MethodGet, media, nil, nil), http.StatusUnauthorized, noCreds)

				// Delete: the row and the bytes.
				path, err := env.blobs.Path(files.Folder + "/" + id + files.Ext(tc.filename))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(path); err != nil {
					t.Fatalf("stored bytes: %v", err)
				}
				expectEmpty(t, owner.do(t, http.MethodDelete, "/files/"+id+"/", nil), http.StatusNoContent)
				if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("bytes after delete: %v, want them gone", err)
				}
				expect(t, owner.do(t, http.MethodGet, "/files/"+id+"/", nil), http.StatusNotFound, notFound)
				expect(t, owner.doPath(t, http.MethodGet, media, nil, nil), http.StatusNotFound, notFound)
				expect(t, owner.do(t, http.MethodDelete, "/files/"+id+"/", nil), http.StatusNotFound, notFound)
			})
		}
	})
}

// storedNames lists what the file store's directory holds.
func storedNames(t testing.TB, env *fileEnv) []string {
	t.Helper()
	p, err := env.blobs.Path(files.Folder + "/x.png")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(p))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// webpLossless is the header of a lossless 3×2 WebP image.
func webpLossless() []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8L\x0a\x00\x00\x00\x2f")
	dims := uint32(3-1) | uint32(2-1)<<14
	b = append(b, byte(dims), byte(dims>>8), byte(dims>>16), byte(dims>>24), 0, 0, 0, 0, 0, 0)
	size := uint32(len(b) - 8)
	b[4], b[5], b[6], b[7] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
	return b
}

// TestFilesUploadRefused sends bytes that must not become a background:
// each gets 400 naming the field and the reason, and neither the row nor
// any byte stays.
func TestFilesUploadRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newFileEnv(t, e)
		owner := env.userClient(t, "carol")
		big := pngImage(t, 40, 40)
		if len(big) <= int(fileRules.MaxSize) {
			t.Fatalf("the big image is only %d bytes", len(big))
		}
		for _, tc := range []struct {
			name, filename string
			data           []byte
			reason         string
		}{
			{"renamed text file", "notes.png", []byte("hello, these are notes, not pixels\n"), files.TypeMessage},
			{"PNG magic, broken header", "broken.png", append([]byte("\x89PNG\r\n\x1a\n"), "garbage follows"...), files.NotImageMessage},
			{"too big", "huge.png", big, files.TooBigMessage},
			{"JPEG named .png", "photo.png", jpegImage(t, 8, 8), files.MismatchMessage},
			{"PNG named .jpg", "photo.jpg", pngImage(t, 8, 8), files.MismatchMessage},
			{"WebP not allowed", "anim.png", webpLossless(), files.TypeMessage},
			{"empty", "empty.png", []byte{}, files.EmptyMessage},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := owner.do(t, http.MethodPost, "/files/", map[string]any{"type": "background_image", "filename": tc.filename})
				if r.status != http.StatusCreated {
					t.Fatalf("create = %d %s", r.status, r.body)
				}
				body, _ := r.decoded(t).(map[string]any)
				id, _ := body["id"].(string)
				put := env.anonymous().do(t, http.MethodPut, policyPath(t, body["policy"].(string)), tc.data)
				expect(t, put, http.StatusBadRequest, map[string]any{"file": []any{tc.reason}})
				expect(t, owner.do(t, http.MethodGet, "/files/"+id+"/", nil), http.StatusNotFound, map[string]any{"detail": "Not found."})
				if names := storedNames(t, env); len(names) != 0 {
					t.Fatalf("the store holds %v after a refused upload", names)
				}
			})
		}
		expect(t, owner.do(t, http.MethodGet, "/files/", nil), http.StatusOK,
			map[string]any{"count": 0, "next": nil, "previous": nil, "results": []any{}})
	})
}

// TestFilesCreateRefused covers the create step's checks: body fields, the
// extension whitelist, a forced id in use, and the per-user count.
func TestFilesCreateRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		env := newFileEnv(t, e)
		owner := env.userClient(t, "dave")
		ext := map[string]any{"filename": []any{files.ExtensionMessage}}
		for _, tc := range []struct {
			name string
			body any
			want any
		}{
			{"wrong extension", map[string]any{"type": "background_image", "filename": "doc.txt"}, ext},
			{"no extension", map[string]any{"type": "background_image", "filename": "picture"}, ext},
			{"hidden file", map[string]any{"type": "background_image", "filename": ".png"}, ext},
			{"webp not in the rules", map[string]any{"type": "background_image", "filename": "a.webp"}, ext},
			{"no filename", map[string]any{"type": "background_image", "title": "x"}, map[string]any{"filename": []any{"This field is required."}}},
			{"no type", map[string]any{"filename": "a.png"}, map[string]any{"type": []any{"This field is required."}}},
			{"unknown type", map[string]any{"type": "avatar", "filename": "a.png"}, map[string]any{"type": []any{`"avatar" is not a valid choice.`}}},
			{"bad id", map[string]any{"id": "nope", "type": "background_image", "filename": "a.png"}, map[string]any{"id": []any{"Must be a valid UUID."}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expect(t, owner.do(t, http.MethodPost, "/files/", tc.body), http.StatusBadRequest, tc.want)
			})
		}

		forced := "0b7e4c52-3c5e-4d0f-9a43-2f1e8a9c0d11"
		r := owner.do(t, http.MethodPost, "/files/", map[string]any{"id": forced, "type": "background_image", "filename": "a.png"})
		if r.status != http.StatusCreated || r.decoded(t).(map[string]any)["id"] != forced {
			t.Fatalf("create with a forced id = %d %s", r.status, r.body)
		}
		other := env.userClient(t, "erin")
		expect(t, other.do(t, http.MethodPost, "/files/", map[string]any{"id": forced, "type": "background_image", "filename": "b.png"}),
			http.StatusBadRequest, map[string]any{"id": []any{files.IDExistsMessage}})

		// The count: three per user (fileRules), pending files included.
		for i := range 2 {
			if r := owner.do(t, http.MethodPost, "/files/", map[string]any{"type": "background_image", "filename": "n" + strconv.Itoa(i) + ".png"}); r.status != http.StatusCreated {
				t.Fatalf("create %d = %d %s", i, r.status, r.body)
			}
		}
		over := map[string]any{"type": "background_image", "filename": "over.png"}
		expect(t, owner.do(t, http.MethodPost, "/files/", over), http.StatusForbidden, map[string]any{"detail": files.TooManyMessage})
		if r := other.do(t, http.MethodPost, "/files/", over); r.status != http.StatusCreated {
			t.Fatalf("another user's first file = %d %s", r.status, r.body)
		}
		expectEmpty(t, owner.do(t, http.MethodDelete, "/files/"+forced+"/", nil), http.StatusNoContent)
		if r := owner.do(t, http.MethodPost, "/files/", over); r.status != http.StatusCreated {
			t.Fatalf("create after a delete = %d %s", r.status, r.body)
		}
		list := owner.do(t, http.MethodGet, "/files/", nil).decoded(t).(map[string]any)
		if list["count"] != 3.0 {
			t.Fatalf("owner's files: %v", list)
		}
	})
}

// TestFilesUploadGrant checks the policy URL is the upload's credential:
// a wrong or expired signature is refused, a session without a CSRF header
// is accepted, and upload-ended before the bytes says so.
func TestFilesUploadGrant(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storagetest.Engine) {
		clock := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		fe := &fileEnv{blobs: files.NewLocalBlobs(t.TempDir())}
		fe.apiEnv = newAPIEnv(t, e, withFiles(fe.blobs, fileRules, func() time.Time { return clock }, &fe.svc))
		owner := fe.userClient(t, "frank")
		r := owner.do(t, http.MethodPost, "/files/", map[string]any{"type": "background_image", "filename": "a.png"})
		body, _ := r.decoded(t).(map[string]any)
		id, _ := body["id"].(string)
		policy := policyPath(t, body["policy"].(string))
		if want := "expires=" + strconv.FormatInt(clock.Add(time.Minute).Unix(), 10); !strings.Contains(policy, want) {
			t.Fatalf("policy %s does not expire in a minute (%s)", policy, want)
		}
		expect(t, owner.do(t, http.MethodPost, "/files/"+id+"/upload-ended/", nil), http.StatusBadRequest,
			map[string]any{"file": []any{files.NotUploadedMesage}})

		bad := map[string]any{"detail": files.BadGrantMessage}
		tampered := strings.Replace(policy, "signature=", "signature=0", 1)
		expect(t, fe.anonymous().do(t, http.MethodPut, tampered, pngImage(t, 4, 4)), http.StatusForbidden, bad)
		other := strings.Replace(policy, id, "0b7e4c52-3c5e-4d0f-9a43-2f1e8a9c0d11", 1)
		expect(t, fe.anonymous().do(t, http.MethodPut, other, pngImage(t, 4, 4)), http.StatusForbidden, bad)

		// With the session cookie and no CSRF header, as a browser's fetch
		// to a presigned URL sends it.
		req := owner.request(t, http.MethodPut, policy, pngImage(t, 4, 4))
		req.Header.Del(httpapi.CSRFHeader)
		if r := fe.serve(req); r.status != http.StatusOK {
			t.Fatalf("PUT with a session and no CSRF header = %d %s", r.status, r.body)
		}
		clock = clock.Add(time.Minute + time.Second)
		expect(t, fe.anonymous().do(t, http.MethodPut, policy, pngImage(t, 4, 4)), http.StatusForbidden, bad)
		if r := owner.do(t, http.MethodPost, "/files/"+id+"/upload-ended/", nil); r.status != http.StatusOK {
			t.Fatalf("upload-ended = %d %s", r.status, r.body)
		}
	})
}

// TestFilesDisabled: with uploads off every files route is the
// reference's feature-flag 404, before authentication.
func TestFilesDisabled(t *testing.T) {
	env := newAPIEnv(t, storagetest.SQLite)
	owner := env.userClient(t, "gina")
	nf := map[string]any{"detail": "Not found."}
	expect(t, owner.do(t, http.MethodGet, "/files/", nil), http.StatusNotFound, nf)
	expect(t, env.anonymous().do(t, http.MethodPost, "/files/", map[string]any{"type": "background_image", "filename": "a.png"}), http.StatusNotFound, nf)
	expect(t, owner.doPath(t, http.MethodGet, "/media/files/0b7e4c52-3c5e-4d0f-9a43-2f1e8a9c0d11.png", nil, nil), http.StatusNotFound, nf)
}
