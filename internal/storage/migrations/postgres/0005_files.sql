-- 0005 files: the files people upload (custom virtual backgrounds). The
-- bytes live in the file store under files/<id><ext>; this is their row.
-- Constraint names are explicit: the storage adapter maps them to domain errors.

CREATE TABLE files (
    id           TEXT CONSTRAINT files_pkey PRIMARY KEY,
    -- Users are never deleted; were one to be, their rows would go with them
    -- (their bytes are removed through the API before).
    creator_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    title        TEXT NOT NULL,
    filename     TEXT NOT NULL,
    -- pending (created, bytes awaited or checked and stored) or ready.
    upload_state TEXT NOT NULL DEFAULT 'pending',
    mimetype     TEXT NOT NULL,
    -- size is NULL until the bytes are stored.
    size         BIGINT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
-- The per-user count of a type, and the list of one's files.
CREATE INDEX files_creator_type_idx ON files (creator_id, type, created_at DESC);
