//! Organisations (operator, partners, customers), users and reseller links: [`OrgStore`] on
//! [`SqliteTx`] and the row functions it runs.

use chrono::{DateTime, Utc};
use partnerdesk_domain::org::{
    BillingProfile, CompanyProfile, Customer, OrgKind, Partner, PartnerType, ResellerLink, Role, User,
};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note};
use partnerdesk_domain::{CustomerId, OrgId, PartnerId, UserId};
use rusqlite::{params, Connection, Row};

use super::rows::{after, check_version, execute, join, query_all, query_opt, split, ts, Cols};
use super::tx::SqliteTx;
use crate::search::{domain_key, name_key};
use crate::OrgStore;
use crate::{StoreError, StoreResult, UserCredentials};
use async_trait::async_trait;

const ORGS: &str = "organizations";
const USERS: &str = "users";
const LINKS: &str = "reseller_links";

/// What customer search matches: the lower-cased company name and domain.
pub(super) fn customer_search_text(c: &Customer) -> String {
    format!(
        "{} {}",
        c.company.company_name.as_str().to_lowercase(),
        c.company.domain.as_str().to_lowercase()
    )
}

pub(super) fn insert_operator(conn: &Connection, id: OrgId, name: &str, at: &DateTime<Utc>) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO organizations (id, kind, name, search_text, created_at) VALUES (?1, 'operator', ?2, ?3, ?4)",
        params![id.to_string(), name, name.to_lowercase(), ts(at)],
    )
    .map(drop)
}

pub(super) fn find_operator(conn: &Connection) -> StoreResult<Option<OrgId>> {
    query_opt(
        conn,
        "SELECT id FROM organizations WHERE kind = 'operator' ORDER BY id LIMIT 1",
        [],
        |r| Cols::new(r, ORGS).id("id"),
    )
}

// --- partners ---

const PARTNER_SELECT: &str = "SELECT id, name, partner_type, created_at, version FROM organizations";

fn read_partner(row: &Row<'_>) -> StoreResult<Partner> {
    let c = Cols::new(row, ORGS);
    Ok(Partner {
        id: c.id("id")?,
        name: c.parse("name", |s| Name::parse("name", s))?,
        partner_type: c.parse("partner_type", PartnerType::parse)?,
        created_at: c.time("created_at")?,
        version: c.int("version")?,
    })
}

pub(super) fn insert_partner(conn: &Connection, p: &Partner) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO organizations (id, kind, name, search_text, partner_type, created_at, version) \
         VALUES (?1, 'partner', ?2, ?3, ?4, ?5, ?6)",
        params![
            p.id.to_string(),
            p.name.as_str(),
            p.name.as_str().to_lowercase(),
            p.partner_type.as_str(),
            ts(&p.created_at),
            p.version
        ],
    )
    .map(drop)
}

pub(super) fn find_partner(conn: &Connection, id: PartnerId) -> StoreResult<Option<Partner>> {
    query_opt(
        conn,
        &format!("{PARTNER_SELECT} WHERE id = ?1 AND kind = 'partner'"),
        [id.to_string()],
        read_partner,
    )
}

pub(super) fn list_partners(conn: &Connection, after_id: Option<PartnerId>, limit: u32) -> StoreResult<Vec<Partner>> {
    let sql = format!("{PARTNER_SELECT} WHERE kind = 'partner' AND id > ?1 ORDER BY id LIMIT ?2");
    query_all(conn, &sql, params![after(after_id), limit], read_partner)
}

// --- customers ---

/// The customer columns, as selected from `organizations` aliased `o`.
pub(super) const CUSTOMER_COLS_O: &str = "o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, \
                                          o.billing_email, o.billing_address, o.created_at, o.version";

pub(super) fn read_customer(row: &Row<'_>) -> StoreResult<Customer> {
    let c = Cols::new(row, ORGS);
    Ok(Customer {
        id: c.id("id")?,
        company: CompanyProfile {
            company_name: c.parse("name", |s| Name::parse("companyName", s))?,
            domain: c.parse("domain", Domain::parse)?,
            country: c.parse("country", Country::parse)?,
            culture: c.parse("culture", Culture::parse)?,
        },
        billing: BillingProfile {
            contact_name: c.parse("billing_contact", |s| Name::parse("contactName", s))?,
            email: c.parse("billing_email", Email::parse)?,
            address: c.parse("billing_address", |s| Note::parse("address", s))?,
        },
        created_at: c.time("created_at")?,
        version: c.int("version")?,
    })
}

pub(super) fn insert_customer(conn: &Connection, c: &Customer) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO organizations (id, kind, name, search_text, domain, country, culture, billing_contact, \
         billing_email, billing_address, created_at, version, name_key, domain_key) \
         VALUES (?1, 'customer', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            c.id.to_string(),
            c.company.company_name.as_str(),
            customer_search_text(c),
            c.company.domain.as_str(),
            c.company.country.as_str(),
            c.company.culture.as_str(),
            c.billing.contact_name.as_str(),
            c.billing.email.as_str(),
            c.billing.address.as_str(),
            ts(&c.created_at),
            c.version,
            name_key(c),
            domain_key(c)
        ],
    )
    .map(drop)
}

pub(super) fn find_customer(conn: &Connection, id: CustomerId) -> StoreResult<Option<Customer>> {
    let sql = format!("SELECT {CUSTOMER_COLS_O} FROM organizations o WHERE o.id = ?1 AND o.kind = 'customer'");
    query_opt(conn, &sql, [id.to_string()], read_customer)
}

pub(super) fn customer_domain_taken(conn: &Connection, domain: &Domain) -> StoreResult<bool> {
    let found = query_opt(
        conn,
        "SELECT 1 FROM organizations WHERE kind = 'customer' AND domain = ?1",
        [domain.as_str()],
        |_| Ok(()),
    )?;
    Ok(found.is_some())
}

pub(super) fn update_customer(conn: &Connection, c: &Customer) -> StoreResult<()> {
    let id = c.id.to_string();
    let changed = execute(
        conn,
        "UPDATE organizations SET name = ?2, search_text = ?3, domain = ?4, country = ?5, culture = ?6, \
         billing_contact = ?7, billing_email = ?8, billing_address = ?9, name_key = ?11, domain_key = ?12, \
         version = version + 1 \
         WHERE id = ?1 AND kind = 'customer' AND version = ?10",
        params![
            id,
            c.company.company_name.as_str(),
            customer_search_text(c),
            c.company.domain.as_str(),
            c.company.country.as_str(),
            c.company.culture.as_str(),
            c.billing.contact_name.as_str(),
            c.billing.email.as_str(),
            c.billing.address.as_str(),
            c.version,
            name_key(c),
            domain_key(c)
        ],
    )?;
    check_version(
        conn,
        changed,
        "SELECT 1 FROM organizations WHERE id = ?1 AND kind = 'customer'",
        &id,
        "customer",
    )
}

/// Gives every customer without search keys (rows written before migration 0007) its keys,
/// a batch per transaction; returns how many it filled. Run after migrating: SQL's `lower()`
/// folds ASCII only here, so the keys are computed by the one function that folds searches.
pub(super) fn fill_customer_keys(conn: &mut Connection) -> StoreResult<usize> {
    const BATCH: i64 = 500;
    let mut filled = 0;
    loop {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(super::db_err)?;
        let sql = format!(
            "SELECT {CUSTOMER_COLS_O} FROM organizations o INDEXED BY organizations_customer_keys_missing \
             WHERE o.kind = 'customer' AND (o.name_key IS NULL OR o.domain_key IS NULL) ORDER BY o.id LIMIT ?1"
        );
        let batch = query_all(&tx, &sql, [BATCH], read_customer)?;
        for c in &batch {
            execute(
                &tx,
                "UPDATE organizations SET name_key = ?2, domain_key = ?3 WHERE id = ?1",
                params![c.id.to_string(), name_key(c), domain_key(c)],
            )?;
        }
        tx.commit().map_err(super::db_err)?;
        filled += batch.len();
        if batch.len() < BATCH as usize {
            return Ok(filled);
        }
    }
}

// --- users ---

const USER_SELECT: &str = "SELECT id, org_id, org_kind, email, display_name, roles, locale, created_at, version, \
     password_hash, credential_version FROM users";

fn read_user(row: &Row<'_>) -> StoreResult<User> {
    let c = Cols::new(row, USERS);
    let org_kind = c.name("org_kind", OrgKind::parse)?;
    let roles = c.parse("roles", |s| {
        split(s)
            .map(|r| Role::parse(org_kind, r))
            .collect::<Result<Vec<_>, _>>()
    })?;
    Ok(User {
        id: c.id("id")?,
        org_id: c.id("org_id")?,
        org_kind,
        email: c.parse("email", Email::parse)?,
        display_name: c.parse("display_name", |s| Name::parse("displayName", s))?,
        roles,
        locale: c.parse("locale", Culture::parse)?,
        created_at: c.time("created_at")?,
        version: c.int("version")?,
    })
}

fn roles_text(u: &User) -> String {
    join(u.roles.iter().map(|r| r.as_str()))
}

pub(super) fn insert_user(conn: &Connection, u: &User, password_hash: &str) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO users (id, org_id, org_kind, email, display_name, roles, locale, password_hash, created_at, \
         version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            u.id.to_string(),
            u.org_id.to_string(),
            u.org_kind.as_str(),
            u.email.as_str(),
            u.display_name.as_str(),
            roles_text(u),
            u.locale.as_str(),
            password_hash,
            ts(&u.created_at),
            u.version
        ],
    )
    .map(drop)
}

pub(super) fn find_user(conn: &Connection, id: UserId) -> StoreResult<Option<User>> {
    query_opt(
        conn,
        &format!("{USER_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_user,
    )
}

pub(super) fn find_user_by_email(conn: &Connection, email: &Email) -> StoreResult<Option<UserCredentials>> {
    query_opt(
        conn,
        &format!("{USER_SELECT} WHERE email = ?1"),
        [email.as_str()],
        |row| {
            Ok(UserCredentials {
                user: read_user(row)?,
                password_hash: Cols::new(row, USERS).text("password_hash")?,
                credential_version: Cols::new(row, USERS).int("credential_version")?,
            })
        },
    )
}

pub(super) fn list_users(conn: &Connection, org: OrgId) -> StoreResult<Vec<User>> {
    query_all(
        conn,
        &format!("{USER_SELECT} WHERE org_id = ?1 ORDER BY id"),
        [org.to_string()],
        read_user,
    )
}

pub(super) fn update_user(conn: &Connection, u: &User) -> StoreResult<()> {
    let id = u.id.to_string();
    let changed = execute(
        conn,
        "UPDATE users SET email = ?2, display_name = ?3, roles = ?4, locale = ?5, version = version + 1 \
         WHERE id = ?1 AND version = ?6",
        params![
            id,
            u.email.as_str(),
            u.display_name.as_str(),
            roles_text(u),
            u.locale.as_str(),
            u.version
        ],
    )?;
    check_version(conn, changed, "SELECT 1 FROM users WHERE id = ?1", &id, "user")
}

pub(super) fn set_password_hash(conn: &Connection, id: UserId, password_hash: &str) -> StoreResult<()> {
    match execute(
        conn,
        "UPDATE users SET password_hash = ?2, credential_version = credential_version + 1 WHERE id = ?1",
        params![id.to_string(), password_hash],
    )? {
        0 => Err(StoreError::NotFound("user")),
        _ => Ok(()),
    }
}

/// Write transactions are `BEGIN IMMEDIATE`, so reading is already locking here.
pub(super) fn find_credential_version(conn: &Connection, id: UserId) -> StoreResult<Option<i64>> {
    query_opt(
        conn,
        "SELECT credential_version FROM users WHERE id = ?1",
        [id.to_string()],
        |row| Cols::new(row, USERS).int("credential_version"),
    )
}

pub(super) fn delete_user(conn: &Connection, id: UserId) -> StoreResult<()> {
    match execute(conn, "DELETE FROM users WHERE id = ?1", [id.to_string()])? {
        0 => Err(StoreError::NotFound("user")),
        _ => Ok(()),
    }
}

// --- reseller links ---

fn read_link(row: &Row<'_>) -> StoreResult<ResellerLink> {
    let c = Cols::new(row, LINKS);
    Ok(ResellerLink {
        provider_id: c.id("provider_id")?,
        reseller_id: c.id("reseller_id")?,
        created_at: c.time("created_at")?,
    })
}

pub(super) fn insert_reseller_link(conn: &Connection, l: &ResellerLink) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO reseller_links (provider_id, reseller_id, created_at) VALUES (?1, ?2, ?3)",
        params![l.provider_id.to_string(), l.reseller_id.to_string(), ts(&l.created_at)],
    )
    .map(drop)
}

pub(super) fn delete_reseller_link(conn: &Connection, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool> {
    execute(
        conn,
        "DELETE FROM reseller_links WHERE provider_id = ?1 AND reseller_id = ?2",
        [provider.to_string(), reseller.to_string()],
    )
    .map(|n| n > 0)
}

pub(super) fn find_provider_of(conn: &Connection, reseller: PartnerId) -> StoreResult<Option<PartnerId>> {
    query_opt(
        conn,
        "SELECT provider_id FROM reseller_links WHERE reseller_id = ?1",
        [reseller.to_string()],
        |r| Cols::new(r, LINKS).id("provider_id"),
    )
}

pub(super) fn list_reseller_links(conn: &Connection, provider: PartnerId) -> StoreResult<Vec<ResellerLink>> {
    query_all(
        conn,
        "SELECT provider_id, reseller_id, created_at FROM reseller_links WHERE provider_id = ?1 ORDER BY reseller_id",
        [provider.to_string()],
        read_link,
    )
}

#[async_trait]
impl OrgStore for SqliteTx {
    async fn insert_operator(&mut self, id: OrgId, name: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let name = name.to_owned();
        self.call(move |c| insert_operator(c, id, &name, &at)).await
    }

    async fn find_operator(&mut self) -> StoreResult<Option<OrgId>> {
        self.call(find_operator).await
    }

    async fn insert_partner(&mut self, partner: &Partner) -> StoreResult<()> {
        let partner = partner.clone();
        self.call(move |c| insert_partner(c, &partner)).await
    }

    async fn find_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        self.call(move |c| find_partner(c, id)).await
    }

    async fn lock_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        // A write transaction already excludes every other writer.
        self.call(move |c| find_partner(c, id)).await
    }

    async fn list_partners(&mut self, after: Option<PartnerId>, limit: u32) -> StoreResult<Vec<Partner>> {
        self.call(move |c| list_partners(c, after, limit)).await
    }

    async fn insert_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        let customer = customer.clone();
        self.call(move |c| insert_customer(c, &customer)).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        self.call(move |c| find_customer(c, id)).await
    }

    async fn customer_domain_taken(&mut self, domain: &Domain) -> StoreResult<bool> {
        let domain = domain.clone();
        self.call(move |c| customer_domain_taken(c, &domain)).await
    }

    async fn update_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        let customer = customer.clone();
        self.call(move |c| update_customer(c, &customer)).await
    }

    async fn insert_user(&mut self, user: &User, password_hash: &str) -> StoreResult<()> {
        let (user, hash) = (user.clone(), password_hash.to_owned());
        self.call(move |c| insert_user(c, &user, &hash)).await
    }

    async fn find_user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        self.call(move |c| find_user(c, id)).await
    }

    async fn find_user_by_email(&mut self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        let email = email.clone();
        self.call(move |c| find_user_by_email(c, &email)).await
    }

    async fn list_users(&mut self, org: OrgId) -> StoreResult<Vec<User>> {
        self.call(move |c| list_users(c, org)).await
    }

    async fn update_user(&mut self, user: &User) -> StoreResult<()> {
        let user = user.clone();
        self.call(move |c| update_user(c, &user)).await
    }

    async fn set_password_hash(&mut self, id: UserId, password_hash: &str) -> StoreResult<()> {
        let hash = password_hash.to_owned();
        self.call(move |c| set_password_hash(c, id, &hash)).await
    }

    async fn find_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        self.call(move |c| find_credential_version(c, id)).await
    }

    async fn lock_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        self.call(move |c| find_credential_version(c, id)).await
    }

    async fn delete_user(&mut self, id: UserId) -> StoreResult<()> {
        self.call(move |c| delete_user(c, id)).await
    }

    async fn insert_reseller_link(&mut self, link: &ResellerLink) -> StoreResult<()> {
        let link = link.clone();
        self.call(move |c| insert_reseller_link(c, &link)).await
    }

    async fn delete_reseller_link(&mut self, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool> {
        self.call(move |c| delete_reseller_link(c, provider, reseller)).await
    }

    async fn find_provider_of(&mut self, reseller: PartnerId) -> StoreResult<Option<PartnerId>> {
        self.call(move |c| find_provider_of(c, reseller)).await
    }

    async fn list_reseller_links(&mut self, provider: PartnerId) -> StoreResult<Vec<ResellerLink>> {
        self.call(move |c| list_reseller_links(c, provider)).await
    }
}
