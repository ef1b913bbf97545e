//! Every page of the dashboard, in one place. `tests/pages.rs` reads this file, so a new
//! page joins the router-level tests (who may see it, who is refused) by itself.

use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::{account, customers, home, operator, signin, subscriptions};
use super::{former, history, offboarding, orders, requests};
use super::{invitation, my_partners, pages, profile};
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
        // --- anyone holding an invitation link; answered by the customer's global admin ---
        .route("/invitations/{token}", get(invitation::view))
        .route("/invitations/{token}/accept", post(invitation::accept))
        .route("/invitations/{token}/decline", post(invitation::decline))
        // --- customer ---
        .route("/partners", get(my_partners::list))
        .route(
            "/partners/{pid}/end",
            get(my_partners::confirm_end).post(my_partners::end),
        )
        .route(
            "/partners/{pid}/adminroles",
            get(my_partners::confirm_remove_admin_roles).post(my_partners::remove_admin_roles),
        )
        // --- every signed-in user ---
        .route("/profile", get(profile::profile))
        .route("/profile/name", post(profile::save_name))
        .route("/profile/password", post(profile::change_password))
        .route("/profile/language", post(profile::save_language))
        .route("/profile/tokens", post(profile::create_token))
        .route(
            "/profile/tokens/{tid}/revoke",
            get(profile::confirm_revoke).post(profile::revoke),
        )
        // --- operator ---
        .route("/operator/partners", get(operator::partners))
        .route(
            "/operator/partners/new",
            get(operator::new_partner).post(operator::create_partner),
        )
        .route("/operator/offers", get(operator::offers))
        .route(
            "/operator/offers/new",
            get(operator::new_offer).post(operator::create_offer),
        )
        .route(
            "/operator/offers/{id}",
            get(operator::edit_offer).post(operator::update_offer),
        )
        // --- partner ---
        .route("/home", get(home::home))
        .route("/customers", get(customers::list))
        .route("/customers/export.csv", get(customers::export))
        .route("/customers/request", get(requests::form).post(requests::create))
        .route("/customers/former", get(former::list))
        .route("/customers/former/{fid}", get(former::history))
        .route(
            "/customers/request/{rid}/revoke",
            get(requests::confirm_revoke).post(requests::revoke),
        )
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
        .route("/customers/{id}/orders", get(orders::list).post(orders::place))
        .route(
            "/customers/{id}/offboarding",
            get(offboarding::preview).post(offboarding::offboard),
        )
        .route("/customers/{id}/history", get(history::history))
        .layer(middleware::from_fn(pages::in_visitors_words))
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
