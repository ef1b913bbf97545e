//! `/v1/customers/{id}/orders`: buying for a customer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_domain::{CustomerId, OrderId};

use super::{Id, Ids};
use crate::auth::Call;
use crate::error::ApiResult;
use crate::json::ApiJson;
use crate::wire::orders::{NewOrderBody, OrderWire};
use crate::wire::Collection;

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/orders",
    tag = "orders",
    summary = "List a customer's orders",
    params(crate::api::params::CustomerPath),
    responses(
        (status = 200, description = "The orders", body = crate::wire::Collection<crate::wire::orders::OrderWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/orders`: the caller's orders for the customer.
pub async fn list_orders(Call(state, caller): Call, Id(cid): Id<CustomerId>) -> ApiResult<Response> {
    let orders = state.app.list_orders(&caller, cid).await?;
    let items = orders.iter().map(OrderWire::from).collect();
    Ok(Json(Collection::all(items, format!("/v1/customers/{cid}/orders"))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/orders/{oid}",
    tag = "orders",
    summary = "Get an order",
    params(crate::api::params::OrderPath),
    responses(
        (status = 200, description = "The order", body = crate::wire::orders::OrderWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/orders/{oid}`.
pub async fn get_order(Call(state, caller): Call, Ids(cid, oid): Ids<CustomerId, OrderId>) -> ApiResult<Response> {
    let order = state.app.get_order(&caller, cid, oid).await?;
    Ok(Json(OrderWire::from(&order)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/customers/{id}/orders",
    tag = "orders",
    summary = "Place an order",
    params(crate::api::params::CustomerPath),
    request_body = crate::wire::orders::NewOrderBody,
    responses(
        (status = 201, description = "The order", body = crate::wire::orders::OrderWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/customers/{id}/orders`: 201 with the order. `partnerIdOnRecord` (an indirect
/// provider naming one of its resellers) must be the same on every line.
pub async fn create_order(
    Call(state, caller): Call,
    Id(cid): Id<CustomerId>,
    ApiJson(body): ApiJson<NewOrderBody>,
) -> ApiResult<Response> {
    let (inputs, reseller) = body.into_lines()?;
    let placed = state.app.create_order(&caller, cid, inputs, reseller).await?;
    Ok((StatusCode::CREATED, Json(OrderWire::from(&placed.order))).into_response())
}
