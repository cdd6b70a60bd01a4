package storage

import (
	"context"
	"database/sql"
	"strings"

	"meet/internal/apperr"
	"meet/internal/files"
)

// ucFileID is the primary key of files: a client may choose a file's id.
const ucFileID = "files_pkey"

var _ files.Store = (*DB)(nil)

const fileColumns = `f.id, f.type, f.title, f.filename, f.upload_state, f.mimetype, f.size, f.created_at, f.updated_at,
	u.id, u.full_name, u.short_name`

// CreateFile stores a new pending file unless its creator already has
// limit files of its type (limit < 1: no limit). The creator's row is
// locked (PostgreSQL; SQLite's write transactions are serialized) so that
// two uploads at once cannot both pass the count. An empty ID is drawn.
func (db *DB) CreateFile(ctx context.Context, f *files.File, limit int) error {
	if f.ID == "" {
		f.ID = newID()
	}
	now := db.timestamp()
	return db.write(ctx, "create file", func(t *txn) error {
		var one int
		err := t.queryRow(ctx, "SELECT 1 FROM users WHERE id = ?"+t.d.forUpdate(), f.Creator.ID).Scan(&one)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, "No user matches the given query.")
		}
		if err != nil {
			return err
		}
		if limit > 0 {
			var n int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM files WHERE creator_id = ? AND type = ?",
				f.Creator.ID, string(f.Type)).Scan(&n); err != nil {
				return err
			}
			if n >= limit {
				return apperr.New(apperr.Forbidden, files.TooManyMessage)
			}
		}
		var taken int
		err = t.queryRow(ctx, "SELECT 1 FROM files WHERE id = ?", f.ID).Scan(&taken)
		if err == nil {
			return apperr.Field("id", files.IDExistsMessage)
		}
		if err != sql.ErrNoRows {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO files (id, creator_id, type, title, filename, upload_state, mimetype, size, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
			f.ID, f.Creator.ID, string(f.Type), f.Title, f.Filename, string(f.UploadState), f.Mimetype, now, now)
		if c, ok := db.d.uniqueViolation(err); ok && c == ucFileID {
			return &apperr.Error{Kind: apperr.Invalid, Fields: apperr.Fields{"id": {files.IDExistsMessage}}, Err: err}
		}
		if err != nil {
			return err
		}
		f.CreatedAt, f.UpdatedAt = now, now
		return nil
	})
}

// FileByID returns the file with that id, with its creator, or apperr.NotFound.
func (db *DB) FileByID(ctx context.Context, id string) (*files.File, error) {
	var list []files.File
	err := db.read(ctx, "file by id", func(t *txn) error {
		var err error
		list, err = queryFiles(ctx, t, "WHERE f.id = ?", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, apperr.New(apperr.NotFound, files.NotFoundMessage)
	}
	return &list[0], nil
}

// fileOrderings maps files.ListQuery.Ordering to ORDER BY clauses; the id
// breaks ties so that pages never overlap.
var fileOrderings = map[string]string{
	"created_at": "f.created_at, f.id", "-created_at": "f.created_at DESC, f.id",
	"updated_at": "f.updated_at, f.id", "-updated_at": "f.updated_at DESC, f.id",
	"title": "f.title, f.id", "-title": "f.title DESC, f.id",
}

// ListFiles returns one page of creatorID's files, filtered and ordered as
// q says, and how many match.
func (db *DB) ListFiles(ctx context.Context, creatorID string, q files.ListQuery) ([]files.File, int, error) {
	where := []string{"f.creator_id = ?"}
	args := []any{creatorID}
	if q.Type != "" {
		where, args = append(where, "f.type = ?"), append(args, string(q.Type))
	}
	if q.UploadState != "" {
		where, args = append(where, "f.upload_state = ?"), append(args, string(q.UploadState))
	}
	order, ok := fileOrderings[q.Ordering]
	if !ok {
		order = fileOrderings["-updated_at"]
	}
	cond := "WHERE " + strings.Join(where, " AND ")
	var (
		list  []files.File
		total int
	)
	err := db.read(ctx, "list files", func(t *txn) error {
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM files f "+cond, args...).Scan(&total); err != nil {
			return err
		}
		var err error
		list, err = queryFiles(ctx, t, cond+" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// SetUploaded records the stored bytes of a pending file.
func (db *DB) SetUploaded(ctx context.Context, id, mimetype string, size int64) error {
	now := db.timestamp()
	return db.write(ctx, "set file uploaded", func(t *txn) error {
		res, err := t.exec(ctx, "UPDATE files SET mimetype = ?, size = ?, updated_at = ? WHERE id = ? AND upload_state = ?",
			mimetype, size, now, id, string(files.Pending))
		if err != nil {
			return err
		}
		return fileStateMiss(ctx, t, res, id, false)
	})
}

// MarkReady turns a pending file whose bytes are stored ready, in one
// statement: of two calls at once, one succeeds and the other finds the
// file no longer pending.
func (db *DB) MarkReady(ctx context.Context, id string) error {
	now := db.timestamp()
	return db.write(ctx, "mark file ready", func(t *txn) error {
		res, err := t.exec(ctx, "UPDATE files SET upload_state = ?, updated_at = ? WHERE id = ? AND upload_state = ? AND size IS NOT NULL",
			string(files.Ready), now, id, string(files.Pending))
		if err != nil {
			return err
		}
		return fileStateMiss(ctx, t, res, id, true)
	})
}

// fileStateMiss explains an update of a pending file that changed nothing:
// the file is unknown, no longer pending, or (needBytes) not uploaded yet.
func fileStateMiss(ctx context.Context, t *txn, res sql.Result, id string, needBytes bool) error {
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var (
		state string
		size  sql.NullInt64
	)
	err := t.queryRow(ctx, "SELECT upload_state, size FROM files WHERE id = ?", id).Scan(&state, &size)
	switch {
	case err == sql.ErrNoRows:
		return apperr.New(apperr.NotFound, files.NotFoundMessage)
	case err != nil:
		return err
	case state != string(files.Pending):
		return files.ErrNotPending
	case needBytes && !size.Valid:
		return files.ErrNotUploaded
	}
	return nil
}

// DeleteFile removes a file's row.
func (db *DB) DeleteFile(ctx context.Context, id string) error {
	return db.write(ctx, "delete file", func(t *txn) error {
		res, err := t.exec(ctx, "DELETE FROM files WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, files.NotFoundMessage)
	})
}

func queryFiles(ctx context.Context, t *txn, tail string, args ...any) ([]files.File, error) {
	rows, err := t.query(ctx, "SELECT "+fileColumns+" FROM files f JOIN users u ON u.id = f.creator_id "+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []files.File{}
	for rows.Next() {
		var (
			f    files.File
			size sql.NullInt64
		)
		if err := rows.Scan(&f.ID, &f.Type, &f.Title, &f.Filename, &f.UploadState, &f.Mimetype, &size,
			timeValue{&f.CreatedAt}, timeValue{&f.UpdatedAt}, &f.Creator.ID, &f.Creator.FullName, &f.Creator.ShortName); err != nil {
			return nil, err
		}
		if size.Valid {
			n := size.Int64
			f.Size = &n
		}
		list = append(list, f)
	}
	return list, rows.Err()
}
