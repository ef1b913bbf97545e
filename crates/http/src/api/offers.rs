//! `/v1/offers`: the catalog, read by anyone signed in and managed by the operator.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_domain::OfferId;
use serde::Deserialize;

use super::{if_match, with_etag, ApiQuery, Id};
use crate::auth::Call;
use crate::error::ApiResult;
use crate::json::ApiJson;
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
pub async fn list_offers(Call(state, caller): Call, ApiQuery(q): ApiQuery<OfferQuery>) -> ApiResult<Response> {
    let country = q.country.as_deref().filter(|c| !c.trim().is_empty());
    let offers = state.app.list_offers(&caller, country).await?;
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
    params(crate::api::params::OfferPath),
    responses(
        (status = 200, description = "The offer, with its `ETag`", body = crate::wire::orders::OfferWire),
    )
)]
/// `GET /v1/offers/{id}`.
pub async fn get_offer(Call(state, caller): Call, Id(oid): Id<OfferId>) -> ApiResult<Response> {
    let offer = state.app.get_offer(&caller, oid).await?;
    let wire = OfferWire::from(&offer);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
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
pub async fn create_offer(Call(state, caller): Call, ApiJson(body): ApiJson<OfferBody>) -> ApiResult<Response> {
    let input = body.into_input()?;
    let offer = state.app.create_offer(&caller, input).await?;
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
    params(crate::api::params::OfferPath, crate::api::params::IfMatch),
    request_body = crate::wire::orders::OfferBody,
    responses(
        (status = 200, description = "The offer as it is now", body = crate::wire::orders::OfferWire),
        crate::openapi::Forbidden,
    )
)]
/// `PATCH /v1/offers/{id}` (operator): changes the fields sent; `If-Match` honoured.
pub async fn patch_offer(
    Call(state, caller): Call,
    headers: HeaderMap,
    Id(oid): Id<OfferId>,
    ApiJson(body): ApiJson<OfferBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let patch = body.into_patch()?;
    let offer = state.app.patch_offer(&caller, oid, patch, expected).await?;
    let wire = OfferWire::from(&offer);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}
