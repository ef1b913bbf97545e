-- Dashboard sessions, PostgreSQL dialect: the same table, columns and indexes as the SQLite
-- migration of the same version, with native types. Secrets are stored by their SHA-256 (hex).

CREATE TABLE web_sessions (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    csrf_token  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
-- Expired sessions are purged by `expires_at` whenever someone signs in.
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
