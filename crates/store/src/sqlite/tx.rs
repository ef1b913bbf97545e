//! The SQLite transaction: each call moves the leased connection onto a blocking thread, runs
//! the row function of its area, and brings the connection back.

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
use rusqlite::Connection;

use super::{auth, commerce, db_err, orgs, relationships, trail, Lease};
use crate::{
    CustomerFilter, IdempotencyRecord, SigningKey, StoreError, StoreResult, StoredResponse, Tx, UserCredentials,
};

/// A transaction on a leased connection. Dropped without `commit`, it rolls back.
pub(crate) struct SqliteTx {
    /// `None` once the transaction has ended, or while a cancelled call still holds it.
    lease: Option<Lease>,
}

impl SqliteTx {
    pub(super) fn new(lease: Lease) -> Self {
        Self { lease: Some(lease) }
    }

    /// Runs `f` on the transaction's connection, on a blocking thread.
    async fn call<T, F>(&mut self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let lease = self
            .lease
            .take()
            .ok_or_else(|| StoreError::Database("the transaction has already ended or was interrupted".into()))?;
        // If this future is dropped mid-call, the lease goes back to its slot when the closure
        // ends; the slot's next user rolls back what this transaction left open.
        let (lease, out) = tokio::task::spawn_blocking(move || {
            let out = lease.conn().and_then(f);
            (lease, out)
        })
        .await
        .map_err(|e| StoreError::Database(format!("a SQLite call did not finish: {e}")))?;
        self.lease = Some(lease);
        out
    }

    async fn finish(mut self: Box<Self>, sql: &'static str) -> StoreResult<()> {
        let out = self.call(move |c| c.execute_batch(sql).map_err(db_err)).await;
        // On failure `Drop` rolls back whatever is still open.
        if out.is_ok() {
            self.lease = None;
        }
        out
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let Some(lease) = self.lease.take() else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(move || lease.rollback());
            }
            // No runtime to block: roll back here.
            Err(_) => lease.rollback(),
        }
    }
}

#[async_trait]
impl Tx for SqliteTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.finish("COMMIT").await
    }

    async fn rollback(self: Box<Self>) -> StoreResult<()> {
        self.finish("ROLLBACK").await
    }

    async fn begin_step(&mut self) -> StoreResult<()> {
        self.call(|c| c.execute_batch("SAVEPOINT pd_step").map_err(db_err))
            .await
    }

    async fn keep_step(&mut self) -> StoreResult<()> {
        self.call(|c| c.execute_batch("RELEASE SAVEPOINT pd_step").map_err(db_err))
            .await
    }

    async fn undo_step(&mut self) -> StoreResult<()> {
        self.call(|c| {
            c.execute_batch("ROLLBACK TO SAVEPOINT pd_step; RELEASE SAVEPOINT pd_step")
                .map_err(db_err)
        })
        .await
    }

    async fn ping(&mut self) -> StoreResult<()> {
        self.call(|c| {
            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                .map(drop)
                .map_err(db_err)
        })
        .await
    }

    // --- organisations ---

    async fn insert_operator(&mut self, id: OrgId, name: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let name = name.to_owned();
        self.call(move |c| orgs::insert_operator(c, id, &name, &at)).await
    }

    async fn find_operator(&mut self) -> StoreResult<Option<OrgId>> {
        self.call(orgs::find_operator).await
    }

    async fn insert_partner(&mut self, partner: &Partner) -> StoreResult<()> {
        let partner = partner.clone();
        self.call(move |c| orgs::insert_partner(c, &partner)).await
    }

    async fn find_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        self.call(move |c| orgs::find_partner(c, id)).await
    }

    async fn lock_partner(&mut self, id: PartnerId) -> StoreResult<Option<Partner>> {
        // A write transaction already excludes every other writer.
        self.call(move |c| orgs::find_partner(c, id)).await
    }

    async fn list_partners(&mut self, after: Option<PartnerId>, limit: u32) -> StoreResult<Vec<Partner>> {
        self.call(move |c| orgs::list_partners(c, after, limit)).await
    }

    async fn insert_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        let customer = customer.clone();
        self.call(move |c| orgs::insert_customer(c, &customer)).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        self.call(move |c| orgs::find_customer(c, id)).await
    }

    async fn customer_domain_taken(&mut self, domain: &Domain) -> StoreResult<bool> {
        let domain = domain.clone();
        self.call(move |c| orgs::customer_domain_taken(c, &domain)).await
    }

    async fn update_customer(&mut self, customer: &Customer) -> StoreResult<()> {
        let customer = customer.clone();
        self.call(move |c| orgs::update_customer(c, &customer)).await
    }

    // --- users ---

    async fn insert_user(&mut self, user: &User, password_hash: &str) -> StoreResult<()> {
        let (user, hash) = (user.clone(), password_hash.to_owned());
        self.call(move |c| orgs::insert_user(c, &user, &hash)).await
    }

    async fn find_user(&mut self, id: UserId) -> StoreResult<Option<User>> {
        self.call(move |c| orgs::find_user(c, id)).await
    }

    async fn find_user_by_email(&mut self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        let email = email.clone();
        self.call(move |c| orgs::find_user_by_email(c, &email)).await
    }

    async fn list_users(&mut self, org: OrgId) -> StoreResult<Vec<User>> {
        self.call(move |c| orgs::list_users(c, org)).await
    }

    async fn update_user(&mut self, user: &User) -> StoreResult<()> {
        let user = user.clone();
        self.call(move |c| orgs::update_user(c, &user)).await
    }

    async fn set_password_hash(&mut self, id: UserId, password_hash: &str) -> StoreResult<()> {
        let hash = password_hash.to_owned();
        self.call(move |c| orgs::set_password_hash(c, id, &hash)).await
    }

    async fn find_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        self.call(move |c| orgs::find_credential_version(c, id)).await
    }

    async fn lock_credential_version(&mut self, id: UserId) -> StoreResult<Option<i64>> {
        self.call(move |c| orgs::find_credential_version(c, id)).await
    }

    async fn delete_user(&mut self, id: UserId) -> StoreResult<()> {
        self.call(move |c| orgs::delete_user(c, id)).await
    }

    // --- indirect provider ↔ reseller links ---

    async fn insert_reseller_link(&mut self, link: &ResellerLink) -> StoreResult<()> {
        let link = link.clone();
        self.call(move |c| orgs::insert_reseller_link(c, &link)).await
    }

    async fn delete_reseller_link(&mut self, provider: PartnerId, reseller: PartnerId) -> StoreResult<bool> {
        self.call(move |c| orgs::delete_reseller_link(c, provider, reseller))
            .await
    }

    async fn find_provider_of(&mut self, reseller: PartnerId) -> StoreResult<Option<PartnerId>> {
        self.call(move |c| orgs::find_provider_of(c, reseller)).await
    }

    async fn list_reseller_links(&mut self, provider: PartnerId) -> StoreResult<Vec<ResellerLink>> {
        self.call(move |c| orgs::list_reseller_links(c, provider)).await
    }

    // --- reseller relationships ---

    async fn insert_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let rel = rel.clone();
        self.call(move |c| relationships::insert_relationship(c, &rel)).await
    }

    async fn find_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        self.call(move |c| relationships::find_active_relationship(c, partner, customer))
            .await
    }

    async fn lock_active_relationship(
        &mut self,
        partner: PartnerId,
        customer: CustomerId,
    ) -> StoreResult<Option<Relationship>> {
        // BEGIN IMMEDIATE already holds the database's write lock.
        self.find_active_relationship(partner, customer).await
    }

    async fn update_relationship(&mut self, rel: &Relationship) -> StoreResult<()> {
        let rel = rel.clone();
        self.call(move |c| relationships::update_relationship(c, &rel)).await
    }

    async fn list_customer_relationships(&mut self, customer: CustomerId) -> StoreResult<Vec<Relationship>> {
        self.call(move |c| relationships::list_customer_relationships(c, customer))
            .await
    }

    async fn list_partner_customers(
        &mut self,
        partner: PartnerId,
        filter: &CustomerFilter,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        let filter = filter.clone();
        self.call(move |c| relationships::list_partner_customers(c, partner, &filter, after, limit))
            .await
    }

    async fn list_partner_customers_by_name(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        self.call(move |c| relationships::list_partner_customers_by_name(c, partner, after, limit))
            .await
    }

    async fn list_former_customers(
        &mut self,
        partner: PartnerId,
        after: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<Customer>> {
        self.call(move |c| relationships::list_former_customers(c, partner, after, limit))
            .await
    }

    async fn count_partner_subscriptions(&mut self, partner: PartnerId) -> StoreResult<Vec<(SubscriptionStatus, i64)>> {
        self.call(move |c| relationships::count_partner_subscriptions(c, partner))
            .await
    }

    async fn count_gdap_ending(
        &mut self,
        partner: PartnerId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64> {
        self.call(move |c| relationships::count_gdap_ending(c, partner, &from, &to))
            .await
    }

    async fn count_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<i64> {
        let filter = filter.clone();
        self.call(move |c| relationships::count_partner_customers(c, partner, &filter))
            .await
    }

    async fn explain_partner_customers(&mut self, partner: PartnerId, filter: &CustomerFilter) -> StoreResult<String> {
        let filter = filter.clone();
        self.call(move |c| relationships::explain_partner_customers(c, partner, &filter))
            .await
    }

    // --- relationship requests ---

    async fn insert_request(&mut self, req: &RelationshipRequest, token_hash: &str) -> StoreResult<()> {
        let (req, hash) = (req.clone(), token_hash.to_owned());
        self.call(move |c| relationships::insert_request(c, &req, &hash)).await
    }

    async fn find_request(&mut self, id: RequestId) -> StoreResult<Option<RelationshipRequest>> {
        self.call(move |c| relationships::find_request(c, id)).await
    }

    async fn find_request_by_token_hash(&mut self, token_hash: &str) -> StoreResult<Option<RelationshipRequest>> {
        let hash = token_hash.to_owned();
        self.call(move |c| relationships::find_request_by_token_hash(c, &hash))
            .await
    }

    async fn update_request(&mut self, req: &RelationshipRequest) -> StoreResult<()> {
        let req = req.clone();
        self.call(move |c| relationships::update_request(c, &req)).await
    }

    async fn list_partner_requests(&mut self, partner: PartnerId) -> StoreResult<Vec<RelationshipRequest>> {
        self.call(move |c| relationships::list_partner_requests(c, partner))
            .await
    }

    // --- catalog ---

    async fn insert_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        let offer = offer.clone();
        self.call(move |c| commerce::insert_offer(c, &offer)).await
    }

    async fn find_offer(&mut self, id: OfferId) -> StoreResult<Option<Offer>> {
        self.call(move |c| commerce::find_offer(c, id)).await
    }

    async fn update_offer(&mut self, offer: &Offer) -> StoreResult<()> {
        let offer = offer.clone();
        self.call(move |c| commerce::update_offer(c, &offer)).await
    }

    async fn list_offers(&mut self, country: Option<&Country>) -> StoreResult<Vec<Offer>> {
        let country = country.cloned();
        self.call(move |c| commerce::list_offers(c, country.as_ref())).await
    }

    // --- orders and subscriptions ---

    async fn insert_order(&mut self, order: &Order) -> StoreResult<()> {
        let order = order.clone();
        self.call(move |c| commerce::insert_order(c, &order)).await
    }

    async fn find_order(&mut self, customer: CustomerId, id: OrderId) -> StoreResult<Option<Order>> {
        self.call(move |c| commerce::find_order(c, customer, id)).await
    }

    async fn list_orders(&mut self, customer: CustomerId, partner: Option<PartnerId>) -> StoreResult<Vec<Order>> {
        self.call(move |c| commerce::list_orders(c, customer, partner)).await
    }

    async fn insert_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        let sub = sub.clone();
        self.call(move |c| commerce::insert_subscription(c, &sub)).await
    }

    async fn find_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        self.call(move |c| commerce::find_subscription(c, id)).await
    }

    async fn lock_subscription(&mut self, id: SubscriptionId) -> StoreResult<Option<Subscription>> {
        // BEGIN IMMEDIATE already holds the database's write lock.
        self.find_subscription(id).await
    }

    async fn update_subscription(&mut self, sub: &Subscription) -> StoreResult<()> {
        let sub = sub.clone();
        self.call(move |c| commerce::update_subscription(c, &sub)).await
    }

    async fn list_customer_subscriptions(&mut self, customer: CustomerId) -> StoreResult<Vec<Subscription>> {
        self.call(move |c| commerce::list_customer_subscriptions(c, customer))
            .await
    }

    // --- delegated admin ---

    async fn insert_dap(&mut self, dap: &DapGrant) -> StoreResult<()> {
        let dap = dap.clone();
        self.call(move |c| relationships::insert_dap(c, &dap)).await
    }

    async fn list_dap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<DapGrant>> {
        self.call(move |c| relationships::list_dap(c, partner, customer)).await
    }

    async fn end_dap(&mut self, id: DapId, at: DateTime<Utc>, by: Option<UserId>) -> StoreResult<()> {
        self.call(move |c| relationships::end_dap(c, id, &at, by)).await
    }

    async fn insert_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        let gdap = gdap.clone();
        self.call(move |c| relationships::insert_gdap(c, &gdap)).await
    }

    async fn list_gdap(&mut self, partner: PartnerId, customer: CustomerId) -> StoreResult<Vec<GdapRelationship>> {
        self.call(move |c| relationships::list_gdap(c, partner, customer)).await
    }

    async fn update_gdap(&mut self, gdap: &GdapRelationship) -> StoreResult<()> {
        let gdap = gdap.clone();
        self.call(move |c| relationships::update_gdap(c, &gdap)).await
    }

    // --- audit and outbox ---

    async fn insert_audit(&mut self, record: &AuditRecord) -> StoreResult<()> {
        let record = record.clone();
        self.call(move |c| trail::insert_audit(c, &record)).await
    }

    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        let records = records.to_vec();
        self.call(move |c| trail::insert_audits(c, &records)).await
    }

    async fn list_audit(
        &mut self,
        customer: Option<CustomerId>,
        after: Option<AuditId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.call(move |c| trail::list_audit(c, customer, after, limit)).await
    }

    async fn insert_event(&mut self, event: &OutboxEvent) -> StoreResult<()> {
        let event = event.clone();
        self.call(move |c| trail::insert_event(c, &event)).await
    }

    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let events = events.to_vec();
        self.call(move |c| trail::insert_events(c, &events)).await
    }

    async fn list_pending_events(&mut self, limit: u32) -> StoreResult<Vec<OutboxEvent>> {
        self.call(move |c| trail::list_pending_events(c, limit)).await
    }

    // --- personal API tokens ---

    async fn insert_api_token(&mut self, token: &ApiToken, token_hash: &str) -> StoreResult<()> {
        let (token, hash) = (token.clone(), token_hash.to_owned());
        self.call(move |c| auth::insert_api_token(c, &token, &hash)).await
    }

    async fn find_api_token(&mut self, id: ApiTokenId) -> StoreResult<Option<ApiToken>> {
        self.call(move |c| auth::find_api_token(c, id)).await
    }

    async fn find_api_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<ApiToken>> {
        let hash = token_hash.to_owned();
        self.call(move |c| auth::find_api_token_by_hash(c, &hash)).await
    }

    async fn list_api_tokens(&mut self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        self.call(move |c| auth::list_api_tokens(c, user)).await
    }

    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.call(move |c| auth::revoke_api_token(c, id, &at)).await
    }

    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        self.call(move |c| auth::touch_api_token(c, id, &at)).await
    }

    async fn revoke_api_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| auth::revoke_api_tokens_of_user(c, user, &at)).await
    }

    // --- OAuth2 refresh tokens ---

    async fn insert_refresh_token(&mut self, token: &RefreshToken, token_hash: &str) -> StoreResult<()> {
        let (token, hash) = (token.clone(), token_hash.to_owned());
        self.call(move |c| auth::insert_refresh_token(c, &token, &hash)).await
    }

    async fn find_refresh_token(&mut self, id: RefreshTokenId) -> StoreResult<Option<RefreshToken>> {
        self.call(move |c| auth::find_refresh_token(c, id)).await
    }

    async fn find_refresh_token_by_hash(&mut self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        let hash = token_hash.to_owned();
        self.call(move |c| auth::find_refresh_token_by_hash(c, &hash)).await
    }

    async fn revoke_refresh_token(
        &mut self,
        id: RefreshTokenId,
        at: DateTime<Utc>,
        replaced_by: Option<RefreshTokenId>,
    ) -> StoreResult<bool> {
        self.call(move |c| auth::revoke_refresh_token(c, id, &at, replaced_by))
            .await
    }

    async fn revoke_refresh_tokens_of_user(&mut self, user: UserId, at: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| auth::revoke_refresh_tokens_of_user(c, user, &at))
            .await
    }

    // --- dashboard sessions ---

    async fn insert_web_session(&mut self, session: &WebSession, secret_hash: &str) -> StoreResult<()> {
        let (session, hash) = (session.clone(), secret_hash.to_owned());
        self.call(move |c| auth::insert_web_session(c, &session, &hash)).await
    }

    async fn find_web_session_by_hash(&mut self, secret_hash: &str) -> StoreResult<Option<WebSession>> {
        let hash = secret_hash.to_owned();
        self.call(move |c| auth::find_web_session_by_hash(c, &hash)).await
    }

    async fn delete_web_session(&mut self, id: WebSessionId) -> StoreResult<bool> {
        self.call(move |c| auth::delete_web_session(c, id)).await
    }

    async fn delete_web_sessions_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| auth::delete_web_sessions_before(c, &before)).await
    }

    async fn delete_web_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64> {
        self.call(move |c| auth::delete_web_sessions_of_user(c, user)).await
    }

    // --- failed sign-ins ---

    async fn lock_sign_in_failures(
        &mut self,
        account: &str,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<SignInFailure>> {
        let account = account.to_owned();
        self.call(move |c| auth::lock_sign_in_failures(c, &account, &since, limit))
            .await
    }

    async fn insert_sign_in_failure(&mut self, failure: &SignInFailure) -> StoreResult<()> {
        let failure = failure.clone();
        self.call(move |c| auth::insert_sign_in_failure(c, &failure)).await
    }

    async fn delete_sign_in_failures_of_client(&mut self, account: &str, client: &str) -> StoreResult<u64> {
        let (account, client) = (account.to_owned(), client.to_owned());
        self.call(move |c| auth::delete_sign_in_failures_of_client(c, &account, &client))
            .await
    }

    async fn delete_sign_in_failures_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| auth::delete_sign_in_failures_before(c, &before))
            .await
    }

    // --- access token signing keys ---

    async fn insert_signing_key(&mut self, key: &SigningKey) -> StoreResult<()> {
        let key = key.clone();
        self.call(move |c| auth::insert_signing_key(c, &key)).await
    }

    async fn list_signing_keys(&mut self) -> StoreResult<Vec<SigningKey>> {
        self.call(auth::list_signing_keys).await
    }

    async fn ensure_server_key(&mut self, name: &str, candidate: &str, at: DateTime<Utc>) -> StoreResult<String> {
        let (name, candidate) = (name.to_string(), candidate.to_string());
        self.call(move |c| auth::ensure_server_key(c, &name, &candidate, &at))
            .await
    }

    async fn find_server_key(&mut self, name: &str) -> StoreResult<Option<String>> {
        let name = name.to_string();
        self.call(move |c| auth::find_server_key(c, &name)).await
    }

    // --- idempotent POSTs ---

    async fn insert_idempotency_key(&mut self, record: &IdempotencyRecord) -> StoreResult<()> {
        let record = record.clone();
        self.call(move |c| auth::insert_idempotency_key(c, &record)).await
    }

    async fn find_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let request_id = request_id.to_owned();
        self.call(move |c| auth::find_idempotency_key(c, user, &request_id))
            .await
    }

    async fn complete_idempotency_key(
        &mut self,
        user: UserId,
        request_id: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        let (request_id, response) = (request_id.to_owned(), response.clone());
        self.call(move |c| auth::complete_idempotency_key(c, user, &request_id, &response))
            .await
    }

    async fn delete_idempotency_key(&mut self, user: UserId, request_id: &str) -> StoreResult<bool> {
        let request_id = request_id.to_owned();
        self.call(move |c| auth::delete_idempotency_key(c, user, &request_id))
            .await
    }

    async fn delete_idempotency_keys_before(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.call(move |c| auth::delete_idempotency_keys_before(c, &before))
            .await
    }
}
