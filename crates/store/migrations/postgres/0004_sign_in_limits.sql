-- Sign-in limits and credential versions, PostgreSQL dialect: the same table, columns and
-- indexes as the SQLite migration of the same version, with native types. Keys are SHA-256
-- (hex) of the normalised e-mail and of the client's network address.
CREATE TABLE sign_in_failures (
    id          UUID PRIMARY KEY,
    account_key TEXT NOT NULL,
    client_key  TEXT NOT NULL,
    failed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, failed_at);
CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at);

ALTER TABLE users ADD COLUMN credential_version BIGINT NOT NULL DEFAULT 0;
