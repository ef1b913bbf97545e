-- A domain names one customer tenant, as a tenant's domain does in the vendor's directory:
-- two customers may not share one. Domains are stored lower case (values::Domain).
CREATE UNIQUE INDEX organizations_customer_domain ON organizations (domain) WHERE kind = 'customer';
