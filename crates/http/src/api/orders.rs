//! `/v1/customers/{id}/orders`: buying for a customer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::orders::LineInput;
use partnerdesk_domain::{CustomerId, OfferId, OrderId, PartnerId};

use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::orders::{NewOrderBody, OrderWire};
use crate::wire::Collection;

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/orders",
    tag = "orders",
    summary = "List a customer's orders",
    params(
        ("id" = String, Path, description = "The customer id"),
    ),
    responses(
        (status = 200, description = "The orders", body = crate::wire::Collection<crate::wire::orders::OrderWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/orders`: the caller's orders for the customer.
pub async fn list_orders(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> ApiResult<Response> {
    let cid: CustomerId = ctx.id(&id, "customer")?;
    let orders = ctx.ok(state.app.list_orders(&ctx.caller, cid).await)?;
    let items = orders.iter().map(OrderWire::from).collect();
    Ok(Json(Collection::all(items, format!("/v1/customers/{cid}/orders"))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/orders/{oid}",
    tag = "orders",
    summary = "Get an order",
    params(
        ("id" = String, Path, description = "The customer id"),
        ("oid" = String, Path, description = "The order id"),
    ),
    responses(
        (status = 200, description = "The order", body = crate::wire::orders::OrderWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/orders/{oid}`.
pub async fn get_order(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, oid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let cid: CustomerId = ctx.id(&id, "customer")?;
    let oid: OrderId = ctx.id(&oid, "order")?;
    let order = ctx.ok(state.app.get_order(&ctx.caller, cid, oid).await)?;
    Ok(Json(OrderWire::from(&order)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/customers/{id}/orders",
    tag = "orders",
    summary = "Place an order",
    params(
        ("id" = String, Path, description = "The customer id"),
    ),
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
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewOrderBody>,
) -> ApiResult<Response> {
    let cid: CustomerId = ctx.id(&id, "customer")?;
    let mut lines = body.lineitems;
    lines.sort_by_key(|l| l.lineitemnumber.unwrap_or(i64::MAX));
    let mut reseller: Option<PartnerId> = None;
    let mut inputs = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let offer_id: OfferId = ctx.id_property(&line.offerid, &format!("lineItems[{i}].offerId"))?;
        if let Some(raw) = line.partneridonrecord.as_deref().filter(|s| !s.trim().is_empty()) {
            let p: PartnerId = ctx.id_property(raw, "partnerIdOnRecord")?;
            if reseller.is_some_and(|r| r != p) {
                return Err(ctx.err(ApiError::invalid_property(
                    "partnerIdOnRecord",
                    "must be the same on every line of an order",
                )));
            }
            reseller = Some(p);
        }
        inputs.push(LineInput {
            offer_id,
            quantity: line.quantity,
            friendly_name: line.friendlyname.clone(),
        });
    }
    let placed = ctx.ok(state.app.place_order(&ctx.caller, cid, inputs, reseller).await)?;
    Ok((StatusCode::CREATED, Json(OrderWire::from(&placed.order))).into_response())
}
