-- E-mail, SQLite dialect.
--
-- `mail_outbox`: one row per message, written in the transaction of the change that causes
-- it, already rendered in the recipient's language. A sender claims due rows (no lease or an
-- ended one, `next_attempt_at` reached) under a lease, sends them, and marks them sent, or
-- after a failure moves `next_attempt_at` by the delivery schedule and parks a message after
-- the last attempt. Sent and parked rows stay as history.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    lang            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    sent_at         TEXT,
    parked_at       TEXT,
    last_error      TEXT
);
-- What a sender claims, soonest first: only unsent, unparked rows are in it.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND parked_at IS NULL;
-- The operator's count of parked messages.
CREATE INDEX mail_outbox_parked ON mail_outbox (parked_at) WHERE parked_at IS NOT NULL;

-- One-time links to set a forgotten password: the SHA-256 (hex) of the token alone is kept.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
