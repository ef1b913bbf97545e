-- Sign-in limits and credential versions, SQLite dialect.
--
-- `sign_in_failures`: one row per failed (or still running) password check, shared by every
-- node, so the limits hold across nodes. Rows are keyed by the SHA-256 (hex) of the
-- normalised e-mail and of the client (its network address), so the table holds neither
-- the addresses nor whatever was typed into the e-mail field. Rows older than the longest
-- window are deleted on every sign-in attempt.
CREATE TABLE sign_in_failures (
    id          TEXT PRIMARY KEY,
    account_key TEXT NOT NULL,
    client_key  TEXT NOT NULL,
    failed_at   TEXT NOT NULL
);
-- A sign-in reads an account's recent failures, newest first.
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, failed_at);
-- The purge walks this one.
CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at);

-- Bumped whenever a user's password changes; access tokens carry the version they were
-- issued under and stop working when it moves on.
ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;
