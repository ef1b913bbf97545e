//! `/v1/offers`: the catalog, read by anyone signed in and managed by the operator.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::operator::{OfferInput, OfferPatch};
use partnerdesk_domain::OfferId;
use serde::Deserialize;

use super::{if_match, with_etag, ApiQuery, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::orders::{OfferBody, OfferWire};
use crate::wire::Collection;

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
        crate::api::offers::OfferQuery,
    ),
    responses(
        (status = 200, description = "The offers", body = crate::wire::Collection<crate::wire::orders::OfferWire>),
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
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
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
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag last read (`\"3\"` or `W/\"3\"`), or `*`; another value, or a stale one, is a 412"),
    ),
    request_body = crate::wire::orders::OfferBody,
    responses(
        (status = 200, description = "The offer as it is now", body = crate::wire::orders::OfferWire),
        crate::openapi::Forbidden,
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
