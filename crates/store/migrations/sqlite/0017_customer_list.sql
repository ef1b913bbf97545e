-- A partner's customer list where a page reads it: one row per active relationship with the
-- customer's list columns copied beside the pair, keyed (partner_id, customer_id) in a
-- WITHOUT ROWID table, so that a page of a partner's customers is one range scan of one
-- b-tree (no lookup of each customer by id) and costs the same at any depth and size.
-- The rows and the per-partner count are kept in step by the triggers below, in the
-- transaction of the change: a relationship that becomes active adds its row and one to the
-- count, one that stops being active takes them away, and a changed customer (a rename)
-- rewrites its rows under every partner.
CREATE TABLE customer_list (
    partner_id      TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    name            TEXT NOT NULL,
    domain          TEXT,
    country         TEXT,
    culture         TEXT,
    billing_contact TEXT,
    billing_email   TEXT,
    billing_address TEXT,
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    search_text     TEXT NOT NULL,
    name_key        TEXT,
    domain_key      TEXT,
    PRIMARY KEY (partner_id, customer_id)
) WITHOUT ROWID;
-- A customer's rows under every partner, rewritten when the customer changes.
CREATE INDEX customer_list_customer ON customer_list (customer_id);
-- A partner's customers by name (the dashboard's order) and its prefix searches.
CREATE INDEX customer_list_name_key ON customer_list (partner_id, name_key);
CREATE INDEX customer_list_domain_key ON customer_list (partner_id, domain_key);

-- How many customers each partner has (active relationships): `totalCount` of an
-- unfiltered list is this one row.
CREATE TABLE partner_customer_counts (
    partner_id TEXT PRIMARY KEY,
    customers  INTEGER NOT NULL CHECK (customers >= 0)
) WITHOUT ROWID;

INSERT INTO customer_list
SELECT r.partner_id, o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
       o.billing_address, o.created_at, o.version, o.search_text, o.name_key, o.domain_key
FROM relationships r JOIN organizations o ON o.id = r.customer_id
WHERE r.state = 'active' AND o.kind = 'customer';

INSERT INTO partner_customer_counts (partner_id, customers)
SELECT partner_id, count(*) FROM customer_list GROUP BY partner_id;

CREATE TRIGGER customer_list_opened AFTER INSERT ON relationships WHEN NEW.state = 'active'
BEGIN
    INSERT INTO customer_list
    SELECT NEW.partner_id, o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
           o.billing_address, o.created_at, o.version, o.search_text, o.name_key, o.domain_key
    FROM organizations o WHERE o.id = NEW.customer_id;
    INSERT INTO partner_customer_counts (partner_id, customers) VALUES (NEW.partner_id, 1)
    ON CONFLICT (partner_id) DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER customer_list_reopened AFTER UPDATE OF state ON relationships
WHEN OLD.state <> 'active' AND NEW.state = 'active'
BEGIN
    INSERT INTO customer_list
    SELECT NEW.partner_id, o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email,
           o.billing_address, o.created_at, o.version, o.search_text, o.name_key, o.domain_key
    FROM organizations o WHERE o.id = NEW.customer_id;
    INSERT INTO partner_customer_counts (partner_id, customers) VALUES (NEW.partner_id, 1)
    ON CONFLICT (partner_id) DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER customer_list_closed AFTER UPDATE OF state ON relationships
WHEN OLD.state = 'active' AND NEW.state <> 'active'
BEGIN
    DELETE FROM customer_list WHERE partner_id = OLD.partner_id AND customer_id = OLD.customer_id;
    UPDATE partner_customer_counts SET customers = customers - 1 WHERE partner_id = OLD.partner_id;
END;

CREATE TRIGGER customer_list_deleted AFTER DELETE ON relationships WHEN OLD.state = 'active'
BEGIN
    DELETE FROM customer_list WHERE partner_id = OLD.partner_id AND customer_id = OLD.customer_id;
    UPDATE partner_customer_counts SET customers = customers - 1 WHERE partner_id = OLD.partner_id;
END;

CREATE TRIGGER customer_list_customer_changed AFTER UPDATE ON organizations WHEN NEW.kind = 'customer'
BEGIN
    UPDATE customer_list SET name = NEW.name, domain = NEW.domain, country = NEW.country, culture = NEW.culture,
        billing_contact = NEW.billing_contact, billing_email = NEW.billing_email,
        billing_address = NEW.billing_address, created_at = NEW.created_at, version = NEW.version,
        search_text = NEW.search_text, name_key = NEW.name_key, domain_key = NEW.domain_key
    WHERE customer_id = NEW.id;
END;
