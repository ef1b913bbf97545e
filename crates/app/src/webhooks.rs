//! Webhooks: registrations shaped like Partner Center's, the fan-out of outbox events to
//! them, and the delivery worker.
//!
//! Every change already leaves an event in the outbox in its own transaction. The worker
//! ([`App::run_webhook_deliveries`], run by `serve` on every node) first *fans out*: it takes
//! events no fan-out has taken (PostgreSQL: `FOR UPDATE SKIP LOCKED`) and queues one
//! delivery per registration of the event's partner or customer that subscribed to it, in
//! the same transaction that marks the events taken (a registration takes events from its
//! creation on). Then it *delivers*: it claims due
//! deliveries with a lease ([`delivery::LEASE`]), sends them without holding a transaction,
//! and records each outcome under that lease; a node that dies mid-delivery loses its lease
//! and another takes the item over, so delivery is at least once. A registration gets one
//! resource's events in order: a delivery waits while an earlier event of the same resource
//! for the same registration is undelivered (parked ones included, until redelivered).
//! Failures follow [`delivery::after_failure`]: retried, then parked after
//! [`delivery::MAX_ATTEMPTS`].
//!
//! Each request is signed twice: RSA-SHA256 over the body as Partner Center signs
//! (`Authorization: Signature <base64>`, `X-MS-Signature-Algorithm: rsa-sha256`,
//! `X-MS-Certificate-Url`), with one key pair kept in the database so every node signs
//! alike, and `X-Partnerdesk-Signature: sha256=<hex HMAC-SHA256(secret, body)>` with the
//! registration's own secret.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use partnerdesk_domain::audit::{Operation, OutboxEvent};
use partnerdesk_domain::delivery::{self, AfterFailure};
use partnerdesk_domain::org::OrgKind;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::webhook::{
    check_address, parse_events, EventFacts, WebhookDelivery, WebhookPayload, WebhookRegistration, WebhookUrl,
    EVENT_NAMES, TEST_EVENT,
};
use partnerdesk_domain::{
    CustomerId, DomainError, EventId, OrgId, PartnerId, Reason, WebhookDeliveryId, WebhookRegistrationId,
};
use partnerdesk_store::{AttemptOutcome, NewWebhookDelivery, Tx};
use rand::Rng;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use serde::Serialize;
use sha2::Sha256;
use tokio::sync::OnceCell;

use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// The name of the webhook signing key in `server_keys`.
const SIGNING_KEY: &str = "webhook-signing-rsa";
/// Events fanned out per transaction.
const FAN_OUT_BATCH: u32 = 200;
/// Deliveries claimed (and sent at once) per round.
const CLAIM_BATCH: u32 = 32;
/// Where receivers fetch the public key that checks `Authorization: Signature`.
pub const CERTIFICATE_PATH: &str = "/webhooks/v1/signing-key";
/// How much of a receiver's error a delivery keeps.
const MAX_ERROR_LEN: usize = 500;

const REGISTRATION_NOT_FOUND: AppError = AppError::NotFound("webhook registration");

/// How deliveries go out.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Allow targets on loopback, private and other internal addresses (the operator's
    /// choice; tests set it).
    pub allow_private: bool,
    /// The time limit of one delivery request, connecting included.
    pub timeout: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_private: false,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What the worker keeps between runs: the signing key and the HTTP client.
#[derive(Default)]
pub(crate) struct WebhookRuntime {
    key: OnceCell<Arc<rsa::RsaPrivateKey>>,
    client: std::sync::OnceLock<Result<reqwest::Client, String>>,
}

/// A registration as it is recorded in the audit log: without its secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationRecord<'a> {
    id: WebhookRegistrationId,
    webhook_url: &'a str,
    webhook_events: &'a [String],
}

fn record_of(r: &WebhookRegistration) -> RegistrationRecord<'_> {
    RegistrationRecord {
        id: r.id,
        webhook_url: r.url.as_str(),
        webhook_events: &r.events,
    }
}

/// What one run of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookRunReport {
    /// Deliveries queued by the fan-out.
    pub queued: u64,
    pub delivered: u64,
    /// Failed attempts that will be retried.
    pub failed: u64,
    /// Deliveries given up on (parked).
    pub parked: u64,
}

/// What a replay starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayFrom {
    Since(DateTime<Utc>),
    Event(EventId),
}

fn may_see(caller: &Caller, r: &WebhookRegistration) -> bool {
    caller.is_operator() || r.org_id == caller.org_id
}

fn bad_url(reason: Reason) -> AppError {
    DomainError::InvalidProperty {
        property: "WebhookUrl",
        reason,
    }
    .into()
}

/// A new registration secret: 32 random bytes, hex (`whsec_` prefix).
fn new_secret() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    format!("whsec_{}", hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`, the `X-Partnerdesk-Signature` header.
pub fn hmac_signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// Resolves a host and keeps only the addresses deliveries may reach.
async fn checked_addresses(host: &str, port: u16, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return check_address(ip, allow_private)
            .map(|()| vec![SocketAddr::new(ip, port)])
            .map_err(|r| format!("refused: {ip} is a {} address", r.describe()));
    }
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    let mut allowed = Vec::new();
    for a in &addrs {
        if let Err(r) = check_address(a.ip(), allow_private) {
            return Err(format!(
                "refused: {host} resolves to {}, a {} address",
                a.ip(),
                r.describe()
            ));
        }
        allowed.push(*a);
    }
    if allowed.is_empty() {
        return Err(format!("cannot resolve {host}"));
    }
    Ok(allowed)
}

/// reqwest's resolver: every name is resolved here and checked, so a connection goes only
/// to an address that passed [`check_address`] (no second lookup can change it).
struct CheckedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = checked_addresses(&host, 0, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl App {
    /// The events one may subscribe to.
    pub fn webhook_events(&self) -> &'static [&'static str] {
        &EVENT_NAMES
    }

    /// Checks a URL as a registration takes it: its form, and every address its host is or
    /// resolves to (a name that does not resolve now is taken; delivery checks again).
    async fn checked_url(&self, url: &str) -> AppResult<WebhookUrl> {
        let url = WebhookUrl::parse(url)?;
        let target = url.target().ok_or_else(|| bad_url(Reason::NotAWebhookUrl))?;
        let allow = self.config().webhooks.allow_private;
        if let Ok(ip) = target.host.parse::<IpAddr>() {
            check_address(ip, allow).map_err(|r| bad_url(Reason::WebhookAddressNotAllowed(r.describe())))?;
        } else if !allow {
            if target.host == "localhost" || target.host.ends_with(".localhost") {
                return Err(bad_url(Reason::WebhookAddressNotAllowed("loopback")));
            }
            if let Ok(addrs) = tokio::net::lookup_host((target.host.as_str(), target.port)).await {
                for a in addrs {
                    check_address(a.ip(), allow)
                        .map_err(|r| bad_url(Reason::WebhookAddressNotAllowed(r.describe())))?;
                }
            }
        }
        Ok(url)
    }

    /// Registers a webhook for the caller's organisation. The answer carries the secret,
    /// which is never shown again.
    pub async fn create_webhook_registration(
        &self,
        caller: &Caller,
        url: &str,
        events: &[String],
    ) -> AppResult<WebhookRegistration> {
        caller.authorize(Action::ManageWebhooks)?;
        let events = parse_events(events)?;
        let url = self.checked_url(url).await?;
        let now = self.now();
        let r = WebhookRegistration {
            id: WebhookRegistrationId(self.new_id()),
            org_id: caller.org_id,
            url,
            events,
            secret: new_secret(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.write().await?;
        tx.insert_webhook_registration(&r).await?;
        self.record(
            tx.as_mut(),
            self.registration_change(caller, Operation::CreateWebhookRegistration, &r),
            None::<&()>,
            Some(&record_of(&r)),
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    fn registration_change<'a>(&self, caller: &'a Caller, op: Operation, r: &WebhookRegistration) -> Change<'a> {
        let change = Change::new(Some(caller), op, r.id);
        match caller.org_kind {
            OrgKind::Partner if r.org_id == caller.org_id => change.partner(PartnerId(r.org_id.0)),
            OrgKind::Customer if r.org_id == caller.org_id => change.customer(CustomerId(r.org_id.0)),
            _ => change,
        }
    }

    /// The caller's organisation's registrations (the operator: everyone's), by id.
    pub async fn webhook_registrations(&self, caller: &Caller) -> AppResult<Vec<WebhookRegistration>> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.read().await?;
        let orgs = [caller.org_id];
        let list = tx
            .list_webhook_registrations((!caller.is_operator()).then_some(&orgs[..]))
            .await?;
        tx.rollback().await?;
        Ok(list)
    }

    /// One registration the caller may see.
    pub async fn webhook_registration(
        &self,
        caller: &Caller,
        id: WebhookRegistrationId,
    ) -> AppResult<WebhookRegistration> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.read().await?;
        let r = visible_registration(tx.as_mut(), caller, id).await?;
        tx.rollback().await?;
        Ok(r)
    }

    /// Changes a registration's URL and events (the secret stays).
    pub async fn update_webhook_registration(
        &self,
        caller: &Caller,
        id: WebhookRegistrationId,
        url: &str,
        events: &[String],
    ) -> AppResult<WebhookRegistration> {
        caller.authorize(Action::ManageWebhooks)?;
        let events = parse_events(events)?;
        let url = self.checked_url(url).await?;
        let mut tx = self.write().await?;
        let before = visible_registration(tx.as_mut(), caller, id).await?;
        let after = WebhookRegistration {
            url,
            events,
            updated_at: self.now(),
            ..before.clone()
        };
        tx.update_webhook_registration(&after).await?;
        self.record(
            tx.as_mut(),
            self.registration_change(caller, Operation::UpdateWebhookRegistration, &after),
            Some(&record_of(&before)),
            Some(&record_of(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a registration and its deliveries.
    pub async fn delete_webhook_registration(&self, caller: &Caller, id: WebhookRegistrationId) -> AppResult<()> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.write().await?;
        let before = visible_registration(tx.as_mut(), caller, id).await?;
        tx.delete_webhook_registration(id).await?;
        self.record(
            tx.as_mut(),
            self.registration_change(caller, Operation::DeleteWebhookRegistration, &before),
            Some(&record_of(&before)),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends `test-created` to the caller's registrations (or just `only`), whatever events
    /// they take; answers the event's id, by which its deliveries are looked up.
    pub async fn send_webhook_test(&self, caller: &Caller, only: Option<WebhookRegistrationId>) -> AppResult<EventId> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.write().await?;
        let targets = match only {
            Some(id) => vec![visible_registration(tx.as_mut(), caller, id).await?],
            None => tx.list_webhook_registrations(Some(&[caller.org_id][..])).await?,
        };
        if targets.is_empty() {
            return Err(REGISTRATION_NOT_FOUND);
        }
        let (partner, customer) = match caller.org_kind {
            OrgKind::Partner => (Some(PartnerId(caller.org_id.0)), None),
            OrgKind::Customer => (None, Some(CustomerId(caller.org_id.0))),
            OrgKind::Operator => (None, None),
        };
        let event = self
            .queue_webhook_event(tx.as_mut(), TEST_EVENT, "webhook_test", partner, customer)
            .await?;
        let now = self.now();
        let deliveries: Vec<NewWebhookDelivery> =
            targets.iter().map(|r| self.new_delivery(r.id, &event, now)).collect();
        tx.insert_webhook_deliveries(&deliveries).await?;
        tx.commit().await?;
        Ok(event.id)
    }

    /// The deliveries of an event to the caller's registrations (a test event's status).
    pub async fn webhook_event_deliveries(&self, caller: &Caller, event: EventId) -> AppResult<Vec<WebhookDelivery>> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.read().await?;
        let mut visible = Vec::new();
        for d in tx.list_event_deliveries(event).await? {
            if let Some(r) = tx.find_webhook_registration(d.registration_id).await? {
                if may_see(caller, &r) {
                    visible.push(d);
                }
            }
        }
        tx.rollback().await?;
        if visible.is_empty() {
            return Err(AppError::NotFound("webhook event"));
        }
        Ok(visible)
    }

    /// A registration's latest deliveries, newest first.
    pub async fn webhook_deliveries(
        &self,
        caller: &Caller,
        id: WebhookRegistrationId,
        n: u32,
    ) -> AppResult<Vec<WebhookDelivery>> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.read().await?;
        visible_registration(tx.as_mut(), caller, id).await?;
        let list = tx.list_webhook_deliveries(id, n.clamp(1, 500)).await?;
        tx.rollback().await?;
        Ok(list)
    }

    /// Sends parked deliveries of a registration (or just `only`) again, from a fresh count
    /// of attempts; answers how many.
    pub async fn redeliver_webhooks(
        &self,
        caller: &Caller,
        id: WebhookRegistrationId,
        only: Option<WebhookDeliveryId>,
    ) -> AppResult<u64> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.write().await?;
        visible_registration(tx.as_mut(), caller, id).await?;
        let n = tx.redeliver_parked(id, only, self.now()).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Queues again, in order, every event of the caller's organisation since a time or
    /// since (and including) an event, for each of its registrations (or just `only`) that
    /// takes it; answers how many deliveries were queued.
    pub async fn replay_webhooks(
        &self,
        caller: &Caller,
        from: ReplayFrom,
        only: Option<WebhookRegistrationId>,
    ) -> AppResult<u64> {
        caller.authorize(Action::ManageWebhooks)?;
        let mut tx = self.write().await?;
        let targets = match only {
            Some(id) => vec![visible_registration(tx.as_mut(), caller, id).await?],
            None => tx.list_webhook_registrations(Some(&[caller.org_id][..])).await?,
        };
        let org = only.map_or(caller.org_id, |_| targets[0].org_id);
        let since = match from {
            ReplayFrom::Since(at) => at,
            ReplayFrom::Event(id) => {
                let event = tx
                    .find_event(id)
                    .await?
                    .filter(|e| names_org(e, org))
                    .ok_or(AppError::NotFound("webhook event"))?;
                event.at
            }
        };
        let first = match from {
            ReplayFrom::Event(id) => Some(id),
            ReplayFrom::Since(_) => None,
        };
        let now = self.now();
        let mut queued = 0u64;
        let mut after = None;
        let mut started = first.is_none();
        loop {
            let events = tx.list_org_events(org, since, after, FAN_OUT_BATCH).await?;
            let Some(last) = events.last() else { break };
            after = Some((last.at, last.id));
            let mut deliveries = Vec::new();
            for e in &events {
                // From an event: its own time may hold earlier events of the same instant.
                started = started || Some(e.id) == first;
                if !started || e.event_type == TEST_EVENT {
                    continue;
                }
                for r in targets.iter().filter(|r| r.wants(&e.event_type)) {
                    deliveries.push(self.new_delivery(r.id, e, now));
                }
            }
            queued += deliveries.len() as u64;
            tx.insert_webhook_deliveries(&deliveries).await?;
        }
        tx.commit().await?;
        Ok(queued)
    }

    fn new_delivery(
        &self,
        registration: WebhookRegistrationId,
        e: &OutboxEvent,
        now: DateTime<Utc>,
    ) -> NewWebhookDelivery {
        NewWebhookDelivery {
            id: WebhookDeliveryId(self.new_id()),
            registration_id: registration,
            event_id: e.id,
            resource_key: format!("{}:{}", e.resource_type, e.resource_id),
            event_at: e.at,
            next_attempt_at: now,
            created_at: now,
        }
    }

    /// The public key that checks `Authorization: Signature`, as PEM (SubjectPublicKeyInfo).
    pub async fn webhook_public_key_pem(&self) -> AppResult<String> {
        let key = self.webhook_signing_key().await?;
        key.to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| AppError::Internal(format!("cannot encode the webhook public key: {e}")))
    }

    /// The RSA key every node signs with: read from `server_keys`, or made (2048 bits) by
    /// the first node that needs it.
    async fn webhook_signing_key(&self) -> AppResult<Arc<rsa::RsaPrivateKey>> {
        self.webhooks
            .key
            .get_or_try_init(|| async {
                let mut tx = self.read().await?;
                let found = tx.find_server_key(SIGNING_KEY).await?;
                tx.rollback().await?;
                let pem = match found {
                    Some(pem) => pem,
                    None => {
                        let candidate = tokio::task::spawn_blocking(|| {
                            let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
                                .map_err(|e| AppError::Internal(format!("cannot make the webhook key: {e}")))?;
                            key.to_pkcs8_pem(LineEnding::LF)
                                .map(|pem| pem.to_string())
                                .map_err(|e| AppError::Internal(format!("cannot encode the webhook key: {e}")))
                        })
                        .await
                        .map_err(|e| AppError::Internal(e.to_string()))??;
                        let mut tx = self.store().begin().await?;
                        let stored = tx.ensure_server_key(SIGNING_KEY, &candidate, self.now()).await?;
                        tx.commit().await?;
                        stored
                    }
                };
                rsa::RsaPrivateKey::from_pkcs8_pem(&pem)
                    .map(Arc::new)
                    .map_err(|e| AppError::Internal(format!("the stored webhook key does not read: {e}")))
            })
            .await
            .cloned()
    }

    fn webhook_client(&self) -> AppResult<reqwest::Client> {
        let config = &self.config().webhooks;
        self.webhooks
            .client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .timeout(config.timeout)
                    .connect_timeout(config.timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .no_proxy()
                    .dns_resolver(Arc::new(CheckedResolver {
                        allow_private: config.allow_private,
                    }))
                    .user_agent(concat!("partnerdesk-webhooks/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| format!("cannot build the webhook client: {e}"))
            })
            .clone()
            .map_err(AppError::Internal)
    }

    /// One run of the worker: fans out every event not yet taken, then delivers what is
    /// due, round after round, until nothing is due at the app's clock.
    pub async fn run_webhook_deliveries(&self) -> AppResult<WebhookRunReport> {
        let mut report = WebhookRunReport::default();
        let mut tx = self.read().await?;
        let due = tx.webhook_work_due(self.now()).await?;
        tx.rollback().await?;
        if !due {
            return Ok(report);
        }
        report.queued = self.fan_out().await?;
        loop {
            let now = self.now();
            let lease = self.new_id();
            let mut tx = self.store().begin().await?;
            let claimed = tx
                .claim_webhook_deliveries(now, lease, now + delivery::LEASE, CLAIM_BATCH)
                .await?;
            tx.commit().await?;
            if claimed.is_empty() {
                break;
            }
            let mut sends = tokio::task::JoinSet::new();
            for d in claimed {
                let app = self.clone();
                sends.spawn(async move { app.attempt(d, lease).await });
            }
            while let Some(done) = sends.join_next().await {
                match done.map_err(|e| AppError::Internal(e.to_string()))?? {
                    Attempt::Delivered => report.delivered += 1,
                    Attempt::Failed => report.failed += 1,
                    Attempt::Parked => report.parked += 1,
                    Attempt::LeaseLost => {}
                }
            }
        }
        Ok(report)
    }

    /// Queues each event not yet taken for the registrations that take it.
    async fn fan_out(&self) -> AppResult<u64> {
        let mut queued = 0;
        loop {
            let mut tx = self.store().begin().await?;
            let events = tx.claim_unqueued_events(FAN_OUT_BATCH).await?;
            if events.is_empty() {
                tx.rollback().await?;
                return Ok(queued);
            }
            let mut orgs: Vec<OrgId> = Vec::new();
            for e in &events {
                for org in event_orgs(e) {
                    if !orgs.contains(&org) {
                        orgs.push(org);
                    }
                }
            }
            let registrations = tx.list_webhook_registrations(Some(&orgs)).await?;
            let now = self.now();
            let mut deliveries = Vec::new();
            for e in &events {
                for r in &registrations {
                    // A registration takes what happens from its creation on.
                    if names_org(e, r.org_id) && r.wants(&e.event_type) && e.at >= r.created_at {
                        deliveries.push(self.new_delivery(r.id, e, now));
                    }
                }
            }
            queued += deliveries.len() as u64;
            tx.insert_webhook_deliveries(&deliveries).await?;
            let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
            tx.mark_events_queued(&ids, now).await?;
            tx.commit().await?;
        }
    }

    /// Sends one claimed delivery and records how it went.
    async fn attempt(&self, d: WebhookDelivery, lease: uuid::Uuid) -> AppResult<Attempt> {
        let mut tx = self.read().await?;
        let event = tx.find_event(d.event_id).await?;
        let registration = tx.find_webhook_registration(d.registration_id).await?;
        tx.rollback().await?;
        let (Some(event), Some(registration)) = (event, registration) else {
            return Ok(Attempt::LeaseLost);
        };
        let result = self.send(&registration, &event).await;
        let now = self.now();
        let (outcome, attempt) = match result {
            Ok(status) => (
                AttemptOutcome::Delivered {
                    at: now,
                    http_status: status,
                },
                Attempt::Delivered,
            ),
            Err((error, http_status)) => {
                let jitter = rand::thread_rng().gen::<f64>();
                match delivery::after_failure(d.attempts + 1, now, jitter) {
                    AfterFailure::RetryAt(next) => (
                        AttemptOutcome::Retry {
                            next,
                            error,
                            http_status,
                        },
                        Attempt::Failed,
                    ),
                    AfterFailure::Park => (
                        AttemptOutcome::Park {
                            at: now,
                            error,
                            http_status,
                        },
                        Attempt::Parked,
                    ),
                }
            }
        };
        let mut tx = self.store().begin().await?;
        let kept = tx.finish_webhook_attempt(d.id, lease, &outcome).await?;
        tx.commit().await?;
        if !kept {
            tracing::warn!(delivery = %d.id, "a webhook delivery's lease ran out before its attempt was recorded");
            return Ok(Attempt::LeaseLost);
        }
        Ok(attempt)
    }

    /// POSTs an event to a registration: the HTTP status of a 2xx answer, or why not.
    async fn send(&self, r: &WebhookRegistration, e: &OutboxEvent) -> Result<u16, (String, Option<u16>)> {
        let base = self.config().public_url.trim_end_matches('/');
        let audit_id = e.audit_id.map(|a| a.to_string());
        let payload = WebhookPayload::of(
            base,
            &EventFacts {
                event_id: e.id,
                event_name: &e.event_type,
                at: e.at,
                resource_type: &e.resource_type,
                resource_id: &e.resource_id,
                partner_id: e.partner_id,
                customer_id: e.customer_id,
                audit_id: audit_id.as_deref(),
            },
        );
        let internal = |e: AppError| (format!("internal: {e}"), None);
        let body = serde_json::to_vec(&payload).map_err(|e| (format!("internal: {e}"), None))?;
        let key = self.webhook_signing_key().await.map_err(internal)?;
        let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new((*key).clone());
        let rsa_signature = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            signer.sign(&body).to_bytes(),
        );
        let target = r
            .url
            .target()
            .ok_or_else(|| ("refused: not an http or https URL".to_string(), None))?;
        let allow = self.config().webhooks.allow_private;
        // An address written in the URL is not resolved, so it is checked here; a name is
        // checked by the client's resolver, on the very addresses it connects to.
        if target.host.parse::<IpAddr>().is_ok() {
            checked_addresses(&target.host, target.port, allow)
                .await
                .map_err(|e| (e, None))?;
        }
        let client = self.webhook_client().map_err(internal)?;
        let answer = client
            .post(r.url.as_str())
            .header("Content-Type", "application/json")
            .header("Authorization", format!("Signature {rsa_signature}"))
            .header("X-MS-Signature-Algorithm", "rsa-sha256")
            .header("X-MS-Certificate-Url", format!("{base}{CERTIFICATE_PATH}"))
            .header("X-Partnerdesk-Signature", hmac_signature(&r.secret, &body))
            .header("X-Partnerdesk-Event", e.event_type.as_str())
            .header("X-Partnerdesk-Event-Id", e.id.to_string())
            .body(body)
            .send()
            .await
            .map_err(|err| (describe_send_error(&err), None))?;
        let status = answer.status().as_u16();
        if answer.status().is_success() {
            Ok(status)
        } else {
            let text = answer.text().await.unwrap_or_default();
            let mut error = format!("HTTP {status}");
            if !text.trim().is_empty() {
                error.push_str(": ");
                error.extend(text.trim().chars().take(MAX_ERROR_LEN));
            }
            Err((error, Some(status)))
        }
    }
}

/// How one attempt ended, for the run's report.
enum Attempt {
    Delivered,
    Failed,
    Parked,
    LeaseLost,
}

fn describe_send_error(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.chars().take(MAX_ERROR_LEN).collect()
}

fn event_orgs(e: &OutboxEvent) -> impl Iterator<Item = OrgId> {
    e.partner_id
        .map(OrgId::from)
        .into_iter()
        .chain(e.customer_id.map(OrgId::from))
}

fn names_org(e: &OutboxEvent, org: OrgId) -> bool {
    event_orgs(e).any(|o| o == org)
}

async fn visible_registration(
    tx: &mut dyn Tx,
    caller: &Caller,
    id: WebhookRegistrationId,
) -> AppResult<WebhookRegistration> {
    tx.find_webhook_registration(id)
        .await?
        .filter(|r| may_see(caller, r))
        .ok_or(REGISTRATION_NOT_FOUND)
}
