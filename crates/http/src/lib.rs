//! partnerdesk's HTTP surface. [`router`] builds every route over an [`App`]; [`serve`] runs
//! a router on an already-bound listener until a shutdown future completes, so the binary
//! and the tests start servers the same way.
//!
//! It serves the Partner Center-compatible REST API under `/v1` (handlers in `api`, wire
//! types in `wire`, the error body in `error`), sign-in (`oauth`, `auth`), the OpenAPI
//! document and `/docs`, and the operations endpoints; `platform` holds the layers every
//! request passes (ids, logs, metrics, limits, idempotency); `web` is the dashboard, pages
//! rendered on the server for people.
//!
//! [`App`]: partnerdesk_app::App

mod api;
pub mod auth;
mod csv_download;
mod error;
mod graph;
mod i18n;
mod json;
mod oauth;
mod openapi;
#[doc(hidden)]
pub mod parsers;
mod peer;
pub mod platform;
mod routes;
mod state;
mod web;
mod wire;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;

pub use routes::{api_routes, router};
pub use state::{AppState, HttpConfig};
pub use web::pages as web_pages;

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting
/// connections and lets the requests in flight finish. Each request carries its peer's
/// address (`ConnectInfo<SocketAddr>`), which the sign-in limits count by.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
