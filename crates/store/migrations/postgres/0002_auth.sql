-- Sign-in state, PostgreSQL dialect: the same tables, columns and indexes as the SQLite
-- migration of the same version, with native types. Tokens are stored by their SHA-256 (hex).

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE refresh_tokens (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    replaced_by UUID
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, id);

-- Shared by every node: the first node to need a key makes it; all publish all of them.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    algorithm   TEXT NOT NULL,
    private_key TEXT NOT NULL,              -- PKCS#8 DER, base64
    public_jwk  TEXT NOT NULL,              -- the JWK as JSON
    created_at  TIMESTAMPTZ NOT NULL
);

-- The first response to a POST with an MS-RequestId, per caller, kept 24 hours.
-- A row with a NULL status is a request still running.
CREATE TABLE idempotency_keys (
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request_id   TEXT NOT NULL,
    org_id       UUID NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    status       INTEGER,
    body         BYTEA,
    content_type TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, request_id)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
