//! Every page of the dashboard, in one place. `tests/pages.rs` reads this file, so a new
//! page joins the router-level tests (who may see it, who is refused) by itself.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::{account, customers, home, signin, subscriptions};
use crate::state::AppState;

/// The stylesheet, embedded in the binary.
const APP_CSS: &str = include_str!("../../assets/app.css");

/// The dashboard's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(signin::root))
        .route("/static/app.css", get(stylesheet))
        // --- signed out ---
        .route("/signin", get(signin::sign_in_form).post(signin::sign_in))
        .route("/signout", post(signin::sign_out))
        .route("/language", post(signin::switch_language))
        // --- partner ---
        .route("/home", get(home::home))
        .route("/customers", get(customers::list))
        .route("/customers/export.csv", get(customers::export))
        .route("/customers/{id}", get(account::customer))
        .route("/customers/{id}/account", get(account::account))
        .route(
            "/customers/{id}/remove",
            get(account::confirm_removal).post(account::remove),
        )
        .route(
            "/customers/{id}/subscriptions",
            get(subscriptions::list).post(subscriptions::bulk),
        )
        .route(
            "/customers/{id}/subscriptions/{sid}",
            get(subscriptions::detail).post(subscriptions::change_status),
        )
}

/// `GET /static/app.css`: cached for a day (the file changes only with the binary).
async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        APP_CSS,
    )
        .into_response()
}
