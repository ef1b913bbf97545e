-- What an audit record lacked beside Partner Center's, and the hash chains (one per owning
-- organisation, audit_chain.rs in domain). Rows written before this stay outside the chains
-- (no chain_id) until `Store::migrate` links them.
ALTER TABLE audit_records ADD COLUMN customer_name TEXT;
-- The customer's name folded (values::fold_case), for the CompanyName filter.
ALTER TABLE audit_records ADD COLUMN customer_name_key TEXT;
ALTER TABLE audit_records ADD COLUMN actor_upn TEXT;
ALTER TABLE audit_records ADD COLUMN application TEXT;
ALTER TABLE audit_records ADD COLUMN correlation_id TEXT;
ALTER TABLE audit_records ADD COLUMN status TEXT NOT NULL DEFAULT 'succeeded';
ALTER TABLE audit_records ADD COLUMN chain_id TEXT;
ALTER TABLE audit_records ADD COLUMN seq INTEGER;
ALTER TABLE audit_records ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_records ADD COLUMN hash TEXT;

CREATE UNIQUE INDEX audit_records_chain ON audit_records (chain_id, seq);
-- Reading pages: each visibility (operator, partner, customer) and filter walks one range.
CREATE INDEX audit_records_at ON audit_records (at, id);
CREATE INDEX audit_records_partner_at ON audit_records (partner_id, at, id);
CREATE INDEX audit_records_partner_type_at ON audit_records (partner_id, resource_type, at, id);
CREATE INDEX audit_records_customer_at ON audit_records (customer_id, at, id);

-- The head of each chain: its last record's number and hash. Writers lock it.
CREATE TABLE audit_chains (
    chain_id  TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    head_hash TEXT NOT NULL
);
