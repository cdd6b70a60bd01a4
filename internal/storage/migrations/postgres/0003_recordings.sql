-- 0003 recordings: recordings and their accesses, the recorder job queue and
-- the notification outbox. Constraint names are explicit: the storage
-- adapter maps them to domain errors.

CREATE TABLE recordings (
    id                  TEXT PRIMARY KEY,
    room_id             TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    status              TEXT NOT NULL DEFAULT 'initiated',
    mode                TEXT NOT NULL DEFAULT 'screen_recording',
    options             JSONB NOT NULL DEFAULT '{}',
    worker_id           TEXT,
    external_process_id TEXT CONSTRAINT recordings_external_process_id_key UNIQUE,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
-- One initiated-or-active recording per room, enforced by the database so
-- that concurrent start requests cannot both win.
CREATE UNIQUE INDEX recordings_active_room_key ON recordings (room_id) WHERE status IN ('initiated', 'active');
CREATE INDEX recordings_created_idx ON recordings (created_at DESC, id);
CREATE INDEX recordings_room_idx ON recordings (room_id, status);

CREATE TABLE recording_accesses (
    id           TEXT PRIMARY KEY,
    recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT 'member',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT recording_accesses_user_recording_key UNIQUE (user_id, recording_id)
);
CREATE INDEX recording_accesses_recording_idx ON recording_accesses (recording_id, role);

-- Work for recorder workers. A start job stays 'running' under its lease
-- while the session records; a job whose lease expired is taken over.
CREATE TABLE recording_jobs (
    id               TEXT PRIMARY KEY,
    recording_id     TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    run_after        TIMESTAMPTZ NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX recording_jobs_claim_idx ON recording_jobs (kind, status, run_after);
CREATE INDEX recording_jobs_recording_idx ON recording_jobs (recording_id, kind, status);

-- Notifications of completed recordings, delivered with retries.
CREATE TABLE recording_outbox (
    id               TEXT PRIMARY KEY,
    recording_id     TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    external_id      TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX recording_outbox_due_idx ON recording_outbox (status, next_attempt_at);
CREATE INDEX recording_outbox_recording_idx ON recording_outbox (recording_id, status);
