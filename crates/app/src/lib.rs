//! partnerdesk's use cases: one function per operation. Each authorizes the caller, loads
//! what it needs inside one store transaction, asks `partnerdesk_domain` to decide, and
//! commits the change together with its audit record and outbox event.
//!
//! Every entry point (API, dashboard, CLI) goes through these functions, so authorization
//! and tenant isolation live here once: a caller sees only what its relationships allow,
//! and anything it may not see is `NotFound`, exactly as for an id that does not exist.

mod access;
pub mod access_check;
pub mod audit;
pub mod audit_log;
pub mod auth;
mod caller;
mod clock;
mod error;
mod idempotency;
pub mod mail;
pub mod passwords;
mod tokens;

pub mod customers;
pub mod delegated;
pub mod gdap;
mod gdap_job;
pub mod operator;
pub mod orders;
pub mod overview;
pub mod partners_of_customer;
pub mod password_reset;
pub mod profile;
pub mod removal;
pub mod requests;
pub mod resellers;
pub mod roles;
pub mod security_groups;
pub mod sign_in;
pub mod subscriptions;
pub mod users;
pub mod webhooks;

use std::sync::Arc;

use partnerdesk_store::Store;
use uuid::Uuid;

pub use caller::Caller;
pub use clock::{Clock, IdGen, ManualClock, SystemClock, V7Ids};
pub use error::{AppError, AppResult, AuthFailure};
pub use gdap_job::DelegatedAdminJobReport;
pub use idempotency::{AppTx, IdempotencyScope, Reservation, StoredResponse, IDEMPOTENCY_WINDOW_HOURS};
pub use passwords::PasswordCost;
pub use sign_in::SignInClient;

/// Settings the use cases need, passed in by the binary.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Base URL users reach this server at; invitation links start with it.
    pub public_url: String,
    /// How long a relationship request stays open.
    pub request_ttl_days: i64,
    /// Password hashing cost (tests use a cheap one).
    pub password_cost: PasswordCost,
    /// How mail is sent; `None` turns e-mail off.
    pub mail: Option<mail::MailConfig>,
    /// How webhook deliveries go out.
    pub webhooks: webhooks::WebhookConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            request_ttl_days: 90,
            password_cost: PasswordCost::Default,
            mail: None,
            webhooks: webhooks::WebhookConfig::default(),
        }
    }
}

/// The application: the store plus the injected clock and id generator. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    config: Arc<AppConfig>,
    /// Access token signing keys, loaded from the store on first use.
    keys: Arc<auth::KeyRing>,
    /// The stand-in hash for unknown e-mails and the count of password checks.
    password_checks: Arc<sign_in::PasswordChecks>,
    /// The access check's cache and this node's part in keeping it true.
    access: Arc<access_check::AccessNode>,
    /// The SMTP client, made on first use.
    mail_sender: Arc<std::sync::OnceLock<mail::Sender>>,
    /// The webhook signing key and HTTP client, made on first use.
    webhooks: Arc<webhooks::WebhookRuntime>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store)
            .field("config", &self.config)
            .finish()
    }
}

impl App {
    /// An app on the system clock with UUIDv7 ids.
    pub fn new(store: Store, config: AppConfig) -> Self {
        Self::with_clock(store, config, Arc::new(SystemClock), Arc::new(V7Ids))
    }

    /// An app with a given clock and id generator (tests).
    pub fn with_clock(store: Store, config: AppConfig, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>) -> Self {
        let access = Arc::new(access_check::AccessNode::new(store.access_signals().is_some()));
        Self {
            access,
            store,
            clock,
            ids,
            config: Arc::new(config),
            keys: Arc::default(),
            password_checks: Arc::default(),
            mail_sender: Arc::default(),
            webhooks: Arc::default(),
        }
    }

    /// The store, for the use cases alone: code outside `app` reaches the database only
    /// through them.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// `sqlite` or `postgres`: which database this app runs on.
    pub fn backend_name(&self) -> &'static str {
        self.store.backend_name()
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// The time by the app's clock (what expiry is measured against; tests set it by hand).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub(crate) fn new_id(&self) -> Uuid {
        self.ids.next()
    }

    /// Is the database reachable? (For `/readyz`.)
    pub async fn ready(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}
