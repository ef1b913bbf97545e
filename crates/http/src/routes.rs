//! Every route of the server, in one place, grouped by audience.
//!
//! Each handler carries `#[utoipa::path]` and is listed in [`crate::openapi::ApiDoc`];
//! `tests/openapi.rs` reads this file and fails when a route here is missing from the
//! document served at `/openapi.json`.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use partnerdesk_app::App;

use crate::api::{customers, me as my, orders, partners, subscriptions};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::{AppState, HttpConfig};
use crate::{account, oauth, openapi, platform};
use serde::Serialize;

/// How long `/readyz` waits for the database before calling it unavailable.
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// Builds the router: every route of the server over `app`.
pub fn router(app: App, config: HttpConfig) -> Router {
    let state = AppState::new(app, config);
    let routes = Router::new()
        // operations: load balancers and orchestrators
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(platform::metrics::metrics))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/docs", get(openapi::docs))
        // --- sign-in and the caller itself (auth) ---
        .route("/v1/me", get(account::get_me))
        .route("/v1/me/tokens", get(account::list_tokens).post(account::create_token))
        .route("/v1/me/tokens/{id}", delete(account::revoke_token))
        .route("/v1/profiles/organization", get(account::organization_profile))
        .route(oauth::TOKEN_PATH, post(oauth::token))
        .route("/.well-known/openid-configuration", get(oauth::openid_configuration))
        .route(oauth::JWKS_PATH, get(oauth::jwks))
        // --- end of sign-in routes ---
        // --- /v1 resources, partner side: customers, subscriptions, orders ---
        .route(
            "/v1/customers",
            get(customers::list_customers).post(customers::create_customer),
        )
        .route(
            "/v1/customers/relationshiprequests",
            get(customers::relationship_request),
        )
        .route(
            "/v1/customers/{id}",
            get(customers::get_customer).patch(customers::patch_customer),
        )
        .route(
            "/v1/customers/{id}/relationships",
            get(customers::customer_relationships),
        )
        .route(
            "/v1/customers/{id}/offboarding",
            get(customers::offboarding_preview).post(customers::offboard_customer),
        )
        .route(
            "/v1/customers/{id}/subscriptions",
            get(subscriptions::list_subscriptions),
        )
        .route(
            "/v1/customers/{id}/subscriptions/bulk",
            post(subscriptions::bulk_status),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sid}",
            get(subscriptions::get_subscription).patch(subscriptions::patch_subscription),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sid}/supportcontact",
            get(subscriptions::get_support_contact).put(subscriptions::put_support_contact),
        )
        .route(
            "/v1/customers/{id}/orders",
            get(orders::list_orders).post(orders::create_order),
        )
        .route("/v1/customers/{id}/orders/{oid}", get(orders::get_order))
        .route("/v1/relationships", get(partners::partner_relationships))
        // --- /v1 resources: the catalog (read by all, managed by the operator) ---
        .route("/v1/offers", get(orders::list_offers).post(orders::create_offer))
        .route("/v1/offers/{id}", get(orders::get_offer).patch(orders::patch_offer))
        // --- /v1 resources, operator: partners and their users ---
        .route(
            "/v1/partners",
            get(partners::list_partners).post(partners::create_partner),
        )
        .route("/v1/partners/{id}", get(partners::get_partner))
        .route(
            "/v1/partners/{id}/users",
            get(partners::list_users).post(partners::add_user),
        )
        .route(
            "/v1/partners/{id}/users/{uid}",
            get(partners::get_user)
                .patch(partners::patch_user)
                .delete(partners::delete_user),
        )
        // --- /v1 resources, customer side: invitations and its partners ---
        .route("/v1/invitations/{token}", get(my::view_invitation))
        .route("/v1/invitations/{token}/accept", post(my::accept_invitation))
        .route("/v1/invitations/{token}/decline", post(my::decline_invitation))
        .route("/v1/me/partners", get(my::list_my_partners))
        .route("/v1/me/partners/{id}", delete(my::end_relationship_as_customer))
        .route(
            "/v1/me/partners/{id}/adminroles",
            delete(my::remove_partner_admin_roles),
        )
        // --- end of /v1 resources ---
        // The dashboard's pages are listed in web/routes.rs.
        .merge(crate::web::routes())
        .fallback(not_found)
        .with_state(state.clone());
    // ids, logs, metrics, limits, authentication, rate limit, idempotency: see `platform`
    platform::apply(routes, state)
}

/// Any other address: 404 with the API's error body on the API's paths, the dashboard's
/// "not found" page elsewhere.
async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    if platform::headers::is_api_path(request.uri().path()) {
        let lang = Lang::from_headers(request.headers());
        return ApiError::route_not_found().in_lang(lang).into_response();
    }
    crate::web::not_found(request, &state).await
}

/// Body of `/healthz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Health {
    status: &'static str,
}

/// Body of `/readyz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub(crate) enum Readiness {
    Ready { database: &'static str },
    Unavailable { error: String },
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    summary = "Liveness",
    security(()),
    responses(
        (status = 200, description = "The process answers", body = Health),
    )
)]
/// Liveness: the process answers. Touches nothing else, so a slow database never makes
/// an orchestrator restart a healthy process.
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    summary = "Readiness",
    security(()),
    responses(
        (status = 200, description = "The database answers", body = Readiness),
        (status = 503, description = "The database does not answer", body = Readiness),
    )
)]
/// Readiness: the database answers. 503 while it does not, so a load balancer sends
/// traffic elsewhere.
pub(crate) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
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
