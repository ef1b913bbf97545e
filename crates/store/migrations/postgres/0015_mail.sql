-- E-mail, PostgreSQL dialect: the same tables, columns and indexes as the SQLite migration
-- of the same version, with native types. Senders claim due rows with
-- `FOR UPDATE SKIP LOCKED` and a lease, so any number of nodes send each message once.
CREATE TABLE mail_outbox (
    id              UUID PRIMARY KEY,
    created_at      TIMESTAMPTZ NOT NULL,
    recipient       TEXT NOT NULL,
    lang            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    parked_at       TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX mail_outbox_parked ON mail_outbox (parked_at) WHERE parked_at IS NOT NULL;

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);
