-- Dashboard sessions, SQLite dialect. The session cookie holds a random secret; only its
-- SHA-256 (hex) is stored, so a stolen database does not sign anyone in.

CREATE TABLE web_sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
-- Expired sessions are purged by `expires_at` whenever someone signs in.
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
