-- Webhooks: registrations, and one delivery row per (event, registration) that the
-- delivery worker claims, retries and parks.

-- What an event is about, for its ResourceUri and AuditUri and for delivering in order per
-- resource. Events written before this migration keep empty values.
ALTER TABLE outbox_events ADD COLUMN resource_type TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox_events ADD COLUMN resource_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox_events ADD COLUMN audit_id UUID;
-- When the webhook fan-out made the event's deliveries. Events from before webhooks
-- existed are taken as done: nobody was registered for them.
ALTER TABLE outbox_events ADD COLUMN webhooks_queued_at TIMESTAMPTZ;
UPDATE outbox_events SET webhooks_queued_at = at;
CREATE INDEX outbox_events_webhooks_unqueued ON outbox_events (at, id) WHERE webhooks_queued_at IS NULL;

CREATE TABLE webhook_registrations (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES organizations (id),
    url         TEXT NOT NULL,
    -- Event names, comma-separated.
    events      TEXT NOT NULL,
    -- The HMAC key itself: signing needs it (ARCHITECTURE.md, "Webhooks").
    secret      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_registrations_org ON webhook_registrations (org_id, id);

CREATE TABLE webhook_deliveries (
    id               UUID PRIMARY KEY,
    registration_id  UUID NOT NULL REFERENCES webhook_registrations (id) ON DELETE CASCADE,
    event_id         UUID NOT NULL REFERENCES outbox_events (id),
    -- The event's resource (type:id): one registration gets a resource's events in order.
    resource_key     TEXT NOT NULL,
    event_at         TIMESTAMPTZ NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    -- The claim of the node delivering it, until leased_until.
    lease_id         UUID,
    leased_until     TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ,
    parked_at        TIMESTAMPTZ,
    last_error       TEXT,
    http_status      INTEGER,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_due
    ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND parked_at IS NULL;
CREATE INDEX webhook_deliveries_resource
    ON webhook_deliveries (registration_id, resource_key, event_at, event_id, id) WHERE delivered_at IS NULL;
CREATE INDEX webhook_deliveries_registration ON webhook_deliveries (registration_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
