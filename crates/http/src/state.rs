//! What every handler can reach: the application and the HTTP settings.

use std::sync::Arc;
use std::time::Duration;

use partnerdesk_app::App;

use crate::platform::Platform;

/// Settings of the HTTP layer, passed in by the binary.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Base URL clients reach this server at (links, `@odata.nextLink`, invitation pages).
    pub public_url: String,
    /// Largest request body accepted, in bytes (413 beyond it).
    pub body_limit: usize,
    /// Longest a request may run before it is answered 503.
    pub request_timeout: Duration,
    /// Requests per minute per tenant and resource family (429 beyond it).
    pub rate_limit_per_minute: u32,
    /// Whether this node runs the webhook delivery worker (the webhook pages say when not).
    pub webhook_worker: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            rate_limit_per_minute: 500,
            webhook_worker: true,
        }
    }
}

/// Shared by every handler; its fields are reached through [`Shared`].
///
/// One `Arc` around the whole: every middleware layer and handler clones the state for
/// each request, and on a busy server cloning and dropping a struct of many `Arc`s (the
/// app alone holds eight) was a tenth of a request's CPU, every count a cache line the
/// cores fight over.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] shares.
pub struct Shared {
    pub app: App,
    pub config: Arc<HttpConfig>,
    /// This node's metrics and rate limit buckets.
    pub platform: Arc<Platform>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The state of a new router: fresh metrics and rate limit buckets.
    pub fn new(app: App, config: HttpConfig) -> Self {
        Self(Arc::new(Shared {
            app,
            config: Arc::new(config),
            platform: Arc::default(),
        }))
    }
}
