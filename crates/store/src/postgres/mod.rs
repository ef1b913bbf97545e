//! PostgreSQL backend (scale-out): a `sqlx` pool, migrations guarded by an advisory lock, and
//! [`PgTx`], the [`Tx`] implementation. The SQL for each area of rows lives in its own file;
//! reading a row back into domain values goes through [`row::Cols`].

mod auth;
mod commerce;
mod orgs;
mod relationships;
mod row;
mod trail;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::offer::{Offer, Order};
use partnerdesk_domain::org::{Customer, Partner, ResellerLink, User};
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, Relationship};
use partnerdesk_domain::request::RelationshipRequest;
use partnerdesk_domain::sign_in::SignInFailure;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::token::{ApiToken, RefreshToken, WebSession};
use partnerdesk_domain::values::{Country, Domain, Email};
use partnerdesk_domain::*;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres};
use uuid::Uuid;

use crate::migrations::{Migration, POSTGRES};
use crate::{
    CustomerFilter, IdempotencyRecord, SigningKey, StoreError, StoreResult, StoredResponse, Tx, UserCredentials,
};

/// Connections per process; several nodes share one server, so keep it modest.
const MAX_CONNECTIONS: u32 = 8;
/// How long to wait for a connection (opening one included) before `Unavailable`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a statement may wait for a row lock before `Unavailable`, like SQLite's busy timeout.
const LOCK_TIMEOUT: &str = "10s";
/// Key of the advisory lock that serialises migrations across nodes ("pdmigrat").
const MIGRATION_LOCK_KEY: i64 = 0x7064_6d69_6772_6174;

/// A pool of connections to one PostgreSQL database (optionally one schema of it).
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url`, failing with `Unavailable` within a few seconds when the server cannot
    /// be reached. With `schema`, every connection uses it as its `search_path`.
    pub async fn connect(url: &str, schema: Option<&str>) -> StoreResult<Self> {
        let mut options: PgConnectOptions = url
            .parse()
            .map_err(|e| StoreError::BadUrl(format!("invalid PostgreSQL URL: {e}")))?;
        let mut settings = vec![("lock_timeout", LOCK_TIMEOUT)];
        if let Some(schema) = schema {
            settings.push(("search_path", schema));
        }
        options = options.options(settings);
        let (host, port) = (options.get_host().to_string(), options.get_port());
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut => StoreError::Unavailable(format!(
                    "cannot connect to PostgreSQL at {host}:{port} within {} s (is the server running and reachable?)",
                    ACQUIRE_TIMEOUT.as_secs()
                )),
                other => db_err(other),
            })?;
        Ok(Self { pool })
    }

    /// Applies the migrations of [`POSTGRES`] not yet recorded in `schema_migrations`, each in
    /// its own transaction under an advisory lock, so nodes starting together do not race.
    pub async fn migrate(&self) -> StoreResult<()> {
        for migration in POSTGRES {
            self.apply(migration).await?;
        }
        let filled = orgs::fill_customer_keys(&self.pool).await?;
        if filled > 0 {
            tracing::info!(customers = filled, "filled customer search keys");
        }
        Ok(())
    }

    async fn apply(&self, migration: &Migration) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Another node may hold the lock for as long as its migration takes.
        sqlx::query("SET LOCAL lock_timeout = 0")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK_KEY)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL
             )",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let applied: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)")
            .bind(migration.version)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        if applied {
            return tx.rollback().await.map_err(db_err);
        }
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Database(msg) => StoreError::Database(format!(
                    "migration {:04}_{} failed: {msg}",
                    migration.version, migration.name
                )),
                other => other,
            })?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied PostgreSQL migration"
        );
        Ok(())
    }

    /// Starts a transaction. Writes run at READ COMMITTED and lock what they must; reads are
    /// REPEATABLE READ, READ ONLY, so every statement sees the same snapshot.
    pub async fn begin(&self, write: bool) -> StoreResult<Box<dyn Tx>> {
        let tx = if write {
            self.pool.begin().await
        } else {
            self.pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await
        }
        .map_err(db_err)?;
        Ok(Box::new(PgTx { tx }))
    }
}

/// Maps a driver error to the store's: unique violations are conflicts; an unreachable,
/// overloaded or locked database is unavailable; anything else is a database error.
pub(super) fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                "23505" => StoreError::Conflict(conflict_message(db.constraint())),
                "55P03" => {
                    StoreError::Unavailable(format!("a row stayed locked past the lock timeout: {}", db.message()))
                }
                "40001" => StoreError::Unavailable(format!(
                    "a concurrent update cancelled the transaction: {}",
                    db.message()
                )),
                "40P01" => StoreError::Unavailable(format!("deadlock between transactions: {}", db.message())),
                "57014" => StoreError::Unavailable(format!("the statement was cancelled: {}", db.message())),
                c if c.starts_with("08") || c.starts_with("57P") || c == "53300" => StoreError::Unavailable(format!(
                    "PostgreSQL refused or dropped the connection ({c}): {}",
                    db.message()
                )),
                _ => StoreError::Database(format!("{} (SQLSTATE {code})", db.message())),
            }
        }
        sqlx::Error::PoolTimedOut => StoreError::Unavailable(format!(
            "no database connection within {} s: PostgreSQL is unreachable or every connection is busy",
            ACQUIRE_TIMEOUT.as_secs()
        )),
        sqlx::Error::PoolClosed => StoreError::Unavailable("the connection pool is closed".into()),
        sqlx::Error::Io(e) => StoreError::Unavailable(format!("lost the connection to PostgreSQL: {e}")),
        sqlx::Error::Tls(e) => StoreError::Unavailable(format!("TLS with PostgreSQL failed: {e}")),
        sqlx::Error::WorkerCrashed => StoreError::Unavailable("the connection's background worker crashed".into()),
        other => StoreError::Database(other.to_string()),
    }
}

fn conflict_message(constraint: Option<&str>) -> String {
    match constraint {
        Some("relationships_active_pair") => "the partner already has an active relationship with this customer".into(),
        Some("users_email_key") => "a user with this e-mail address already exists".into(),
        Some("organizations_customer_domain") => "a customer with this domain already exists".into(),
        Some("reseller_links_one_provider") => "the reseller is already linked to an indirect provider".into(),
        Some("relationship_requests_token_hash_key") => "a relationship request with this token already exists".into(),
        Some("api_tokens_token_hash_key" | "refresh_tokens_token_hash_key") => {
            "a token with this secret already exists".into()
        }
        Some("web_sessions_secret_hash_key") => "a session with this secret already exists".into(),
        Some("idempotency_keys_pkey") => "this request id was already used by this caller".into(),
        Some(name) if name.ends_with("_pkey") => format!("a row with this id already exists ({name})"),
        Some(name) => format!("duplicate value ({name})"),
        None => "duplicate value".into(),
    }
}

/// After an `UPDATE ... WHERE id = $1 AND version = $2` that touched no row: a version
/// conflict when the row exists, else not found. `exists_sql` takes the id as `$1`.
async fn missed_update(
    conn: &mut PgConnection,
    exists_sql: &'static str,
    id: Uuid,
    entity: &'static str,
) -> StoreError {
    match sqlx::query_scalar::<Postgres, bool>(exists_sql)
        .bind(id)
        .fetch_one(conn)
        .await
    {
        Ok(true) => StoreError::VersionConflict(entity),
        Ok(false) => StoreError::NotFound(entity),
        Err(e) => db_err(e),
    }
}

/// Keyset pages ask for ids after `after`; as an inclusive lower bound that is the next UUID
/// (PostgreSQL orders UUIDs bytewise, as big-endian `u128`). One statement then serves the
/// first page too, where `$n IS NULL OR id > $n` would keep a cached plan from using the index
/// range. `None` means nothing can follow `after`.
fn page_start(after: Option<Uuid>) -> Option<Uuid> {
    match after {
        None => Some(Uuid::nil()),
        Some(id) => id.as_u128().checked_add(1).map(Uuid::from_u128),
    }
}

/// A page size as SQL's `LIMIT`.
fn limit(limit: u32) -> i64 {
    i64::from(limit)
}

/// One PostgreSQL transaction. Dropping it rolls back.
pub struct PgTx {
    tx: sqlx::Transaction<'static, Postgres>,
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }
    async fn rollback(self: Box<Self>) -> StoreResult<()> {
        self.tx.rollback().await.map_err(db_err)
    }
    async fn begin_step(&mut self) -> StoreResult<()> {
        sqlx::query("SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }
    async fn keep_step(&mut self) -> StoreResult<()> {
        sqlx::query("RELEASE SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }
    async fn undo_step(&mut self) -> StoreResult<()> {
        sqlx::raw_sql("ROLLBACK TO SAVEPOINT pd_step; RELEASE SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }
    async fn ping(&mut self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }

    async fn insert_operator(&mut self, id: OrgId, name: &str, at: DateTime<Utc>) -> StoreResult<()> {
        orgs::insert_operator(&mut self.tx, id, name, at).await
    }
    async fn find_operator(&mut self) -> StoreResult<Option<OrgId>> {
        orgs::find_operator(&mut self.tx).await
    }
    async fn insert_partner(&mut self, partner: &Partner) -> StoreResult<()> {
        orgs::insert_partner(&mut self.tx, partner).await
    }
    async fn find_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        orgs::find_partner(&mut self.tx, id).await
    }
    async fn lock_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        orgs::lock_partner(&mut self.tx, id).await
    }
    async fn list_partners(&mut self, after: Option<PartnerId>, limit: u32) -> StoreResult<Vec<Partner>> {
        orgs::list_partners(&mut self.tx, after, limit).await
    }
    async fn insert_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        orgs::insert_customer(&mut self.tx, customer).await
    }
    async fn find_customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        orgs::find_customer(&mut self.tx, id).await
    }
    async fn customer_domain_taken(&mut self, domain: &Domain) -> StoreResult<bool> {
        orgs::customer_domain_taken(&mut self.tx, domain).await
    }
    async fn update_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        orgs::update_customer(&mut self.tx, customer).await
    }

    async fn insert_user(&mut self, user: &User, password_hash: &str) -> StoreResult<()> {
        orgs::insert_user(&mut self.tx, user, password_hash).await
    }
    async fn find_user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        orgs::find_user(&mut self.tx, id).await
    }
    async fn find_user_by_email(&mut self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        orgs::find_user_by_email(&mut self.tx, email).await
    }
    async fn list_users(&mut self, org: OrgId) -> StoreResult<Vec<User>> {
        orgs::list_users(&mut self.tx, org).await
    }
    async fn update_user(&mut self, user: &User) -> StoreResult<()> {
        orgs::update_user(&mut self.tx, user).await
    }
    async fn set_password_hash(&mut self, id: UserId, password_hash: &str) -> StoreResult<()> {
        orgs::set_password_hash(&mut self.tx, id, password_hash).await
    }
    async fn find_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        orgs::find_credential_version(&mut self.tx, id, false).await
    }
    async fn lock_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        orgs::find_credential_version(&mut self.tx, id, true).await
    }
    async fn delete_user(&mut self, id: UserId) -> StoreResult<()> {
        orgs::delete_user(&mut self.tx, id).await
    }

    async fn insert_reseller_link(&mut self, link: &ResellerLink) -> StoreResult<()> {
        orgs::insert_reseller_link(&mut self.tx, link).await
    }
    async fn delete_reseller_link(&mut self, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool> {
        orgs::delete_reseller_link(&mut self.tx, provider, reseller).await
    }
    async fn find_provider_of(&mut self, reseller: PartnerId) -> StoreResult<Option<PartnerId>> {
        orgs::find_provider_of(&mut self.tx, reseller).await
    }
    async fn list_reseller_links(&mut self, provider: PartnerId) -> StoreResult<Vec<ResellerLink>> {
        orgs::list_reseller_links(&mut self.tx, provider).await
    }

    async fn insert_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        relationships::insert_relationship(&mut self.tx, rel).await
    }
    async fn find_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        relationships::find_active_relationship(&mut self.tx, partner, customer, false).await
    }
    async fn lock_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        relationships::find_active_relationship(&mut self.tx, partner, customer, true).await
    }
    async fn update_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        relationships::update_relationship(&mut self.tx, rel).await
    }
    async fn list_customer_relationships(&mut self, customer: CustomerId) -> StoreResult<Vec<Relationship>> {
        relationships::list_customer_relationships(&mut self.tx, customer).await
    }
    async fn list_partner_customers_by_name(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        orgs::list_partner_customers_by_name(&mut self.tx, partner, after, limit).await
    }

    async fn list_former_customers(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        orgs::list_former_customers(&mut self.tx, partner, after, limit).await
    }
    async fn list_partner_customers(
        &mut self,
        partner: PartnerId,
        filter: &CustomerFilter,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        orgs::list_partner_customers(&mut self.tx, partner, filter, after, limit).await
    }
    async fn count_partner_subscriptions(&mut self, partner: PartnerId) -> StoreResult<Vec<(SubscriptionStatus, i64)>> {
        orgs::count_partner_subscriptions(&mut self.tx, partner).await
    }

    async fn count_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64> {
        orgs::count_gdap_ending(&mut self.tx, partner, from, to).await
    }

    async fn count_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<i64> {
        orgs::count_partner_customers(&mut self.tx, partner, filter).await
    }
    async fn explain_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<String> {
        orgs::explain_partner_customers(&mut self.tx, partner, filter).await
    }

    async fn insert_request(&mut self, req: &RelationshipRequest, token_hash: &str) -> StoreResult<()> {
        relationships::insert_request(&mut self.tx, req, token_hash).await
    }
    async fn find_request(&mut self, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
        relationships::find_request(&mut self.tx, id).await
    }
    async fn find_request_by_token_hash(&mut self, token_hash: &str) -> StoreResult<Option<RelationshipRequest>> {
        relationships::find_request_by_token_hash(&mut self.tx, token_hash).await
    }
    async fn update_request(&mut self, req: &RelationshipRequest) -> StoreResult<()> {
        relationships::update_request(&mut self.tx, req).await
    }
    async fn list_partner_requests(&mut self, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>> {
        relationships::list_partner_requests(&mut self.tx, partner).await
    }

    async fn insert_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        commerce::insert_offer(&mut self.tx, offer).await
    }
    async fn find_offer(&mut self, id: OfferId) -> StoreResult<Option<Offer>> {
        commerce::find_offer(&mut self.tx, id).await
    }
    async fn update_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        commerce::update_offer(&mut self.tx, offer).await
    }
    async fn list_offers(&mut self, country: Option<&Country>) -> StoreResult<Vec<Offer>> {
        commerce::list_offers(&mut self.tx, country).await
    }

    async fn insert_order(&mut self, order: &Order) -> StoreResult<()> {
        commerce::insert_order(&mut self.tx, order).await
    }
    async fn find_order(&mut self, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>> {
        commerce::find_order(&mut self.tx, customer, id).await
    }
    async fn list_orders(&mut self, customer: CustomerId, partner: Option<PartnerId>) -> StoreResult<Vec<Order>> {
        commerce::list_orders(&mut self.tx, customer, partner).await
    }
    async fn insert_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        commerce::insert_subscription(&mut self.tx, sub).await
    }
    async fn find_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        commerce::find_subscription(&mut self.tx, id, false).await
    }
    async fn lock_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        commerce::find_subscription(&mut self.tx, id, true).await
    }
    async fn update_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        commerce::update_subscription(&mut self.tx, sub).await
    }
    async fn list_customer_subscriptions(&mut self, customer: CustomerId) -> StoreResult<Vec<Subscription>> {
        commerce::list_customer_subscriptions(&mut self.tx, customer).await
    }

    async fn insert_dap(&mut self, dap: &DapGrant) -> StoreResult<()> {
        relationships::insert_dap(&mut self.tx, dap).await
    }
    async fn list_dap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>> {
        relationships::list_dap(&mut self.tx, partner, customer).await
    }
    async fn end_dap(&mut self, id: DapId, at: DateTime<Utc>, by: Option<UserId>) -> StoreResult<()> {
        relationships::end_dap(&mut self.tx, id, at, by).await
    }
    async fn insert_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        relationships::insert_gdap(&mut self.tx, gdap).await
    }
    async fn list_gdap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>> {
        relationships::list_gdap(&mut self.tx, partner, customer).await
    }
    async fn update_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        relationships::update_gdap(&mut self.tx, gdap).await
    }

    async fn insert_audit(&mut self, record: &AuditRecord) -> StoreResult<()> {
        trail::insert_audit(&mut self.tx, record).await
    }
    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        trail::insert_audits(&mut self.tx, records).await
    }
    async fn list_audit(
        &mut self,
        customer: Option<CustomerId>,
        after: Option<AuditId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        trail::list_audit(&mut self.tx, customer, after, limit).await
    }
    async fn insert_event(&mut self, event: &OutboxEvent) -> StoreResult<()> {
        trail::insert_event(&mut self.tx, event).await
    }
    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()> {
        trail::insert_events(&mut self.tx, events).await
    }
    async fn list_pending_events(&mut self, limit: u32) -> StoreResult<Vec<OutboxEvent>> {
        trail::list_pending_events(&mut self.tx, limit).await
    }

    async fn insert_api_token(&mut self, token: &ApiToken, token_hash: &str) -> StoreResult<()> {
        auth::insert_api_token(&mut self.tx, token, token_hash).await
    }
    async fn find_api_token(&mut self, id: ApiTokenId) -> StoreResult<Option<ApiToken>> {
        auth::find_api_token(&mut self.tx, id).await
    }
    async fn find_api_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<ApiToken>> {
        auth::find_api_token_by_hash(&mut self.tx, token_hash).await
    }
    async fn list_api_tokens(&mut self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        auth::list_api_tokens(&mut self.tx, user).await
    }
    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        auth::revoke_api_token(&mut self.tx, id, at).await
    }
    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        auth::touch_api_token(&mut self.tx, id, at).await
    }
    async fn revoke_api_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        auth::revoke_api_tokens_of_user(&mut self.tx, user, at).await
    }

    async fn insert_refresh_token(&mut self, token: &RefreshToken, token_hash: &str) -> StoreResult<()> {
        auth::insert_refresh_token(&mut self.tx, token, token_hash).await
    }
    async fn find_refresh_token(&mut self, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>> {
        auth::find_refresh_token(&mut self.tx, id).await
    }
    async fn find_refresh_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        auth::find_refresh_token_by_hash(&mut self.tx, token_hash).await
    }
    async fn revoke_refresh_token(
        &mut self,
        id: RefreshTokenId,
        at: DateTime<Utc>,
        replaced_by: Option<RefreshTokenId>,
    ) -> StoreResult<bool> {
        auth::revoke_refresh_token(&mut self.tx, id, at, replaced_by).await
    }
    async fn revoke_refresh_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        auth::revoke_refresh_tokens_of_user(&mut self.tx, user, at).await
    }

    async fn insert_web_session(&mut self, session: &WebSession, secret_hash: &str) -> StoreResult<()> {
        auth::insert_web_session(&mut self.tx, session, secret_hash).await
    }
    async fn find_web_session_by_hash(&mut self, secret_hash: &str) -> StoreResult<Option<WebSession>> {
        auth::find_web_session_by_hash(&mut self.tx, secret_hash).await
    }
    async fn delete_web_session(&mut self, id: WebSessionId) -> StoreResult<bool> {
        auth::delete_web_session(&mut self.tx, id).await
    }
    async fn delete_web_sessions_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        auth::delete_web_sessions_before(&mut self.tx, before).await
    }
    async fn delete_web_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64> {
        auth::delete_web_sessions_of_user(&mut self.tx, user).await
    }

    async fn lock_sign_in_failures(
        &mut self,
        account: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<SignInFailure>> {
        auth::lock_sign_in_failures(&mut self.tx, account, since, limit).await
    }
    async fn insert_sign_in_failure(&mut self, failure: &SignInFailure) -> StoreResult<()> {
        auth::insert_sign_in_failure(&mut self.tx, failure).await
    }
    async fn delete_sign_in_failures_of_client(&mut self, account: &str, client: &str) -> StoreResult<u64> {
        auth::delete_sign_in_failures_of_client(&mut self.tx, account, client).await
    }
    async fn delete_sign_in_failures_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        auth::delete_sign_in_failures_before(&mut self.tx, before).await
    }

    async fn insert_signing_key(&mut self, key: &SigningKey) -> StoreResult<()> {
        auth::insert_signing_key(&mut self.tx, key).await
    }
    async fn list_signing_keys(&mut self) -> StoreResult<Vec<SigningKey>> {
        auth::list_signing_keys(&mut self.tx).await
    }
    async fn ensure_server_key(&mut self, name: &str, candidate: &str, at: DateTime<Utc>) -> StoreResult<String> {
        auth::ensure_server_key(&mut self.tx, name, candidate, at).await
    }
    async fn find_server_key(&mut self, name: &str) -> StoreResult<Option<String>> {
        auth::find_server_key(&mut self.tx, name).await
    }

    async fn insert_idempotency_key(&mut self, record: &IdempotencyRecord) -> StoreResult<()> {
        auth::insert_idempotency_key(&mut self.tx, record).await
    }
    async fn find_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<Option<IdempotencyRecord>> {
        auth::find_idempotency_key(&mut self.tx, user, request_id).await
    }
    async fn complete_idempotency_key(
        &mut self,
        user: UserId,
        request_id: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        auth::complete_idempotency_key(&mut self.tx, user, request_id, response).await
    }
    async fn delete_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<bool> {
        auth::delete_idempotency_key(&mut self.tx, user, request_id).await
    }
    async fn delete_idempotency_keys_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        auth::delete_idempotency_keys_before(&mut self.tx, before).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyset_page_starts_just_after_the_last_id_seen() {
        assert_eq!(page_start(None), Some(Uuid::nil()));
        assert_eq!(page_start(Some(Uuid::from_u128(41))), Some(Uuid::from_u128(42)));
        assert_eq!(page_start(Some(Uuid::max())), None);
    }

    #[test]
    fn unique_violations_name_what_was_taken() {
        assert!(conflict_message(Some("relationships_active_pair")).contains("active relationship"));
        assert!(conflict_message(Some("users_email_key")).contains("e-mail"));
    }
}
