-- The access check's cache coordination between nodes (PostgreSQL): the nodes that keep a
-- cache and listen for changes (a heartbeat each), and their acknowledgements of a change
-- announced before it commits (the writer waits for them; see docs/ARCHITECTURE.md).
CREATE TABLE access_nodes (
    id           UUID PRIMARY KEY,
    heartbeat_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE access_acks (
    announce_id UUID NOT NULL,
    node_id     UUID NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (announce_id, node_id)
);
CREATE INDEX access_acks_at ON access_acks (at);
