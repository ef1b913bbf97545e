-- partnerdesk schema, PostgreSQL dialect. Same tables, columns and indexes as the SQLite
-- migration of the same version, with native types (uuid, timestamptz, boolean).

CREATE TABLE organizations (
    id              UUID PRIMARY KEY,
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
    created_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX organizations_kind ON organizations (kind, id);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES organizations (id),
    org_kind      TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,            -- comma-separated role names
    locale        TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users (org_id, id);

CREATE TABLE reseller_links (
    provider_id UUID NOT NULL REFERENCES organizations (id),
    reseller_id UUID NOT NULL REFERENCES organizations (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider_id, reseller_id)
);
CREATE UNIQUE INDEX reseller_links_one_provider ON reseller_links (reseller_id);

CREATE TABLE relationships (
    id            UUID PRIMARY KEY,
    partner_id    UUID NOT NULL REFERENCES organizations (id),
    customer_id   UUID NOT NULL REFERENCES organizations (id),
    state         TEXT NOT NULL CHECK (state IN ('active', 'closed')),
    dap_consented BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    UUID,
    closed_at     TIMESTAMPTZ,
    closed_by     UUID,
    close_reason  TEXT,
    version       BIGINT NOT NULL DEFAULT 1
);
-- At most one active relationship per pair; also the partner's customer list, in key order.
CREATE UNIQUE INDEX relationships_active_pair ON relationships (partner_id, customer_id) WHERE state = 'active';
CREATE INDEX relationships_customer ON relationships (customer_id, created_at);

CREATE TABLE relationship_requests (
    id          UUID PRIMARY KEY,
    partner_id  UUID NOT NULL REFERENCES organizations (id),
    token_hash  TEXT NOT NULL UNIQUE,
    include_dap BOOLEAN NOT NULL,
    state       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  UUID NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    customer_id UUID,
    answered_at TIMESTAMPTZ,
    answered_by UUID,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX relationship_requests_partner ON relationship_requests (partner_id, id);

CREATE TABLE offers (
    id               UUID PRIMARY KEY,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    unit_type        TEXT NOT NULL,
    term             TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    min_quantity     BIGINT NOT NULL,
    max_quantity     BIGINT NOT NULL,
    countries        TEXT NOT NULL,         -- comma-separated country codes
    is_available     BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE orders (
    id          UUID PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES organizations (id),
    partner_id  UUID NOT NULL REFERENCES organizations (id),
    reseller_id UUID,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  UUID NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, id);

CREATE TABLE order_line_items (
    order_id        UUID NOT NULL REFERENCES orders (id),
    line_number     BIGINT NOT NULL,
    offer_id        UUID NOT NULL REFERENCES offers (id),
    quantity        BIGINT NOT NULL,
    friendly_name   TEXT NOT NULL,
    subscription_id UUID NOT NULL,
    PRIMARY KEY (order_id, line_number)
);

CREATE TABLE subscriptions (
    id                 UUID PRIMARY KEY,
    customer_id        UUID NOT NULL REFERENCES organizations (id),
    partner_id         UUID NOT NULL REFERENCES organizations (id),
    reseller_id        UUID,
    offer_id           UUID NOT NULL REFERENCES offers (id),
    order_id           UUID NOT NULL REFERENCES orders (id),
    friendly_name      TEXT NOT NULL,
    quantity           BIGINT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'expired', 'deleted')),
    auto_renew         BOOLEAN NOT NULL,
    support_partner_id UUID,
    effective_start    TIMESTAMPTZ NOT NULL,
    commitment_end     TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, id);

CREATE TABLE dap_grants (
    id          UUID PRIMARY KEY,
    partner_id  UUID NOT NULL REFERENCES organizations (id),
    customer_id UUID NOT NULL REFERENCES organizations (id),
    granted_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    ended_by    UUID
);
CREATE INDEX dap_grants_pair ON dap_grants (partner_id, customer_id);

CREATE TABLE gdap_relationships (
    id            UUID PRIMARY KEY,
    partner_id    UUID NOT NULL REFERENCES organizations (id),
    customer_id   UUID NOT NULL REFERENCES organizations (id),
    display_name  TEXT NOT NULL,
    status        TEXT NOT NULL,
    roles         TEXT NOT NULL,            -- comma-separated role definition ids
    duration_days BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX gdap_relationships_pair ON gdap_relationships (partner_id, customer_id);

-- Append-only: nothing updates or deletes audit records.
CREATE TABLE audit_records (
    id            UUID PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id UUID,
    actor_org_id  UUID,
    operation     TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    partner_id    UUID,
    customer_id   UUID,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX audit_records_customer ON audit_records (customer_id, id);

CREATE TABLE outbox_events (
    id           UUID PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    event_type   TEXT NOT NULL,
    partner_id   UUID,
    customer_id  UUID,
    payload      TEXT NOT NULL,
    delivered_at TIMESTAMPTZ,
    attempts     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_events_pending ON outbox_events (delivered_at, id);
