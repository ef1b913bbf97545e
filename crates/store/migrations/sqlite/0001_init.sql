-- partnerdesk schema, SQLite dialect. Ids are UUID text (lower-case, hyphenated: sorts in
-- key order); times are RFC 3339 UTC text with microseconds (sorts in time order).

CREATE TABLE organizations (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('operator', 'partner', 'customer')),
    name            TEXT NOT NULL,
    -- lower-cased name and domain, for case-insensitive search in any script
    search_text     TEXT NOT NULL DEFAULT '',
    partner_type    TEXT CHECK (partner_type IN ('direct', 'indirect_provider', 'indirect_reseller')),
    domain          TEXT,
    country         TEXT,
    culture         TEXT,
    billing_contact TEXT,
    billing_email   TEXT,
    billing_address TEXT,
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organizations_kind ON organizations (kind, id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    org_kind      TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,            -- comma-separated role names
    locale        TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users (org_id, id);

CREATE TABLE reseller_links (
    provider_id TEXT NOT NULL REFERENCES organizations (id),
    reseller_id TEXT NOT NULL REFERENCES organizations (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (provider_id, reseller_id)
);
CREATE UNIQUE INDEX reseller_links_one_provider ON reseller_links (reseller_id);

CREATE TABLE relationships (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES organizations (id),
    customer_id   TEXT NOT NULL REFERENCES organizations (id),
    state         TEXT NOT NULL CHECK (state IN ('active', 'closed')),
    dap_consented INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    created_by    TEXT,
    closed_at     TEXT,
    closed_by     TEXT,
    close_reason  TEXT,
    version       INTEGER NOT NULL DEFAULT 1
);
-- At most one active relationship per pair; also the partner's customer list, in key order.
CREATE UNIQUE INDEX relationships_active_pair ON relationships (partner_id, customer_id) WHERE state = 'active';
CREATE INDEX relationships_customer ON relationships (customer_id, created_at);

CREATE TABLE relationship_requests (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES organizations (id),
    token_hash  TEXT NOT NULL UNIQUE,
    include_dap INTEGER NOT NULL,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    customer_id TEXT,
    answered_at TEXT,
    answered_by TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX relationship_requests_partner ON relationship_requests (partner_id, id);

CREATE TABLE offers (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    unit_type        TEXT NOT NULL,
    term             TEXT NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    min_quantity     INTEGER NOT NULL,
    max_quantity     INTEGER NOT NULL,
    countries        TEXT NOT NULL,         -- comma-separated country codes
    is_available     INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE orders (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES organizations (id),
    partner_id  TEXT NOT NULL REFERENCES organizations (id),
    reseller_id TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, id);

CREATE TABLE order_line_items (
    order_id        TEXT NOT NULL REFERENCES orders (id),
    line_number     INTEGER NOT NULL,
    offer_id        TEXT NOT NULL REFERENCES offers (id),
    quantity        INTEGER NOT NULL,
    friendly_name   TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    PRIMARY KEY (order_id, line_number)
);

CREATE TABLE subscriptions (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES organizations (id),
    partner_id         TEXT NOT NULL REFERENCES organizations (id),
    reseller_id        TEXT,
    offer_id           TEXT NOT NULL REFERENCES offers (id),
    order_id           TEXT NOT NULL REFERENCES orders (id),
    friendly_name      TEXT NOT NULL,
    quantity           INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'expired', 'deleted')),
    auto_renew         INTEGER NOT NULL,
    support_partner_id TEXT,
    effective_start    TEXT NOT NULL,
    commitment_end     TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, id);

CREATE TABLE dap_grants (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES organizations (id),
    customer_id TEXT NOT NULL REFERENCES organizations (id),
    granted_at  TEXT NOT NULL,
    ended_at    TEXT,
    ended_by    TEXT
);
CREATE INDEX dap_grants_pair ON dap_grants (partner_id, customer_id);

CREATE TABLE gdap_relationships (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES organizations (id),
    customer_id   TEXT NOT NULL REFERENCES organizations (id),
    display_name  TEXT NOT NULL,
    status        TEXT NOT NULL,
    roles         TEXT NOT NULL,            -- comma-separated role definition ids
    duration_days INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    ends_at       TEXT,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX gdap_relationships_pair ON gdap_relationships (partner_id, customer_id);

-- Append-only: nothing updates or deletes audit records.
CREATE TABLE audit_records (
    id            TEXT PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_user_id TEXT,
    actor_org_id  TEXT,
    operation     TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    partner_id    TEXT,
    customer_id   TEXT,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX audit_records_customer ON audit_records (customer_id, id);

CREATE TABLE outbox_events (
    id           TEXT PRIMARY KEY,
    at           TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    partner_id   TEXT,
    customer_id  TEXT,
    payload      TEXT NOT NULL,
    delivered_at TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_events_pending ON outbox_events (delivered_at, id);
