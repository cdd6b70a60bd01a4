-- 0001 core: users, rooms, resource accesses and server-side sessions.
-- Constraint names are explicit: the storage adapter maps them to field errors.

CREATE TABLE users (
    id                         TEXT PRIMARY KEY,
    sub                        TEXT CONSTRAINT users_sub_key UNIQUE,
    issuer                     TEXT NOT NULL DEFAULT '',
    email                      TEXT,
    full_name                  TEXT NOT NULL DEFAULT '',
    short_name                 TEXT NOT NULL DEFAULT '',
    language                   TEXT NOT NULL DEFAULT 'en-us',
    timezone                   TEXT NOT NULL DEFAULT 'UTC',
    is_active                  BOOLEAN NOT NULL DEFAULT TRUE,
    default_room_access_level  TEXT,
    default_room_configuration JSONB NOT NULL DEFAULT '{}',
    password_hash              TEXT,
    created_at                 TIMESTAMPTZ NOT NULL,
    updated_at                 TIMESTAMPTZ NOT NULL
);
-- Users without a subject (provisional or local accounts) are found by e-mail.
CREATE UNIQUE INDEX users_email_subless_key ON users (lower(email)) WHERE sub IS NULL;
CREATE INDEX users_email_lower_idx ON users (lower(email));
CREATE INDEX users_created_at_idx ON users (created_at DESC, id);

CREATE TABLE rooms (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL CONSTRAINT rooms_slug_key UNIQUE,
    access_level  TEXT NOT NULL DEFAULT 'public',
    configuration JSONB NOT NULL DEFAULT '{}',
    pin_code      TEXT CONSTRAINT rooms_pin_code_key UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX rooms_name_idx ON rooms (name COLLATE "C", id);

CREATE TABLE resource_accesses (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    role       TEXT NOT NULL DEFAULT 'member',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT resource_accesses_user_room_key UNIQUE (user_id, room_id)
);
CREATE INDEX resource_accesses_room_idx ON resource_accesses (room_id, role);
CREATE INDEX resource_accesses_created_idx ON resource_accesses (created_at DESC, id);

-- id is the SHA-256 (hex) of the session id the browser holds, so a leaked
-- copy of this table cannot be replayed as cookies.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    data       JSONB NOT NULL DEFAULT '{}',
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
