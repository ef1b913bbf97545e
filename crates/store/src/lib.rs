//! Persistence for partnerdesk: one interface ([`Tx`]) over two backends, SQLite (the
//! embedded default) and PostgreSQL (scale-out). Use cases open a transaction with
//! [`Store::begin`] (writes) or [`Store::read`] (a consistent read), call narrow methods that
//! speak domain types, and commit. Dialects stay inside `sqlite/` and `postgres/`.
//!
//! The methods are grouped by area, one trait each ([`OrgStore`], [`RelationshipStore`],
//! [`DelegatedAdminStore`], [`CommerceStore`], [`AuthStore`], [`TrailStore`]); [`Tx`] is all of them plus commit,
//! rollback and savepoints. Each backend implements an area's trait in that area's file
//! (`sqlite/orgs.rs`, `postgres/orgs.rs`, ...), so a new query is its method here and its SQL
//! in the two area files.
//!
//! Method naming: `find_*` returns `Option`, `get_*` fails with [`StoreError::NotFound`],
//! `lock_*` also takes a row lock for the rest of the transaction (PostgreSQL `FOR UPDATE`;
//! SQLite write transactions are `BEGIN IMMEDIATE`, which already excludes other writers),
//! `list_*` returns rows in key order (keyset pages take `after` and `limit`),
//! `update_*` checks the row's version and fails with [`StoreError::VersionConflict`].

pub mod bulk;
mod error;
pub mod migrations;
mod postgres;
mod search;
mod sqlite;
mod url;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::{AuditRecord, ChainHead, OutboxEvent};
use partnerdesk_domain::gdap::{
    AccessAssignment, AdminRole, GdapFilter, GdapOperation, GdapRequest, SecurityGroup, SecurityGroupMember,
};
use partnerdesk_domain::mail::{Mail, MailQueueCounts, PasswordReset};
use partnerdesk_domain::offer::{Offer, Order};
use partnerdesk_domain::org::{Customer, Partner, ResellerLink, User};
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, Relationship};
use partnerdesk_domain::request::RelationshipRequest;
use partnerdesk_domain::sign_in::SignInFailure;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::token::{ApiToken, RefreshToken, WebSession};
use partnerdesk_domain::values::{Country, Domain, Email, SearchText};
use partnerdesk_domain::webhook::{WebhookDelivery, WebhookRegistration};
use partnerdesk_domain::*;

pub use error::StoreError;
pub use postgres::{PgAccessListener, PgStore};
pub use sqlite::file::{copy_sqlite, sqlite_file_kind, sqlite_in_use, sqlite_schema_version, SqliteFileKind};
pub use url::DatabaseUrl;

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// The database behind partnerdesk. Cheap to clone; share one per process.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.backend_name())
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &DatabaseUrl) -> StoreResult<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens without migrating.
    pub async fn connect(url: &DatabaseUrl) -> StoreResult<Store> {
        match url {
            DatabaseUrl::Sqlite(path) => Ok(Store::Sqlite(sqlite::SqliteStore::open(path).await?)),
            DatabaseUrl::Postgres(url) => Ok(Store::Postgres(postgres::PgStore::connect(url, None).await?)),
        }
    }

    /// Opens a PostgreSQL database using `schema` as the search path (tests: one schema each).
    pub async fn connect_postgres_schema(url: &str, schema: &str) -> StoreResult<Store> {
        Ok(Store::Postgres(postgres::PgStore::connect(url, Some(schema)).await?))
    }

    /// Applies the migrations not yet applied. Safe to run on every start.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.migrate().await?,
            Store::Postgres(s) => s.migrate().await?,
        }
        self.link_unchained_audit().await
    }

    /// Links audit records written before the hash chains (migration 0012) onto their
    /// chains, oldest first, a batch per transaction; nothing to do once all are linked.
    async fn link_unchained_audit(&self) -> StoreResult<()> {
        loop {
            let mut tx = self.begin().await?;
            let mut records = tx.list_unchained_audit(500).await?;
            if records.is_empty() {
                return tx.rollback().await;
            }
            let heads = link_onto_chains(tx.as_mut(), &mut records).await?;
            tx.link_audit(&records).await?;
            tx.update_audit_chains(&heads).await?;
            tx.commit().await?;
        }
    }

    /// Starts a write transaction. Drop it without `commit` to roll back.
    pub async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        match self {
            Store::Sqlite(s) => s.begin(true).await,
            Store::Postgres(s) => s.begin(true).await,
        }
    }

    /// Starts a read-only transaction (a consistent view; writes fail).
    pub async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        match self {
            Store::Sqlite(s) => s.begin(false).await,
            Store::Postgres(s) => s.begin(false).await,
        }
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> StoreResult<()> {
        let mut tx = self.read().await?;
        tx.ping().await?;
        tx.rollback().await
    }

    /// The access check's signals between nodes: PostgreSQL only (SQLite runs one node).
    pub fn access_signals(&self) -> Option<&postgres::PgStore> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(s) => Some(s),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

/// Where a partner stands with one of its customers, for a list's status column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerStanding {
    pub customer_id: CustomerId,
    /// When the active relationship began.
    pub since: DateTime<Utc>,
    /// The partner holds an active DAP grant over the customer.
    pub delegated_admin: bool,
}

/// Whose audit records a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    /// Every record (the operator).
    All,
    /// Those naming the partner.
    Partner(PartnerId),
    /// Those naming the customer.
    Customer(CustomerId),
}

/// A page of audit records: those of `scope` written in [`from`, `to`), matching every
/// filter given, after `after` in (`at`, id) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub scope: AuditScope,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub customer: Option<CustomerId>,
    pub resource_type: Option<String>,
    /// A case-insensitive part of the customer's name (as it was when recorded).
    pub company_contains: Option<SearchText>,
    pub after: Option<(DateTime<Utc>, AuditId)>,
    pub limit: u32,
}

/// Which of a partner's customers a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CustomerFilter {
    /// All of them.
    #[default]
    All,
    /// A case-insensitive part of the company name or the domain (any script). Reads every
    /// customer of the partner.
    Contains(SearchText),
    /// Company names that start with the text, case folded by
    /// [`fold_case`](partnerdesk_domain::values::fold_case): a range of the
    /// `customer_list_name_key` index.
    NameStartsWith(SearchText),
    /// Domains that start with the text, likewise (`customer_list_domain_key`).
    DomainStartsWith(SearchText),
    /// The customers this other partner also has an active relationship with.
    SharedWith(PartnerId),
}

/// A user with the hash of its password, for sign-in.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: String,
    /// Moves on with every password change (see [`OrgStore::set_password_hash`]).
    pub credential_version: i64,
}

/// A key that signs access tokens. Stored so that every node signs with, and publishes, the
/// same keys.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// Key id, the JWT header's `kid`.
    pub kid: String,
    /// JOSE algorithm name, e.g. `EdDSA`.
    pub algorithm: String,
    /// The private key: PKCS#8 DER, base64.
    pub private_key: String,
    /// The public key as a JWK (JSON text), as published at the JWKS URI.
    pub public_jwk: String,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("algorithm", &self.algorithm)
            .field("private_key", &"***")
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    /// The `Location` of a redirect.
    pub location: Option<String>,
}

/// A POST made with an `MS-RequestId`: reserved when it starts, completed with its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub user_id: UserId,
    /// The client's `MS-RequestId`.
    pub request_id: String,
    /// The caller's organisation.
    pub org_id: OrgId,
    pub method: String,
    pub path: String,
    /// Written in the transaction of the change the request made, so a committed record
    /// always has one; `None` only inside that transaction.
    pub response: Option<StoredResponse>,
    pub created_at: DateTime<Utc>,
}

/// Gives each of `records`, in order, its place on its organisation's hash chain, with the
/// chains' heads locked in `tx` until it ends (so no other writer forks a chain); returns
/// the heads moved on, for [`TrailStore::update_audit_chains`] once the records are written.
pub async fn link_onto_chains(tx: &mut dyn Tx, records: &mut [AuditRecord]) -> StoreResult<Vec<ChainHead>> {
    use partnerdesk_domain::audit_chain::{chain_of, link};
    let mut chains: Vec<OrgId> = records.iter().map(chain_of).collect();
    chains.sort();
    chains.dedup();
    let mut heads = tx.lock_audit_chains(&chains).await?;
    for record in records.iter_mut() {
        let chain = chain_of(record);
        let head = heads
            .iter_mut()
            .find(|h| h.chain_id == chain)
            .ok_or(StoreError::NotFound("audit chain"))?;
        link(head, record);
    }
    Ok(heads)
}

/// One transaction. Every method runs inside it; nothing is visible to others until
/// [`Tx::commit`]. Dropping a transaction rolls it back.
///
/// The queries are grouped by area, a trait each ([`OrgStore`], [`RelationshipStore`],
/// [`CommerceStore`], [`AuthStore`], [`TrailStore`], [`MailStore`]), each implemented by each backend in
/// that area's file; their methods are callable on `dyn Tx`.
#[async_trait]
pub trait Tx:
    OrgStore
    + RelationshipStore
    + DelegatedAdminStore
    + CommerceStore
    + AuthStore
    + TrailStore
    + MailStore
    + WebhookStore
    + AccessStore
    + Send
{
    async fn commit(self: Box<Self>) -> StoreResult<()>;
    async fn rollback(self: Box<Self>) -> StoreResult<()>;
    async fn ping(&mut self) -> StoreResult<()>;
    /// Marks a point to come back to: what follows can be undone alone with
    /// [`Tx::undo_step`], or kept with [`Tx::keep_step`]. One step at a time.
    async fn begin_step(&mut self) -> StoreResult<()>;
    /// Keeps what was done since [`Tx::begin_step`].
    async fn keep_step(&mut self) -> StoreResult<()>;
    /// Undoes what was done since [`Tx::begin_step`] (also after a failed statement), and
    /// leaves the transaction usable.
    async fn undo_step(&mut self) -> StoreResult<()>;
}

/// Organisations (the operator, partners, customers), their users, and indirect provider ↔
/// reseller links.
#[async_trait]
pub trait OrgStore: Send {
    // --- organisations ---
    /// Creates the operator organisation row (once per instance).
    async fn insert_operator(&mut self, id: OrgId, name: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn find_operator(&mut self) -> StoreResult<Option<OrgId>>;
    async fn insert_partner(&mut self, partner: &Partner) -> StoreResult<()>;
    async fn find_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>>;
    /// As `find_partner`, holding a row lock until the transaction ends (serialises what a
    /// partner must do once, e.g. making its open invitation link).
    async fn lock_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>>;
    /// All partners in id order, keyset-paged.
    async fn list_partners(&mut self, after: Option<PartnerId>, limit: u32) -> StoreResult<Vec<Partner>>;
    async fn insert_customer(&mut self, customer: &Customer) -> StoreResult<()>;
    async fn find_customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>>;
    /// Does a customer already have this domain? (A domain names one tenant.)
    async fn customer_domain_taken(&mut self, domain: &Domain) -> StoreResult<bool>;
    async fn update_customer(&mut self, customer: &Customer) -> StoreResult<()>;

    // --- users ---
    /// Fails with `Conflict` when the e-mail is taken.
    async fn insert_user(&mut self, user: &User, password_hash: &str) -> StoreResult<()>;
    async fn find_user(&mut self, id: UserId) -> StoreResult<Option<User>>;
    async fn find_user_by_email(&mut self, email: &Email) -> StoreResult<Option<UserCredentials>>;
    async fn list_users(&mut self, org: OrgId) -> StoreResult<Vec<User>>;
    async fn update_user(&mut self, user: &User) -> StoreResult<()>;
    /// Replaces the password hash and moves the user's credential version on, so that
    /// whatever was issued under the old password can be told apart. `NotFound` when there
    /// is no such user.
    async fn set_password_hash(&mut self, id: UserId, password_hash: &str) -> StoreResult<()>;
    /// The user's credential version.
    async fn find_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>>;
    /// As `find_credential_version`, holding the user's row lock until the transaction
    /// ends, so a password change and whatever is issued under the old one are serialised.
    async fn lock_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>>;
    async fn delete_user(&mut self, id: UserId) -> StoreResult<()>;

    // --- indirect provider ↔ reseller links ---
    async fn insert_reseller_link(&mut self, link: &ResellerLink) -> StoreResult<()>;
    /// Returns whether a link existed.
    async fn delete_reseller_link(&mut self, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool>;
    async fn find_provider_of(&mut self, reseller: PartnerId) -> StoreResult<Option<PartnerId>>;
    async fn list_reseller_links(&mut self, provider: PartnerId) -> StoreResult<Vec<ResellerLink>>;
}

/// Reseller relationships and what hangs on them: a partner's customers (lists, counts,
/// searches), relationship requests, delegated admin (DAP grants, GDAP relationships).
#[async_trait]
pub trait RelationshipStore: Send {
    // --- reseller relationships ---
    /// Fails with `Conflict` when the pair already has an active relationship.
    async fn insert_relationship(&mut self, rel: &Relationship) -> StoreResult<()>;
    async fn find_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>>;
    /// As `find_active_relationship`, holding a row lock until the transaction ends.
    /// Orders, reactivations and removal all take it, which is what makes rule 9 hold.
    async fn lock_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>>;
    async fn update_relationship(&mut self, rel: &Relationship) -> StoreResult<()>;
    /// Every relationship of a customer, active and closed, oldest first.
    async fn list_customer_relationships(&mut self, customer: CustomerId) -> StoreResult<Vec<Relationship>>;
    /// The partner's customers with an active relationship, by customer id, keyset-paged.
    async fn list_partner_customers(
        &mut self,
        partner: PartnerId,
        filter: &CustomerFilter,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>>;
    async fn count_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<i64>;
    /// Where the partner stands with each of `customers` (a page of a list): since when
    /// their relationship is active and whether the partner holds delegated admin (DAP)
    /// over it. One query for the whole page, on the active-pair and DAP-pair indexes;
    /// customers without an active relationship are left out.
    async fn list_customer_standings(
        &mut self,
        partner: PartnerId,
        customers: &[CustomerId],
    ) -> StoreResult<Vec<CustomerStanding>>;
    /// The partner's customers with an active relationship, by company name (its folded
    /// key, then id), keyset-paged: `after` is the last customer of the previous page.
    async fn list_partner_customers_by_name(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>>;
    /// The partner's former customers: those it had a relationship with, all of them closed
    /// now (none active), by customer id, keyset-paged.
    async fn list_former_customers(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>>;
    /// How the database runs the first page of `list_partner_customers` with this filter
    /// (SQLite's `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN`), one step a line: what shows
    /// that a search reads its index rather than every customer.
    async fn explain_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<String>;
    /// How many subscriptions of each status the partner sold (or resold) to the customers
    /// it has an active relationship with; statuses with none are left out.
    async fn count_partner_subscriptions(&mut self, partner: PartnerId) -> StoreResult<Vec<(SubscriptionStatus, i64)>>;
    /// How many of the partner's GDAP relationships in force (`active`, `expiring`) end
    /// within `[from, to)`: those that will not extend themselves (no auto-extension, or
    /// the Global Administrator role).
    async fn count_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64>;

    // --- relationship requests ---
    async fn insert_request(&mut self, req: &RelationshipRequest, token_hash: &str) -> StoreResult<()>;
    async fn find_request(&mut self, id: RequestId) -> StoreResult<Option<RelationshipRequest>>;
    async fn find_request_by_token_hash(&mut self, token_hash: &str) -> StoreResult<Option<RelationshipRequest>>;
    async fn update_request(&mut self, req: &RelationshipRequest) -> StoreResult<()>;
    /// A partner's requests, newest first.
    async fn list_partner_requests(&mut self, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>>;

    // --- delegated admin ---
    async fn insert_dap(&mut self, dap: &DapGrant) -> StoreResult<()>;
    /// DAP grants between the two, ended ones included, oldest first.
    async fn list_dap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>>;
    /// Ends a DAP grant (sets `ended_at`, `ended_by`). NotFound if it does not exist.
    async fn end_dap(&mut self, id: DapId, at: DateTime<Utc>, by: Option<UserId>) -> StoreResult<()>;
}

/// Delegated admin as Microsoft Graph shapes it: GDAP relationships, the requests and
/// operations on them, access assignments, partners' security groups, and the role
/// catalogue.
#[async_trait]
pub trait DelegatedAdminStore: Send {
    // --- GDAP relationships ---
    /// `Conflict` when the partner already has a relationship of that display name (case
    /// folded).
    async fn insert_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()>;
    async fn find_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>>;
    /// As `find_gdap`, holding a row lock until the transaction ends.
    async fn lock_gdap(&mut self, id: GdapId) -> StoreResult<Option<GdapRelationship>>;
    /// GDAP relationships between the two, ended ones included, oldest first.
    async fn list_gdap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>>;
    /// Writes every changeable column, checking the version (which it moves on).
    /// `Conflict` when the new display name is taken.
    async fn update_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()>;
    /// Deletes a relationship (and what hangs on it) at `version`.
    async fn delete_gdap(&mut self, id: GdapId, version: i64) -> StoreResult<()>;
    /// A partner's relationships by id, keyset-paged, filtered.
    async fn list_partner_gdap(
        &mut self,
        partner: PartnerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>>;
    async fn count_partner_gdap(&mut self, partner: PartnerId, filter: &GdapFilter) -> StoreResult<i64>;
    /// The relationships naming the customer (any partner) by id, keyset-paged, filtered
    /// (`filter.customer` is ignored).
    async fn list_customer_gdap(
        &mut self,
        customer: CustomerId,
        filter: &GdapFilter,
        after: Option<GdapId>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>>;
    async fn count_customer_gdap(&mut self, customer: CustomerId, filter: &GdapFilter) -> StoreResult<i64>;
    /// A page of the partner's relationships in force (`active`, `expiring`) ending within
    /// `[from, to)` that will not extend themselves (as `count_gdap_ending` counts them), by
    /// end then id, after `(ends_at, id)` of the last one seen: one range of the
    /// `(partner_id, ends_at, id)` index.
    async fn list_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<(DateTime<Utc>, GdapId)>,
        limit: u32,
    ) -> StoreResult<Vec<GdapRelationship>>;
    /// The customers (ids) with a GDAP relationship of the partner in force, by id.
    async fn list_gdap_customers(&mut self, partner: PartnerId) -> StoreResult<Vec<CustomerId>>;
    /// Up to `limit` relationships the job has work on at `now`, by id, each locked until
    /// the transaction ends and skipped by other workers meanwhile (PostgreSQL
    /// `FOR UPDATE SKIP LOCKED`; SQLite write transactions already run one at a time): a
    /// request locked 90 days ago or more and not approved; one in force at or past its
    /// end; one in force that will not extend itself, ending within 30 days and not warned.
    async fn claim_gdap_due(&mut self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<GdapRelationship>>;

    // --- requests and operations ---
    async fn insert_gdap_request(&mut self, req: &GdapRequest) -> StoreResult<()>;
    /// A relationship's requests, oldest first.
    async fn list_gdap_requests(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapRequest>>;
    /// One request made on `relationship` (another relationship's is `None`).
    async fn find_gdap_request(&mut self, relationship: GdapId, id: GdapRequestId) -> StoreResult<Option<GdapRequest>>;
    async fn insert_gdap_operation(&mut self, op: &GdapOperation) -> StoreResult<()>;
    /// A relationship's operations, oldest first.
    async fn list_gdap_operations(&mut self, relationship: GdapId) -> StoreResult<Vec<GdapOperation>>;
    /// One operation on `relationship` (another relationship's is `None`).
    async fn find_gdap_operation(
        &mut self,
        relationship: GdapId,
        id: GdapOperationId,
    ) -> StoreResult<Option<GdapOperation>>;

    // --- access assignments ---
    /// `Conflict` when the group already has a live assignment in the relationship.
    async fn insert_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()>;
    async fn find_access_assignment(
        &mut self,
        relationship: GdapId,
        id: AssignmentId,
    ) -> StoreResult<Option<AccessAssignment>>;
    /// A relationship's assignments (deleted ones left out), by id.
    async fn list_access_assignments(&mut self, relationship: GdapId) -> StoreResult<Vec<AccessAssignment>>;
    /// Checks and moves on the version.
    async fn update_access_assignment(&mut self, a: &AccessAssignment) -> StoreResult<()>;
    async fn delete_access_assignment(&mut self, id: AssignmentId, version: i64) -> StoreResult<()>;

    // --- security groups ---
    /// `Conflict` when the partner has a group of that name (case folded).
    async fn insert_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()>;
    async fn find_security_group(&mut self, id: SecurityGroupId) -> StoreResult<Option<SecurityGroup>>;
    /// A partner's groups by name.
    async fn list_security_groups(&mut self, partner: PartnerId) -> StoreResult<Vec<SecurityGroup>>;
    /// Writes the group's display name, checking the version (which it moves on).
    /// `Conflict` when the partner has another group of that name (case folded).
    async fn rename_security_group(&mut self, g: &SecurityGroup) -> StoreResult<()>;
    /// Deletes a group with its members. `Conflict` while an access assignment uses it.
    async fn delete_security_group(&mut self, id: SecurityGroupId, version: i64) -> StoreResult<()>;
    /// `Conflict` when the user already is a member.
    async fn insert_security_group_member(&mut self, m: &SecurityGroupMember) -> StoreResult<()>;
    /// Returns whether the user was a member.
    async fn delete_security_group_member(&mut self, group: SecurityGroupId, user: UserId) -> StoreResult<bool>;
    /// A group's members, oldest first.
    async fn list_security_group_members(&mut self, group: SecurityGroupId) -> StoreResult<Vec<SecurityGroupMember>>;

    // --- the role catalogue ---
    /// Every role, by name.
    async fn list_admin_roles(&mut self) -> StoreResult<Vec<AdminRole>>;
    async fn find_admin_role(&mut self, id: &str) -> StoreResult<Option<AdminRole>>;
    /// `Conflict` when the id is taken.
    async fn insert_admin_role(&mut self, role: &AdminRole) -> StoreResult<()>;
    /// Checks and moves on the version.
    async fn update_admin_role(&mut self, role: &AdminRole) -> StoreResult<()>;
}

/// The offer catalog, orders, and subscriptions.
#[async_trait]
pub trait CommerceStore: Send {
    // --- catalog ---
    async fn insert_offer(&mut self, offer: &Offer) -> StoreResult<()>;
    async fn find_offer(&mut self, id: OfferId) -> StoreResult<Option<Offer>>;
    async fn update_offer(&mut self, offer: &Offer) -> StoreResult<()>;
    /// Offers in id order; with a country, only those sold there.
    async fn list_offers(&mut self, country: Option<&Country>) -> StoreResult<Vec<Offer>>;

    // --- orders and subscriptions ---
    /// Inserts the order and its line items (the subscriptions are inserted separately).
    async fn insert_order(&mut self, order: &Order) -> StoreResult<()>;
    async fn find_order(&mut self, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>>;
    /// A customer's orders, oldest first; with a partner, only that partner's.
    async fn list_orders(&mut self, customer: CustomerId, partner: Option<PartnerId>) -> StoreResult<Vec<Order>>;
    async fn insert_subscription(&mut self, sub: &Subscription) -> StoreResult<()>;
    async fn find_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>>;
    async fn lock_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>>;
    async fn update_subscription(&mut self, sub: &Subscription) -> StoreResult<()>;
    /// A customer's subscriptions in id order (all partners).
    async fn list_customer_subscriptions(&mut self, customer: CustomerId) -> StoreResult<Vec<Subscription>>;
}

/// What signs callers in and keeps requests once: API tokens, refresh tokens, dashboard
/// sessions, failed sign-ins, signing and server keys, idempotent POSTs.
#[async_trait]
pub trait AuthStore: Send {
    // --- personal API tokens ---
    /// Stores a token by the hash of its secret. `Conflict` when the hash is taken.
    async fn insert_api_token(&mut self, token: &ApiToken, token_hash: &str) -> StoreResult<()>;
    async fn find_api_token(&mut self, id: ApiTokenId) -> StoreResult<Option<ApiToken>>;
    async fn find_api_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<ApiToken>>;
    /// A user's tokens, revoked ones included, oldest first.
    async fn list_api_tokens(&mut self, user: UserId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes a token unless it already is; returns whether this call revoked it.
    /// `NotFound` when there is no such token.
    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Records that the token authenticated a request at `at`.
    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()>;
    /// Revokes every token of `user` not revoked yet; returns how many.
    async fn revoke_api_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64>;

    // --- OAuth2 refresh tokens ---
    /// Stores a refresh token by the hash of its secret. `Conflict` when the hash is taken.
    async fn insert_refresh_token(&mut self, token: &RefreshToken, token_hash: &str) -> StoreResult<()>;
    async fn find_refresh_token(&mut self, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>>;
    async fn find_refresh_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<RefreshToken>>;
    /// Revokes a refresh token that is not revoked yet, naming its successor when it is
    /// rotated. Returns whether this call revoked it: of two concurrent rotations of one
    /// token, exactly one gets `true`. `NotFound` when there is no such token.
    async fn revoke_refresh_token(
        &mut self,
        id: RefreshTokenId,
        at: DateTime<Utc>,
        replaced_by: Option<RefreshTokenId>,
    ) -> StoreResult<bool>;
    /// Revokes every refresh token of `user` not revoked yet; returns how many.
    async fn revoke_refresh_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64>;

    // --- dashboard sessions ---
    /// Stores a session by the hash of its cookie secret. `Conflict` when the hash is taken.
    async fn insert_web_session(&mut self, session: &WebSession, secret_hash: &str) -> StoreResult<()>;
    /// The session with this secret hash, expired or not.
    async fn find_web_session_by_hash(&mut self, secret_hash: &str) -> StoreResult<Option<WebSession>>;
    /// Ends a session; returns whether it was there.
    async fn delete_web_session(&mut self, id: WebSessionId) -> StoreResult<bool>;
    /// Forgets every session that expired before `before`; returns how many.
    async fn delete_web_sessions_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Ends every session of `user`; returns how many.
    async fn delete_web_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64>;

    // --- failed sign-ins ---
    /// The failures of `account` since `since`, newest first, at most `limit`, holding a
    /// lock on the account's failures until the transaction ends: two sign-ins to one
    /// account count one after the other, on any number of nodes.
    async fn lock_sign_in_failures(
        &mut self,
        account: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<SignInFailure>>;
    async fn insert_sign_in_failure(&mut self, failure: &SignInFailure) -> StoreResult<()>;
    /// Forgets the failures of `account` from `client`; returns how many.
    async fn delete_sign_in_failures_of_client(&mut self, account: &str, client: &str) -> StoreResult<u64>;
    /// Forgets every failure recorded before `before`; returns how many.
    async fn delete_sign_in_failures_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;

    // --- access token signing keys ---
    /// `Conflict` when the kid is taken.
    async fn insert_signing_key(&mut self, key: &SigningKey) -> StoreResult<()>;
    /// Every signing key, oldest first.
    async fn list_signing_keys(&mut self) -> StoreResult<Vec<SigningKey>>;

    // --- server keys ---
    /// The secret named `name`, storing `candidate` as it if there is none yet. Of two
    /// concurrent first calls, both get the secret stored first.
    async fn ensure_server_key(&mut self, name: &str, candidate: &str, at: DateTime<Utc>) -> StoreResult<String>;
    async fn find_server_key(&mut self, name: &str) -> StoreResult<Option<String>>;

    // --- idempotent POSTs ---
    /// Records a caller's request id, first thing in the transaction of the change it
    /// guards. `Conflict` when that caller already used the id (on PostgreSQL a concurrent
    /// insert of the same id waits for the first transaction to end, then conflicts if it
    /// committed).
    async fn insert_idempotency_key(&mut self, record: &IdempotencyRecord) -> StoreResult<()>;
    async fn find_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<Option<IdempotencyRecord>>;
    /// Stores the response of a recorded request. `NotFound` when it is not recorded.
    async fn complete_idempotency_key(
        &mut self,
        user: UserId,
        request_id: &str,
        response: &StoredResponse,
    ) -> StoreResult<()>;
    /// Forgets a caller's request id; returns whether it was there.
    async fn delete_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<bool>;
    /// Forgets every request id recorded before `before`; returns how many.
    async fn delete_idempotency_keys_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// The audit trail and the outbox of events.
#[async_trait]
pub trait TrailStore: Send {
    // --- audit and outbox ---
    async fn insert_audit(&mut self, record: &AuditRecord) -> StoreResult<()>;
    /// Writes many audit records in one statement (SQLite: one per 500 records); all of
    /// them or, on an error, none.
    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()>;
    /// Audit records in id (time) order; with a customer, only those naming it.
    async fn list_audit(
        &mut self,
        customer: Option<CustomerId>,
        after: Option<AuditId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>>;
    /// One audit record by id.
    async fn find_audit(&mut self, id: AuditId) -> StoreResult<Option<AuditRecord>>;
    /// A page of audit records in (`at`, id) order, as `query` says.
    async fn query_audit(&mut self, query: &AuditQuery) -> StoreResult<Vec<AuditRecord>>;
    /// The heads of `chains` (sorted, no repeats), made empty where there is none yet, each
    /// locked for the rest of the transaction so concurrent writers extend a chain one
    /// after the other.
    async fn lock_audit_chains(&mut self, chains: &[OrgId]) -> StoreResult<Vec<ChainHead>>;
    /// Moves the heads of chains on (after their records were inserted).
    async fn update_audit_chains(&mut self, heads: &[ChainHead]) -> StoreResult<()>;
    /// Every chain's head, by chain id.
    async fn list_audit_chains(&mut self) -> StoreResult<Vec<ChainHead>>;
    /// Chained audit records in (chain, seq) order, after the given place.
    async fn list_chained_audit(&mut self, after: Option<(OrgId, i64)>, limit: u32) -> StoreResult<Vec<AuditRecord>>;
    /// Audit records written before the chains, in (`at`, id) order.
    async fn list_unchained_audit(&mut self, limit: u32) -> StoreResult<Vec<AuditRecord>>;
    /// Gives records written before the chains their place in one (the record's `link`).
    async fn link_audit(&mut self, records: &[AuditRecord]) -> StoreResult<()>;
    async fn insert_event(&mut self, event: &OutboxEvent) -> StoreResult<()>;
    /// Queues many events in one statement (SQLite: one per 500 events); all of them or, on
    /// an error, none.
    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()>;
    /// Events not yet delivered, oldest first.
    async fn list_pending_events(&mut self, limit: u32) -> StoreResult<Vec<OutboxEvent>>;
}

/// The mail outbox and the one-time links of a forgotten password (`mail.rs` of each
/// backend).
#[async_trait]
pub trait MailStore: Send {
    /// Queues messages (in the transaction of the change that causes them).
    async fn insert_mail(&mut self, mails: &[Mail]) -> StoreResult<()>;
    /// Takes up to `limit` messages due at `now` (unsent, unparked, `next_attempt_at`
    /// reached, no lease or an ended one), oldest first, and leases them until
    /// `lease_until`. PostgreSQL skips rows another transaction has locked, so concurrent
    /// senders take different messages.
    async fn claim_due_mail(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Mail>>;
    /// Writes a message's delivery state (attempts, next attempt, lease, sent, parked, last
    /// error) as `mail` holds it.
    async fn update_mail_delivery(&mut self, mail: &Mail) -> StoreResult<()>;
    /// How many messages wait and how many are parked.
    async fn count_mail_queue(&mut self) -> StoreResult<MailQueueCounts>;
    /// Messages not sent (waiting or parked), oldest first.
    async fn list_unsent_mail(&mut self, limit: u32) -> StoreResult<Vec<Mail>>;
    /// Every message, oldest first (for tests and the CLI).
    async fn list_mail(&mut self, limit: u32) -> StoreResult<Vec<Mail>>;
    async fn insert_password_reset(&mut self, reset: &PasswordReset) -> StoreResult<()>;
    /// The link with this token hash, locked for the rest of the transaction.
    async fn lock_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>>;
    /// The link with this token hash, read without a lock (to show its form).
    async fn find_password_reset(&mut self, token_hash: &str) -> StoreResult<Option<PasswordReset>>;
    /// Makes unsent messages due at `now` from a fresh count of attempts: message `only`
    /// (parked or waiting), or every parked one. Answers how many.
    async fn retry_mail(&mut self, only: Option<MailId>, now: DateTime<Utc>) -> StoreResult<u64>;
    /// Marks the link used (and, with it, every other open link of the same user).
    async fn use_password_resets(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<()>;
}

/// A delivery to queue: one event for one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhookDelivery {
    pub id: WebhookDeliveryId,
    pub registration_id: WebhookRegistrationId,
    pub event_id: EventId,
    /// The event's resource (`type:id`); a registration gets one resource's events in order.
    pub resource_key: String,
    pub event_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered {
        at: DateTime<Utc>,
        http_status: u16,
    },
    /// Failed; try again at `next`.
    Retry {
        next: DateTime<Utc>,
        error: String,
        http_status: Option<u16>,
    },
    /// Failed for the last time; parked until someone asks for redelivery.
    Park {
        at: DateTime<Utc>,
        error: String,
        http_status: Option<u16>,
    },
}

/// The columns an attempt writes: (`delivered_at`, `next_attempt_at` if it moves,
/// `parked_at`, `last_error`, `http_status`).
pub(crate) type AttemptColumns = (
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<u16>,
);

impl AttemptOutcome {
    /// The columns this outcome writes (one statement serves all three outcomes).
    pub(crate) fn columns(&self) -> AttemptColumns {
        match self {
            Self::Delivered { at, http_status } => (Some(*at), None, None, None, Some(*http_status)),
            Self::Retry {
                next,
                error,
                http_status,
            } => (None, Some(*next), None, Some(error.clone()), *http_status),
            Self::Park { at, error, http_status } => (None, None, Some(*at), Some(error.clone()), *http_status),
        }
    }
}

/// Webhook registrations and their deliveries (`webhooks.rs` of each backend).
#[async_trait]
pub trait WebhookStore: Send {
    async fn insert_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()>;
    /// Writes the URL, events and `updated_at`; `NotFound` when it is gone.
    async fn update_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()>;
    /// Deletes a registration and its deliveries; `NotFound` when it is gone.
    async fn delete_webhook_registration(&mut self, id: WebhookRegistrationId) -> StoreResult<()>;
    async fn find_webhook_registration(
        &mut self,
        id: WebhookRegistrationId,
    ) -> StoreResult<Option<WebhookRegistration>>;
    /// Registrations of these organisations (all of them with `None`), by id.
    async fn list_webhook_registrations(&mut self, orgs: Option<&[OrgId]>) -> StoreResult<Vec<WebhookRegistration>>;
    /// Up to `n` events the fan-out has not taken yet, oldest first, locked until the
    /// transaction ends (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so workers take different ones).
    async fn claim_unqueued_events(&mut self, n: u32) -> StoreResult<Vec<OutboxEvent>>;
    /// Marks events as taken by the fan-out.
    async fn mark_events_queued(&mut self, ids: &[EventId], at: DateTime<Utc>) -> StoreResult<()>;
    async fn insert_webhook_deliveries(&mut self, deliveries: &[NewWebhookDelivery]) -> StoreResult<()>;
    /// Is there an event to fan out, or a delivery due at `now`?
    async fn webhook_work_due(&mut self, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Takes up to `n` deliveries due at `now` whose registration has no earlier undelivered
    /// event of the same resource, leasing them to `lease` until `until`, in event order.
    async fn claim_webhook_deliveries(
        &mut self,
        now: DateTime<Utc>,
        lease: uuid::Uuid,
        until: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>>;
    /// Records an attempt of a delivery still leased to `lease`; false when the lease was
    /// lost (another worker took the delivery over).
    async fn finish_webhook_attempt(
        &mut self,
        id: WebhookDeliveryId,
        lease: uuid::Uuid,
        outcome: &AttemptOutcome,
    ) -> StoreResult<bool>;
    /// A registration's deliveries, newest first, up to `n`.
    async fn list_webhook_deliveries(
        &mut self,
        registration: WebhookRegistrationId,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>>;
    /// The deliveries of one event, by id.
    async fn list_event_deliveries(&mut self, event: EventId) -> StoreResult<Vec<WebhookDelivery>>;
    /// Parked deliveries of a registration (or just `only`) become due at `now` with their
    /// attempts counted afresh; how many.
    async fn redeliver_parked(
        &mut self,
        registration: WebhookRegistrationId,
        only: Option<WebhookDeliveryId>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
    async fn find_event(&mut self, id: EventId) -> StoreResult<Option<OutboxEvent>>;
    /// Events naming `org` as partner or customer, at or after `since`, in (at, id) order,
    /// after `after`, up to `n`.
    async fn list_org_events(
        &mut self,
        org: OrgId,
        since: DateTime<Utc>,
        after: Option<(DateTime<Utc>, EventId)>,
        n: u32,
    ) -> StoreResult<Vec<OutboxEvent>>;
}

/// What decides a partner's access, and its users', to one customer: the rows the access
/// check reads (`access.rs` of each backend).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairAccessRows {
    /// An active reseller relationship joins the two.
    pub reseller_active: bool,
    /// A DAP grant between the two has not ended.
    pub dap_active: bool,
    /// The GDAP relationships between the two in `active` (or `expiring`), with their end.
    pub gdap: Vec<GdapGrantRow>,
}

/// One GDAP relationship as the access check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GdapGrantRow {
    pub id: GdapId,
    pub roles: Vec<String>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Its access assignments in `active` or `pending`: a security group and its roles.
    pub assignments: Vec<(uuid::Uuid, Vec<String>)>,
}

/// Runs once when a transaction ends, committed or not (after the commit when it commits).
pub type EndHook = Box<dyn FnOnce() + Send + 'static>;

/// The access check's reads, and the signals that keep its cache true.
#[async_trait]
pub trait AccessStore: Send {
    /// The DAP, reseller and GDAP rows between `partner` and `customer`.
    async fn load_pair_access(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<PairAccessRows>;
    /// The security groups `user` is a member of.
    async fn list_user_security_groups(&mut self, user: UserId) -> StoreResult<Vec<uuid::Uuid>>;
    /// Ids of the role catalogue.
    async fn list_admin_role_ids(&mut self) -> StoreResult<Vec<String>>;
    /// Sends `payload` on the access channel when the transaction commits (PostgreSQL
    /// `pg_notify`; nothing on SQLite, which has one node).
    async fn notify_access(&mut self, payload: &str) -> StoreResult<()>;
    /// Runs `hook` when the transaction ends: after its commit, or when it rolls back or is
    /// dropped.
    fn on_end(&mut self, hook: EndHook);
}

/// Hooks of a transaction that run when it ends (see [`AccessStore::on_end`]).
#[derive(Default)]
pub(crate) struct EndHooks(Vec<EndHook>);

impl EndHooks {
    pub(crate) fn push(&mut self, hook: EndHook) {
        self.0.push(hook);
    }
    /// Runs the hooks now.
    pub(crate) fn run(&mut self) {
        for hook in std::mem::take(&mut self.0) {
            hook();
        }
    }
}

impl Drop for EndHooks {
    fn drop(&mut self) {
        self.run();
    }
}

/// The access channel's name on PostgreSQL.
pub const ACCESS_CHANNEL: &str = "partnerdesk_access";
