-- The access check's cache coordination between nodes. SQLite runs one node, so these stay
-- empty there; they exist so that both backends have the same versions.
CREATE TABLE access_nodes (
    id           TEXT PRIMARY KEY,
    heartbeat_at TEXT NOT NULL
);

CREATE TABLE access_acks (
    announce_id TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (announce_id, node_id)
);
CREATE INDEX access_acks_at ON access_acks (at);
