//! Organisations (operator, partners, customers), their users, and indirect reseller links:
//! [`OrgStore`] on [`PgTx`].
//! All three kinds of organisation share the `organizations` table, told apart by `kind`.

use chrono::{DateTime, Utc};
use partnerdesk_domain::org::{
    BillingProfile, CompanyProfile, Customer, OrgKind, Partner, PartnerType, ResellerLink, Role, User,
};
use partnerdesk_domain::values::{Country, Culture, Domain, Email, Name, Note};
use partnerdesk_domain::{CustomerId, DomainError, OrgId, PartnerId, UserId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres};

use super::rows::{known, split_list, Cols};
use super::PgTx;
use super::{db_err, limit, missed_update, page_start};
use crate::search::{domain_key, name_key};
use crate::OrgStore;
use crate::{StoreResult, UserCredentials};
use async_trait::async_trait;

// --- partners ---

fn partner_from_row(row: &PgRow) -> StoreResult<Partner> {
    let r = Cols::new(row, "organizations");
    Ok(Partner {
        id: r.id("id")?,
        name: r.parse("name", |s| Name::parse("name", s))?,
        partner_type: r.parse("partner_type", PartnerType::parse)?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
    })
}

// --- customers ---

pub(super) const CUSTOMER_COLS_O: &str =
    "o.id, o.name, o.domain, o.country, o.culture, o.billing_contact, o.billing_email, \
                                          o.billing_address, o.created_at, o.version";

pub(super) fn customer_from_row(row: &PgRow) -> StoreResult<Customer> {
    let r = Cols::new(row, "organizations");
    Ok(Customer {
        id: r.id("id")?,
        company: CompanyProfile {
            company_name: r.parse("name", |s| Name::parse("companyName", s))?,
            domain: r.parse("domain", Domain::parse)?,
            country: r.parse("country", Country::parse)?,
            culture: r.parse("culture", Culture::parse)?,
        },
        billing: BillingProfile {
            contact_name: r.parse("billing_contact", |s| Name::parse("billingContact", s))?,
            email: r.parse("billing_email", Email::parse)?,
            address: r.parse("billing_address", |s| Note::parse("billingAddress", s))?,
        },
        created_at: r.get("created_at")?,
        version: r.get("version")?,
    })
}

/// What a customer search matches: the company name and the domain, lower-cased.
pub(super) fn customer_search_text(c: &Customer) -> String {
    format!("{} {}", c.company.company_name.as_str(), c.company.domain.as_str()).to_lowercase()
}

/// Gives every customer without search keys (rows written before migration 0007) its keys,
/// a batch per transaction; returns how many it filled. Run after migrating: `lower()`
/// folds by the database's ctype, not as a search does, so the keys are computed by the one
/// function that folds searches. Nodes that run it at once write the same keys.
pub(super) async fn fill_customer_keys(pool: &sqlx::PgPool) -> StoreResult<usize> {
    const BATCH: i64 = 500;
    let mut filled = 0;
    loop {
        let mut tx = pool.begin().await.map_err(db_err)?;
        let batch: Vec<Customer> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CUSTOMER_COLS_O} FROM organizations o
             WHERE o.kind = 'customer' AND (o.name_key IS NULL OR o.domain_key IS NULL)
             ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED"
        )))
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?
        .iter()
        .map(customer_from_row)
        .collect::<StoreResult<_>>()?;
        for c in &batch {
            sqlx::query("UPDATE organizations SET name_key = $2, domain_key = $3 WHERE id = $1")
                .bind(c.id.uuid())
                .bind(name_key(c))
                .bind(domain_key(c))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        filled += batch.len();
        if batch.len() < BATCH as usize {
            return Ok(filled);
        }
    }
}

// --- users ---

fn parse_roles(kind: OrgKind, raw: &str) -> Result<Vec<Role>, DomainError> {
    split_list(raw).map(|name| Role::parse(kind, name)).collect()
}

fn join_roles(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

fn user_from_row(row: &PgRow) -> StoreResult<User> {
    let r = Cols::new(row, "users");
    let org_kind = r.parse("org_kind", |s| known(OrgKind::parse(s), s))?;
    Ok(User {
        id: r.id("id")?,
        org_id: r.id("org_id")?,
        org_kind,
        email: r.parse("email", Email::parse)?,
        display_name: r.parse("display_name", |s| Name::parse("displayName", s))?,
        roles: r.parse("roles", |s| parse_roles(org_kind, s))?,
        locale: r.parse("locale", Culture::parse)?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
    })
}

/// The user's credential version; with `lock`, `FOR UPDATE`, which waits for a password
/// change in progress and makes one wait for this transaction.
pub(super) async fn find_credential_version(
    conn: &mut PgConnection,
    id: UserId,
    lock: bool,
) -> StoreResult<Option<i64>> {
    let sql = if lock {
        "SELECT credential_version FROM users WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT credential_version FROM users WHERE id = $1"
    };
    sqlx::query_scalar(sql)
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)
}

// --- reseller links ---

fn link_from_row(row: &PgRow) -> StoreResult<ResellerLink> {
    let r = Cols::new(row, "reseller_links");
    Ok(ResellerLink {
        provider_id: r.id("provider_id")?,
        reseller_id: r.id("reseller_id")?,
        created_at: r.get("created_at")?,
    })
}

#[async_trait]
impl OrgStore for PgTx {
    async fn insert_operator(&mut self, id: OrgId, name: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO organizations (id, kind, name, search_text, created_at) VALUES ($1, 'operator', $2, $3, $4)",
        )
        .bind(id.uuid())
        .bind(name)
        .bind(name.to_lowercase())
        .bind(at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_operator(&mut self) -> StoreResult<Option<OrgId>> {
        let conn: &mut PgConnection = &mut self.tx;
        let id: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM organizations WHERE kind = 'operator' ORDER BY id LIMIT 1")
                .fetch_optional(conn)
                .await
                .map_err(db_err)?;
        Ok(id.map(OrgId))
    }

    async fn insert_partner(&mut self, p: &Partner) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO organizations (id, kind, name, search_text, partner_type, created_at, version)
         VALUES ($1, 'partner', $2, $3, $4, $5, $6)",
        )
        .bind(p.id.uuid())
        .bind(p.name.as_str())
        .bind(p.name.as_str().to_lowercase())
        .bind(p.partner_type.as_str())
        .bind(p.created_at)
        .bind(p.version)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, name, partner_type, created_at, version FROM organizations WHERE id = $1 AND kind = 'partner'",
        )
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(partner_from_row)
        .transpose()
    }

    async fn lock_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            // NO KEY UPDATE: excludes another lock_partner, not rows that merely reference it.
            "SELECT id, name, partner_type, created_at, version FROM organizations WHERE id = $1 AND kind = 'partner' \
         FOR NO KEY UPDATE",
        )
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(partner_from_row)
        .transpose()
    }

    async fn list_partners(&mut self, after: Option<PartnerId>, page: u32) -> StoreResult<Vec<Partner>> {
        let conn: &mut PgConnection = &mut self.tx;
        let Some(start) = page_start(after.map(PartnerId::uuid)) else {
            return Ok(Vec::new());
        };
        sqlx::query(
            "SELECT id, name, partner_type, created_at, version FROM organizations
         WHERE kind = 'partner' AND id >= $1 ORDER BY id LIMIT $2",
        )
        .bind(start)
        .bind(limit(page))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(partner_from_row)
        .collect()
    }

    async fn insert_customer(&mut self, c: &Customer) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO organizations (id, kind, name, search_text, domain, country, culture,
                                    billing_contact, billing_email, billing_address, created_at, version,
                                    name_key, domain_key)
         VALUES ($1, 'customer', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(c.id.uuid())
        .bind(c.company.company_name.as_str())
        .bind(customer_search_text(c))
        .bind(c.company.domain.as_str())
        .bind(c.company.country.as_str())
        .bind(c.company.culture.as_str())
        .bind(c.billing.contact_name.as_str())
        .bind(c.billing.email.as_str())
        .bind(c.billing.address.as_str())
        .bind(c.created_at)
        .bind(c.version)
        .bind(name_key(c))
        .bind(domain_key(c))
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
        "SELECT id, name, domain, country, culture, billing_contact, billing_email, billing_address, created_at, version
         FROM organizations WHERE id = $1 AND kind = 'customer'",
    )
    .bind(id.uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(customer_from_row)
    .transpose()
    }

    async fn customer_domain_taken(&mut self, domain: &Domain) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query_scalar::<Postgres, bool>(
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE kind = 'customer' AND domain = $1)",
        )
        .bind(domain.as_str())
        .fetch_one(conn)
        .await
        .map_err(db_err)
    }

    async fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE organizations
         SET name = $3, search_text = $4, domain = $5, country = $6, culture = $7,
             billing_contact = $8, billing_email = $9, billing_address = $10,
             name_key = $11, domain_key = $12, version = version + 1
         WHERE id = $1 AND version = $2 AND kind = 'customer'",
        )
        .bind(c.id.uuid())
        .bind(c.version)
        .bind(c.company.company_name.as_str())
        .bind(customer_search_text(c))
        .bind(c.company.domain.as_str())
        .bind(c.company.country.as_str())
        .bind(c.company.culture.as_str())
        .bind(c.billing.contact_name.as_str())
        .bind(c.billing.email.as_str())
        .bind(c.billing.address.as_str())
        .bind(name_key(c))
        .bind(domain_key(c))
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND kind = 'customer')";
            return Err(missed_update(conn, exists, c.id.uuid(), "customer").await);
        }
        Ok(())
    }

    async fn insert_user(&mut self, u: &User, password_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
        "INSERT INTO users (id, org_id, org_kind, email, display_name, roles, locale, password_hash, created_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(u.id.uuid())
    .bind(u.org_id.uuid())
    .bind(u.org_kind.as_str())
    .bind(u.email.as_str())
    .bind(u.display_name.as_str())
    .bind(join_roles(&u.roles))
    .bind(u.locale.as_str())
    .bind(password_hash)
    .bind(u.created_at)
    .bind(u.version)
    .execute(conn)
    .await
    .map_err(db_err)?;
        Ok(())
    }

    async fn find_user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
        "SELECT id, org_id, org_kind, email, display_name, roles, locale, created_at, version FROM users WHERE id = $1",
    )
    .bind(id.uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(user_from_row)
    .transpose()
    }

    async fn find_user_by_email(&mut self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        let conn: &mut PgConnection = &mut self.tx;
        let row = sqlx::query(
            "SELECT id, org_id, org_kind, email, display_name, roles, locale, password_hash, created_at, version,
                credential_version
         FROM users WHERE email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(UserCredentials {
            user: user_from_row(&row)?,
            password_hash: Cols::new(&row, "users").get("password_hash")?,
            credential_version: Cols::new(&row, "users").get("credential_version")?,
        }))
    }

    async fn list_users(&mut self, org: OrgId) -> StoreResult<Vec<User>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, org_id, org_kind, email, display_name, roles, locale, created_at, version
         FROM users WHERE org_id = $1 ORDER BY id",
        )
        .bind(org.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(user_from_row)
        .collect()
    }

    async fn update_user(&mut self, u: &User) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE users SET email = $3, display_name = $4, roles = $5, locale = $6, version = version + 1
         WHERE id = $1 AND version = $2",
        )
        .bind(u.id.uuid())
        .bind(u.version)
        .bind(u.email.as_str())
        .bind(u.display_name.as_str())
        .bind(join_roles(&u.roles))
        .bind(u.locale.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            let exists = "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)";
            return Err(missed_update(conn, exists, u.id.uuid(), "user").await);
        }
        Ok(())
    }

    async fn set_password_hash(&mut self, id: UserId, password_hash: &str) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $2, credential_version = credential_version + 1 WHERE id = $1",
        )
        .bind(id.uuid())
        .bind(password_hash)
        .execute(conn)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn find_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        find_credential_version(&mut self.tx, id, false).await
    }

    async fn lock_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        find_credential_version(&mut self.tx, id, true).await
    }

    async fn delete_user(&mut self, id: UserId) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn insert_reseller_link(&mut self, link: &ResellerLink) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("INSERT INTO reseller_links (provider_id, reseller_id, created_at) VALUES ($1, $2, $3)")
            .bind(link.provider_id.uuid())
            .bind(link.reseller_id.uuid())
            .bind(link.created_at)
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_reseller_link(&mut self, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query("DELETE FROM reseller_links WHERE provider_id = $1 AND reseller_id = $2")
            .bind(provider.uuid())
            .bind(reseller.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn find_provider_of(&mut self, reseller: PartnerId) -> StoreResult<Option<PartnerId>> {
        let conn: &mut PgConnection = &mut self.tx;
        let id: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT provider_id FROM reseller_links WHERE reseller_id = $1")
                .bind(reseller.uuid())
                .fetch_optional(conn)
                .await
                .map_err(db_err)?;
        Ok(id.map(PartnerId))
    }

    async fn list_reseller_links(&mut self, provider: PartnerId) -> StoreResult<Vec<ResellerLink>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
        "SELECT provider_id, reseller_id, created_at FROM reseller_links WHERE provider_id = $1 ORDER BY reseller_id",
    )
    .bind(provider.uuid())
    .fetch_all(conn)
    .await
    .map_err(db_err)?
    .iter()
    .map(link_from_row)
    .collect()
    }
}
