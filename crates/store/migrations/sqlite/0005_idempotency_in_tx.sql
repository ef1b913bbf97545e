-- Idempotent requests commit with the change they guard, SQLite dialect.
--
-- A kept answer may now be a redirect (a dashboard form), so its Location is kept too.
-- Answers kept before this version may hold secrets in the clear (new API token secrets,
-- generated passwords) and rows without an answer are ids reserved by requests that never
-- finished: all of them are forgotten. A retry of such a request runs again.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys ADD COLUMN location TEXT;

-- Server secrets shared by every node (the first node to need one makes it), e.g. the key
-- invitation link tokens are derived with. Never sent to a client.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,               -- 32 random bytes, base64
    created_at TEXT NOT NULL
);
