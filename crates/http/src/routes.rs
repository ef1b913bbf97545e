//! Every route of the server, in one place, grouped by audience.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use partnerdesk_app::App;

use crate::state::{AppState, HttpConfig};
use serde::Serialize;

/// How long `/readyz` waits for the database before calling it unavailable.
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// Builds the router: every route of the server over `app`.
pub fn router(app: App, config: HttpConfig) -> Router {
    let state = AppState { app, config: std::sync::Arc::new(config) };
    Router::new()
        // operations: load balancers and orchestrators
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
}

/// Body of `/healthz`.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
}

/// Body of `/readyz`.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Readiness {
    Ready { database: &'static str },
    Unavailable { error: String },
}

/// Liveness: the process answers. Touches nothing else, so a slow database never makes
/// an orchestrator restart a healthy process.
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the database answers. 503 while it does not, so a load balancer sends
/// traffic elsewhere.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let app: &App = &state.app;
    let database = app.store().backend_name();
    let outcome = match tokio::time::timeout(READY_TIMEOUT, app.ready()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "the {database} database did not answer within {} s",
            READY_TIMEOUT.as_secs()
        )),
    };
    match outcome {
        Ok(()) => (StatusCode::OK, Json(Readiness::Ready { database })),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Readiness::Unavailable { error }))
        }
    }
}
