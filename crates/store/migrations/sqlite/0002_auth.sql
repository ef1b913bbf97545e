-- Sign-in state, SQLite dialect: personal API tokens, OAuth2 refresh tokens, the keys that
-- sign access tokens, and the responses kept for idempotent POSTs. Secrets are never stored:
-- tokens by their SHA-256 (hex), so a stolen database does not sign anyone in.

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT,
    replaced_by TEXT
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, id);

-- Shared by every node: the first node to need a key makes it; all publish all of them.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    algorithm   TEXT NOT NULL,
    private_key TEXT NOT NULL,              -- PKCS#8 DER, base64
    public_jwk  TEXT NOT NULL,              -- the JWK as JSON
    created_at  TEXT NOT NULL
);

-- The first response to a POST with an MS-RequestId, per caller, kept 24 hours.
-- A row with a NULL status is a request still running.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request_id   TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    status       INTEGER,
    body         BLOB,
    content_type TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, request_id)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
