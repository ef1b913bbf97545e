-- A partner's GDAP relationships in force by their end: the "ending within 30 days" list
-- and the home page's count read one range of it.
CREATE INDEX gdap_relationships_partner_ends
    ON gdap_relationships (partner_id, ends_at, id) WHERE status IN ('active', 'expiring');
