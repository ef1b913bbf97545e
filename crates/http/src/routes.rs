//! Every route of the server, in one place, grouped by audience.
//!
//! [`api`] is one table that is both the router and the OpenAPI document: each handler
//! carries `#[utoipa::path]`, and `routes!` registers it under the path and methods that
//! annotation names, so a route cannot be served undocumented or documented unserved. The
//! errors every `/v1` operation shares are added to the document by rule in `openapi`.
//! The dashboard's pages (`web::routes()`) are merged in after the table.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use partnerdesk_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::gdap as gdap_bulk;
use crate::api::{
    access, audit, customers, invitations, me, offers, orders, partners, profiles, roles, security_groups,
    subscriptions, webhooks,
};
use crate::error::ApiError;
use crate::graph::relationships as gdap;
use crate::state::{AppState, HttpConfig};
use crate::{oauth, openapi, platform};
use serde::Serialize;

/// How long `/readyz` waits for the database before calling it unavailable.
const READY_TIMEOUT: Duration = Duration::from_secs(5);

/// The table of documented routes, grouped by audience. Each `routes!` holds the handlers
/// of one path (one per method). The groups are functions of their own: one function
/// holding every route is a stack frame too large for a test thread in a debug build.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(operations())
        .merge(partner_side())
        .merge(catalog_and_operator())
        .merge(customer_side())
        .merge(delegated_admin())
        .merge(webhooks_registration())
}

/// Operations: load balancers and orchestrators; sign-in and the caller itself.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // operations: load balancers and orchestrators
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(platform::metrics::metrics))
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(openapi::docs))
        // sign-in and the caller itself
        .routes(routes!(me::get_me))
        .routes(routes!(me::list_tokens, me::create_token))
        .routes(routes!(me::revoke_token))
        .routes(routes!(profiles::organization_profile))
        .routes(routes!(oauth::token))
        .routes(routes!(oauth::openid_configuration))
        .routes(routes!(oauth::jwks))
}

/// The `/v1` resources of the partner side: customers, subscriptions, orders.
fn partner_side() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // /v1 resources, partner side: customers, subscriptions, orders
        .routes(routes!(customers::list_customers, customers::add_customer))
        .routes(routes!(customers::relationship_request))
        .routes(routes!(customers::mail_relationship_request))
        .routes(routes!(customers::get_customer, customers::patch_customer))
        .routes(routes!(customers::customer_relationships))
        .routes(routes!(customers::offboarding_preview, customers::offboard_customer))
        .routes(routes!(subscriptions::list_subscriptions))
        .routes(routes!(subscriptions::bulk_status))
        .routes(routes!(
            subscriptions::get_subscription,
            subscriptions::patch_subscription
        ))
        .routes(routes!(
            subscriptions::get_support_contact,
            subscriptions::put_support_contact
        ))
        .routes(routes!(orders::list_orders, orders::create_order))
        .routes(routes!(orders::get_order))
        .routes(routes!(partners::partner_relationships))
}

/// The audit log, the catalog, and the operator's partners and their users.
fn catalog_and_operator() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // /v1 resources: the catalog (read by all, managed by the operator)
        .routes(routes!(audit::list_audit_records))
        .routes(routes!(audit::get_audit_record))
        .routes(routes!(offers::list_offers, offers::create_offer))
        .routes(routes!(offers::get_offer, offers::patch_offer))
        // /v1 resources, operator: partners and their users
        .routes(routes!(partners::list_partners, partners::add_partner))
        .routes(routes!(partners::get_partner))
        .routes(routes!(partners::list_users, partners::add_user))
        .routes(routes!(partners::get_user, partners::patch_user, partners::delete_user))
}

/// The customer's side: invitations and its partners.
fn customer_side() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // /v1 resources, customer side: invitations and its partners
        .routes(routes!(invitations::view_invitation))
        .routes(routes!(invitations::accept_relationship_request))
        .routes(routes!(invitations::decline_relationship_request))
        .routes(routes!(me::list_my_partners))
        .routes(routes!(me::end_relationship_as_customer))
        .routes(routes!(me::remove_partner_admin_roles))
}

/// Delegated admin: Graph-shaped GDAP, its `/v1` extensions and the access check.
fn delegated_admin() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // delegated admin, Graph-shaped (/v1.0/tenantRelationships, errors in Graph's envelope)
        .routes(routes!(gdap::gdap_relationships, gdap::create_gdap_relationship))
        .routes(routes!(gdap::count_gdap_relationships))
        .routes(routes!(
            gdap::gdap_relationship,
            gdap::update_gdap_relationship,
            gdap::delete_gdap_relationship
        ))
        .routes(routes!(gdap::gdap_requests, gdap::request_gdap_action))
        .routes(routes!(gdap::gdap_request))
        .routes(routes!(gdap::gdap_operations))
        .routes(routes!(gdap::gdap_operation))
        .routes(routes!(gdap::access_assignments, gdap::create_access_assignment))
        .routes(routes!(
            gdap::access_assignment,
            gdap::update_access_assignment,
            gdap::delete_access_assignment
        ))
        .routes(routes!(gdap::delegated_admin_customers))
        .routes(routes!(gdap::delegated_admin_customer))
        .routes(routes!(gdap::service_management_details))
        // delegated admin, /v1 extensions: one change across many relationships, partner
        // security groups and the role catalogue
        .routes(routes!(gdap_bulk::bulk_update_gdap))
        .routes(routes!(
            security_groups::security_groups,
            security_groups::create_security_group
        ))
        .routes(routes!(
            security_groups::security_group,
            security_groups::rename_security_group,
            security_groups::delete_security_group
        ))
        .routes(routes!(security_groups::add_security_group_member))
        .routes(routes!(security_groups::remove_security_group_member))
        .routes(routes!(roles::roles, roles::create_role))
        .routes(routes!(roles::update_role))
        // the access check the vendor's product asks on every partner action
        .routes(routes!(access::check_access))
}

/// Webhooks, shaped like Partner Center's registration API.
fn webhooks_registration() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // webhooks, shaped like Partner Center's registration API
        .routes(routes!(
            webhooks::list_registrations,
            webhooks::create_registration,
            webhooks::put_registration,
            webhooks::delete_registration
        ))
        .routes(routes!(webhooks::list_events))
        .routes(routes!(webhooks::send_validation_event))
        .routes(routes!(webhooks::validation_event_status))
        .routes(routes!(webhooks::replay))
        .routes(routes!(
            webhooks::get_registration,
            webhooks::put_registration_by_id,
            webhooks::delete_registration_by_id
        ))
        .routes(routes!(webhooks::list_deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(webhooks::signing_key))
}

/// Every documented route as (method, path), the method lower case as in the document:
/// read from the same table the router is built from.
pub fn api_routes() -> std::collections::BTreeSet<(String, String)> {
    openapi::operations_of(openapi::document())
}

/// Builds the router: every route of the server over `app`.
pub fn router(app: App, config: HttpConfig) -> Router {
    let state = AppState::new(app, config);
    let (api, _) = api().split_for_parts();
    let routes = api
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
        return ApiError::route_not_found().into_response();
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
    let database = app.backend_name();
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
