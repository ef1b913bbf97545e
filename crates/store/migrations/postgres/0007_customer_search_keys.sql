-- Search keys of a customer: its company name and its domain folded to lower case
-- (values::fold_case, in any script), so that a `starts_with` search is a range of an index:
-- key >= prefix AND key < the prefix's successor. The keys are COLLATE "C": compared
-- bytewise, which for UTF-8 text is code point order, whatever the database's collation
-- (under a linguistic collation a range would not be a prefix).
--
-- lower() depends on the database's ctype and folds differently from the application (the
-- final sigma), so this file does not compute the keys of the customers already here: they
-- stay NULL (matching no prefix) until the store, right after migrating, fills them with the
-- same function that folds a search (organizations_customer_keys_missing finds them, and is
-- empty once they are filled). New and changed customers get their keys as they are written.
ALTER TABLE organizations ADD COLUMN name_key TEXT COLLATE "C";
ALTER TABLE organizations ADD COLUMN domain_key TEXT COLLATE "C";
CREATE INDEX organizations_customer_name_key ON organizations (name_key, id) WHERE kind = 'customer';
CREATE INDEX organizations_customer_domain_key ON organizations (domain_key, id) WHERE kind = 'customer';
CREATE INDEX organizations_customer_keys_missing ON organizations (id)
    WHERE kind = 'customer' AND (name_key IS NULL OR domain_key IS NULL);
