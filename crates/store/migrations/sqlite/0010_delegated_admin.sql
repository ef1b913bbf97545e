-- Delegated admin as Microsoft Graph shapes it: GDAP relationships that may name their
-- customer only when it approves, the requests and long-running operations on them, access
-- assignments (a partner security group and the roles its members get), partners'
-- security groups, and the role catalogue the roles come from.

-- GDAP relationships, rebuilt: the customer is optional until approval, the display name is
-- unique per partner (`display_name_key` is its lower-cased form, filled by the app), and
-- the dates the status machine and the background job need.
CREATE TABLE gdap_relationships_v2 (
    id                    TEXT PRIMARY KEY,
    partner_id            TEXT NOT NULL REFERENCES organizations (id),
    customer_id           TEXT REFERENCES organizations (id),
    customer_display_name TEXT,
    display_name          TEXT NOT NULL,
    display_name_key      TEXT NOT NULL,
    status                TEXT NOT NULL,
    roles                 TEXT NOT NULL,    -- comma-separated role definition ids
    duration_days         INTEGER NOT NULL,
    auto_extend_days      INTEGER NOT NULL DEFAULT 0,   -- 0 (PT0S) or 180 (P180D)
    created_at            TEXT NOT NULL,
    last_modified_at      TEXT NOT NULL,
    locked_at             TEXT,             -- lockForApproval: the 90-day approval clock starts
    activated_at          TEXT,
    ends_at               TEXT,             -- activated_at + duration, moved by each extension
    ended_at              TEXT,             -- terminated or expired
    expiry_warned_at      TEXT,             -- the 30-day warning was raised for this ends_at
    version               INTEGER NOT NULL DEFAULT 1
);
INSERT INTO gdap_relationships_v2 (id, partner_id, customer_id, display_name, display_name_key,
    status, roles, duration_days, created_at, last_modified_at, activated_at, ends_at, version)
SELECT id, partner_id, customer_id, display_name, lower(display_name) || ' ' || id, status, roles,
    duration_days, created_at, created_at, created_at, ends_at, version
FROM gdap_relationships;
DROP TABLE gdap_relationships;
ALTER TABLE gdap_relationships_v2 RENAME TO gdap_relationships;
CREATE INDEX gdap_relationships_pair ON gdap_relationships (partner_id, customer_id);
CREATE UNIQUE INDEX gdap_relationships_name ON gdap_relationships (partner_id, display_name_key);
CREATE INDEX gdap_relationships_customer ON gdap_relationships (customer_id, partner_id);
-- The background job's work: relationships reaching their end, requests reaching 90 days.
CREATE INDEX gdap_relationships_ends ON gdap_relationships (ends_at) WHERE status IN ('active', 'expiring');
CREATE INDEX gdap_relationships_locked ON gdap_relationships (locked_at) WHERE status = 'approvalPending';

-- `POST .../{id}/requests`: lockForApproval, approve, reject, terminate.
CREATE TABLE gdap_requests (
    id               TEXT PRIMARY KEY,
    relationship_id  TEXT NOT NULL REFERENCES gdap_relationships (id),
    action           TEXT NOT NULL,
    status           TEXT NOT NULL,         -- created | pending | succeeded | failed
    created_by       TEXT,                  -- user id
    created_at       TEXT NOT NULL,
    last_modified_at TEXT NOT NULL
);
CREATE INDEX gdap_requests_relationship ON gdap_requests (relationship_id, created_at);

-- `.../{id}/operations`: long-running operations Graph reports (role changes on an active
-- relationship).
CREATE TABLE gdap_operations (
    id               TEXT PRIMARY KEY,
    relationship_id  TEXT NOT NULL REFERENCES gdap_relationships (id),
    operation_type   TEXT NOT NULL,
    status           TEXT NOT NULL,         -- notStarted | running | succeeded | failed
    data             TEXT NOT NULL,         -- JSON
    created_at       TEXT NOT NULL,
    last_modified_at TEXT NOT NULL
);
CREATE INDEX gdap_operations_relationship ON gdap_operations (relationship_id, created_at);

-- A partner's security groups of its own users; access assignments give a group roles in a
-- customer through a GDAP relationship.
CREATE TABLE security_groups (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES organizations (id),
    display_name TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX security_groups_name ON security_groups (partner_id, name_key);

CREATE TABLE security_group_members (
    group_id TEXT NOT NULL REFERENCES security_groups (id),
    user_id  TEXT NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX security_group_members_user ON security_group_members (user_id);

CREATE TABLE gdap_access_assignments (
    id                TEXT PRIMARY KEY,
    relationship_id   TEXT NOT NULL REFERENCES gdap_relationships (id),
    security_group_id TEXT NOT NULL REFERENCES security_groups (id),
    roles             TEXT NOT NULL,        -- comma-separated role definition ids
    status            TEXT NOT NULL,        -- pending | active | deleting | deleted | error
    created_at        TEXT NOT NULL,
    last_modified_at  TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX gdap_access_assignments_group
    ON gdap_access_assignments (relationship_id, security_group_id) WHERE status <> 'deleted';
CREATE INDEX gdap_access_assignments_by_group ON gdap_access_assignments (security_group_id);

-- The role catalogue (`GET /v1/roles`). Ids are Microsoft Entra's role template ids where a
-- role has one, so scripts written for Graph keep their ids. The operator edits it.
CREATE TABLE admin_roles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The default set: Microsoft Entra's built-in roles a partner is most often given.
INSERT INTO admin_roles (id, name, description, created_at, updated_at) VALUES
    ('62e90394-69f5-4237-9190-012177145e10', 'Global Administrator', 'Can manage all aspects of the customer''s tenant and the services that use its identities.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('f2ef992c-3afb-46b9-b7cf-a126ee74c451', 'Global Reader', 'Can read everything a Global Administrator can, but not change anything.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('fe930be7-5e62-47db-91af-98c3a49a38b1', 'User Administrator', 'Can manage users and groups, including resetting passwords of limited admins.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('729827e3-9c14-49f7-bb1b-9608f156bbb8', 'Helpdesk Administrator', 'Can reset passwords for non-administrators and Helpdesk Administrators.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('966707d0-3269-4727-9be2-8c3a10f19b9d', 'Password Administrator', 'Can reset passwords for non-administrators and Password Administrators.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('f023fd81-a637-4b56-95fd-791ac0226033', 'Service Support Administrator', 'Can read service health and manage support tickets.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('b0f54661-2d74-4c50-afa3-1ec803f12efe', 'Billing Administrator', 'Can make purchases, manage subscriptions and support tickets, and watch service health.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('4d6ac14f-3453-41d0-bef9-a3e0c569773a', 'License Administrator', 'Can manage product licenses on users and groups.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('194ae4cb-b126-40b2-bd5b-6091b380977d', 'Security Administrator', 'Can read security information and reports, and manage security configuration.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('5d6b6bb7-de71-4623-b4af-96380a352509', 'Security Reader', 'Can read security information and reports.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('29232cdf-9323-42fd-ade2-1d097af3e4de', 'Exchange Administrator', 'Can manage all aspects of the mail service.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('f28a1f50-f6e7-4571-818b-6a12f2af6b6c', 'SharePoint Administrator', 'Can manage all aspects of the file and site service.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('69091246-20e8-4a56-aa4d-066075b2a7a8', 'Teams Administrator', 'Can manage the meetings and chat service.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('3a2c62db-5318-420d-8d74-23affee5d9d5', 'Intune Administrator', 'Can manage all aspects of the device management service.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 'Application Administrator', 'Can create and manage all aspects of app registrations and enterprise apps.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('158c047a-c907-4556-b7ef-446551a6b5f7', 'Cloud Application Administrator', 'Can create and manage app registrations and enterprise apps, except the application proxy.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('c4e39bd9-1100-46d3-8c65-fb160da0071f', 'Authentication Administrator', 'Can see and reset authentication methods of non-administrators.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('e8611ab8-c189-46e8-94e1-60213ab1f814', 'Privileged Role Administrator', 'Can manage role assignments and privileged access.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('17315797-102d-40b4-93e0-432062caca18', 'Compliance Administrator', 'Can read and manage compliance configuration and reports.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('4a5d8f65-41da-4de4-8968-e035b65339cf', 'Reports Reader', 'Can read sign-in and audit reports.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('88d8e3e3-8f55-4a1e-953a-9b9898b8876b', 'Directory Readers', 'Can read basic directory information.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'),
    ('9360feb5-f418-4baa-8175-e2a00bac4301', 'Directory Writers', 'Can read and write basic directory information.', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
