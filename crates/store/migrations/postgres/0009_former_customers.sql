-- A partner's former customers (closed relationships), walked in customer order a page at
-- a time.
CREATE INDEX relationships_closed_pair ON relationships (partner_id, customer_id) WHERE state = 'closed';
