//! `/v1/customers/{id}/orders` and `/v1/offers`: buying for a customer, and the catalog
//! (read by anyone signed in, managed by the operator).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::operator::{OfferInput, OfferPatch};
use partnerdesk_app::orders::LineInput;
use partnerdesk_domain::{CustomerId, OfferId, OrderId, PartnerId};
use serde::Deserialize;

use super::{if_match, with_etag, ApiQuery, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::orders::{NewOrderBody, OfferBody, OfferWire, OrderWire};
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
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)", body = crate::error::ErrorBody),
        (status = 404, description = "Nothing of that id visible to the caller (`not_found`)", body = crate::error::ErrorBody),
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
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)", body = crate::error::ErrorBody),
        (status = 404, description = "Nothing of that id visible to the caller (`not_found`)", body = crate::error::ErrorBody),
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
        (status = 400, description = "Malformed or out-of-range input (`invalid_property`)", body = crate::error::ErrorBody),
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)", body = crate::error::ErrorBody),
        (status = 404, description = "Nothing of that id visible to the caller (`not_found`)", body = crate::error::ErrorBody),
        (status = 409, description = "Conflicts with the current state", body = crate::error::ErrorBody),
        (status = 413, description = "The body is over the limit (`payload_too_large`)", body = crate::error::ErrorBody),
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

/// Query of the catalog.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferQuery {
    pub country: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/offers",
    tag = "offers",
    summary = "List the catalog",
    params(
        crate::api::orders::OfferQuery,
    ),
    responses(
        (status = 200, description = "The offers", body = crate::wire::Collection<crate::wire::orders::OfferWire>),
        (status = 400, description = "Malformed or out-of-range input (`invalid_property`)", body = crate::error::ErrorBody),
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
    )
)]
/// `GET /v1/offers?country=XX`.
pub async fn list_offers(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OfferQuery>,
) -> ApiResult<Response> {
    let country = q.country.as_deref().filter(|c| !c.trim().is_empty());
    let offers = ctx.ok(state.app.list_offers(&ctx.caller, country).await)?;
    let items = offers.iter().map(OfferWire::from).collect();
    let self_uri = match country {
        Some(c) => format!("/v1/offers?country={}", super::query_value(c)),
        None => "/v1/offers".to_string(),
    };
    Ok(Json(Collection::all(items, self_uri)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/offers/{id}",
    tag = "offers",
    summary = "Get an offer",
    params(
        ("id" = String, Path, description = "The offer id"),
    ),
    responses(
        (status = 200, description = "The offer, with its `ETag`", body = crate::wire::orders::OfferWire),
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 404, description = "Nothing of that id visible to the caller (`not_found`)", body = crate::error::ErrorBody),
    )
)]
/// `GET /v1/offers/{id}`.
pub async fn get_offer(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> ApiResult<Response> {
    let oid: OfferId = ctx.id(&id, "offer")?;
    let offer = ctx.ok(state.app.get_offer(&ctx.caller, oid).await)?;
    let wire = OfferWire::from(&offer);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

fn price_minor(body: &OfferBody) -> Result<Option<i64>, ApiError> {
    if let Some(minor) = body.unitpriceminor {
        return Ok(Some(minor));
    }
    match body.price {
        None => Ok(None),
        Some(p) if (0.0..1e13).contains(&p) => Ok(Some((p * 100.0).round() as i64)),
        Some(_) => Err(ApiError::invalid_property("price", "must be a non-negative amount")),
    }
}

fn patch_of(body: OfferBody) -> Result<OfferPatch, ApiError> {
    let unit_price_minor = price_minor(&body)?;
    let countries = match (body.countries, body.country) {
        (Some(list), _) => Some(list),
        (None, Some(one_or_many)) => Some(one_or_many.into_vec()),
        (None, None) => None,
    };
    Ok(OfferPatch {
        name: body.name,
        description: body.description,
        unit_type: body.unittype,
        term_duration: body.termduration,
        unit_price_minor,
        currency: body.currencycode.or(body.currency),
        min_quantity: body.minimumquantity,
        max_quantity: body.maximumquantity,
        countries,
        is_available: body.isavailableforpurchase,
    })
}

#[utoipa::path(
    post,
    path = "/v1/offers",
    tag = "extensions",
    summary = "Create an offer (operator)",
    request_body = crate::wire::orders::OfferBody,
    responses(
        (status = 201, description = "The offer", body = crate::wire::orders::OfferWire),
        (status = 400, description = "Malformed or out-of-range input (`invalid_property`)", body = crate::error::ErrorBody),
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)", body = crate::error::ErrorBody),
        (status = 409, description = "Conflicts with the current state", body = crate::error::ErrorBody),
        (status = 413, description = "The body is over the limit (`payload_too_large`)", body = crate::error::ErrorBody),
    )
)]
/// `POST /v1/offers` (operator): `{name, country, minimumQuantity, maximumQuantity,
/// unitType, price, termDuration}` → 201 Offer. `country` may be one code or a list.
pub async fn create_offer(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<OfferBody>,
) -> ApiResult<Response> {
    let p = patch_of(body).map_err(|e| ctx.err(e))?;
    let input = OfferInput {
        name: p.name.unwrap_or_default(),
        description: p.description.unwrap_or_default(),
        unit_type: p.unit_type.unwrap_or_else(|| "Licenses".into()),
        term_duration: p.term_duration.unwrap_or_else(|| "P1M".into()),
        unit_price_minor: p.unit_price_minor.unwrap_or(0),
        currency: p.currency.unwrap_or_else(|| "USD".into()),
        min_quantity: p.min_quantity.unwrap_or(1),
        max_quantity: p.max_quantity.unwrap_or(10_000),
        countries: p.countries.unwrap_or_default(),
        is_available: p.is_available.unwrap_or(true),
    };
    let offer = ctx.ok(state.app.create_offer(&ctx.caller, input).await)?;
    let wire = OfferWire::from(&offer);
    Ok(with_etag(
        wire.attributes.etag.as_ref(),
        (StatusCode::CREATED, Json(&wire)),
    ))
}

#[utoipa::path(
    patch,
    path = "/v1/offers/{id}",
    tag = "extensions",
    summary = "Change an offer (operator)",
    params(
        ("id" = String, Path, description = "The offer id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; 412 when stale"),
    ),
    request_body = crate::wire::orders::OfferBody,
    responses(
        (status = 200, description = "The offer as it is now", body = crate::wire::orders::OfferWire),
        (status = 400, description = "Malformed or out-of-range input (`invalid_property`)", body = crate::error::ErrorBody),
        (status = 401, description = "No or bad token (`unauthenticated`)", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)", body = crate::error::ErrorBody),
        (status = 404, description = "Nothing of that id visible to the caller (`not_found`)", body = crate::error::ErrorBody),
        (status = 412, description = "`If-Match` is stale (`etag_mismatch`)", body = crate::error::ErrorBody),
        (status = 413, description = "The body is over the limit (`payload_too_large`)", body = crate::error::ErrorBody),
    )
)]
/// `PATCH /v1/offers/{id}` (operator): changes the fields sent; `If-Match` honoured.
pub async fn patch_offer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OfferBody>,
) -> ApiResult<Response> {
    let oid: OfferId = ctx.id(&id, "offer")?;
    let expected = if_match(&headers).map_err(|e| ctx.err(e))?;
    let patch = patch_of(body).map_err(|e| ctx.err(e))?;
    let offer = ctx.ok(state.app.patch_offer(&ctx.caller, oid, patch, expected).await)?;
    let wire = OfferWire::from(&offer);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}
