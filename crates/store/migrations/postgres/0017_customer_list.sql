-- A partner's customer list where a page reads it: one row per active relationship with the
-- customer's list columns copied beside the pair, keyed (partner_id, customer_id), so that a
-- page of a partner's customers is one range of one index over rows of that partner alone
-- (no lookup of each customer in `organizations`). The rows and the per-partner count are
-- kept in step by the triggers below, in the transaction of the change: relationships that
-- become active add their rows and their number to the count, those that stop being active
-- take them away, and changed customers (a rename) rewrite their rows under every partner.
-- The triggers run once per statement over its transition tables, so a bulk load (COPY) of
-- many relationships updates each partner's count once. Their functions keep the search
-- path they were made with, so a change made from a session with another one (an operator's
-- psql naming the schema) still finds these tables.
CREATE TABLE customer_list (
    partner_id      UUID NOT NULL,
    customer_id     UUID NOT NULL,
    name            TEXT NOT NULL,
    domain          TEXT,
    country         TEXT,
    culture         TEXT,
    billing_contact TEXT,
    billing_email   TEXT,
    billing_address TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL,
    search_text     TEXT NOT NULL,
    name_key        TEXT COLLATE "C",
    domain_key      TEXT COLLATE "C",
    PRIMARY KEY (partner_id, customer_id)
);
CREATE INDEX customer_list_customer ON customer_list (customer_id);
CREATE INDEX customer_list_name_key ON customer_list (partner_id, name_key, customer_id);
CREATE INDEX customer_list_domain_key ON customer_list (partner_id, domain_key, customer_id);

-- (No CHECK (customers >= 0): PostgreSQL checks the row an upsert proposes, which for a
-- statement that only closes relationships carries the negative change.)
CREATE TABLE partner_customer_counts (
    partner_id UUID PRIMARY KEY,
    customers  BIGINT NOT NULL
);

INSERT INTO customer_list
SELECT r.partner_id, o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
       o.billing_address, o.created_at, o.version, o.search_text, o.name_key, o.domain_key
FROM relationships r JOIN organizations o ON o.id = r.customer_id
WHERE r.state = 'active' AND o.kind = 'customer';

INSERT INTO partner_customer_counts (partner_id, customers)
SELECT partner_id, count(*) FROM customer_list GROUP BY partner_id;

-- Adds the list rows of `opened` (relationships that became active) and their number to each
-- partner's count; takes away those of `ended`.
CREATE FUNCTION customer_list_apply(opened_ids UUID[], ended_ids UUID[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM customer_list l USING relationships r
    WHERE r.id = ANY (ended_ids) AND l.partner_id = r.partner_id AND l.customer_id = r.customer_id;
    INSERT INTO customer_list
    SELECT r.partner_id, o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
           o.billing_address, o.created_at, o.version, o.search_text, o.name_key, o.domain_key
    FROM relationships r JOIN organizations o ON o.id = r.customer_id
    WHERE r.id = ANY (opened_ids);
    INSERT INTO partner_customer_counts AS c (partner_id, customers)
    SELECT partner_id, sum(d) FROM (
        SELECT partner_id, 1 AS d FROM relationships WHERE id = ANY (opened_ids)
        UNION ALL
        SELECT partner_id, -1 AS d FROM relationships WHERE id = ANY (ended_ids)
    ) changes GROUP BY partner_id
    ON CONFLICT (partner_id) DO UPDATE SET customers = c.customers + EXCLUDED.customers;
END $$;

CREATE FUNCTION customer_list_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM customer_list_apply(
        ARRAY(SELECT id FROM added WHERE state = 'active'), ARRAY[]::UUID[]);
    RETURN NULL;
END $$;

CREATE FUNCTION customer_list_updated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM customer_list_apply(
        ARRAY(SELECT n.id FROM after_rows n JOIN before_rows b ON b.id = n.id
              WHERE n.state = 'active' AND b.state <> 'active'),
        ARRAY(SELECT n.id FROM after_rows n JOIN before_rows b ON b.id = n.id
              WHERE n.state <> 'active' AND b.state = 'active'));
    RETURN NULL;
END $$;

CREATE TRIGGER customer_list_opened AFTER INSERT ON relationships
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION customer_list_inserted();

CREATE TRIGGER customer_list_state AFTER UPDATE ON relationships
REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
FOR EACH STATEMENT EXECUTE FUNCTION customer_list_updated();

CREATE FUNCTION customer_list_customer_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE customer_list l SET name = n.name, domain = n.domain, country = n.country, culture = n.culture,
        billing_contact = n.billing_contact, billing_email = n.billing_email,
        billing_address = n.billing_address, created_at = n.created_at, version = n.version,
        search_text = n.search_text, name_key = n.name_key, domain_key = n.domain_key
    FROM after_rows n WHERE n.kind = 'customer' AND l.customer_id = n.id;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_list_customer_changed AFTER UPDATE ON organizations
REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_list_customer_changed();

-- Substring search (`LIKE '%…%'` on search_text) through a trigram index where the server
-- has pg_trgm and lets this database create it (installed in `public`, which every schema
-- of the database shares). Where it cannot, the search reads the partner's list rows, as
-- on SQLite: the migration goes on without the index.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXECUTE 'CREATE INDEX customer_list_search ON customer_list USING gin (search_text public.gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'customer search without a trigram index: %', SQLERRM;
END $$;
