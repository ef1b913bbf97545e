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
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            rate_limit_per_minute: 500,
        }
    }
}

/// Shared by every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<HttpConfig>,
    /// This node's metrics and rate limit buckets.
    pub platform: Arc<Platform>,
}

impl AppState {
    /// The state of a new router: fresh metrics and rate limit buckets.
    pub fn new(app: App, config: HttpConfig) -> Self {
        Self {
            app,
            config: Arc::new(config),
            platform: Arc::default(),
        }
    }
}
