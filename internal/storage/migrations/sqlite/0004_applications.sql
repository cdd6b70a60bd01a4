-- 0004 applications: the external applications that act on behalf of users
-- through the external API, and the e-mail domains each may act for.
-- Timestamps are fixed-width UTC text (see 0001).

CREATE TABLE applications (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    client_id   TEXT NOT NULL UNIQUE,
    -- secret_hash is "sha256$<hex>" of the client secret; the secret itself
    -- is shown once, when it is made, and never stored.
    secret_hash TEXT NOT NULL,
    -- scopes are space-separated (rooms:list rooms:create…).
    scopes      TEXT NOT NULL DEFAULT '',
    is_active   INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX applications_created_idx ON applications (created_at DESC, id);

-- No domain: the application may act for any e-mail address.
CREATE TABLE application_domains (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    domain         TEXT NOT NULL,
    PRIMARY KEY (application_id, domain)
);
