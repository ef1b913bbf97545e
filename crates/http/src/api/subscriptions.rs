//! `/v1/customers/{id}/subscriptions`: list, read, change (suspend, reactivate, cancel,
//! seats, name, auto-renew), support contacts, and the bulk status change.

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::{AppError, AppResult};
use partnerdesk_domain::{CustomerId, OrderId, SubscriptionId};
use serde::Deserialize;

use super::{id_property, if_match, with_etag, ApiQuery, Id, Ids};
use crate::auth::Call;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::json::ApiJson;
use crate::wire::subscriptions::{
    BulkError, BulkItem, BulkOutcome, BulkResult, BulkStatusBody, SubscriptionPatchBody, SubscriptionWire,
    SupportContactBody, SupportContactWire,
};
use crate::wire::{Attributes, Collection};

/// A result about subscription `sid`: its "not found" is Partner Center's 20003.
fn sub_ok<T>(sid: SubscriptionId, result: AppResult<T>) -> ApiResult<T> {
    match result {
        Err(AppError::NotFound("subscription")) => Err(ApiError::subscription_not_found(&sid.to_string())),
        other => Ok(other?),
    }
}

/// Query of the subscription list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub order_id: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/subscriptions",
    tag = "subscriptions",
    summary = "List a customer's subscriptions",
    params(crate::api::params::CustomerPath, crate::api::subscriptions::ListQuery),
    responses(
        (status = 200, description = "The subscriptions", body = crate::wire::Collection<crate::wire::subscriptions::SubscriptionWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/subscriptions` (`?order_id=` keeps one order's).
pub async fn list_subscriptions(
    Call(state, caller): Call,
    Id(cid): Id<CustomerId>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let order: Option<OrderId> = q
        .order_id
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| id_property(s, "order_id"))
        .transpose()?;
    let subs = state.app.list_subscriptions(&caller, cid).await?;
    let items = subs
        .iter()
        .filter(|s| order.is_none_or(|o| s.order_id == o))
        .map(SubscriptionWire::from)
        .collect();
    let self_uri = match order {
        Some(o) => format!("/v1/customers/{cid}/subscriptions?order_id={o}"),
        None => format!("/v1/customers/{cid}/subscriptions"),
    };
    Ok(Json(Collection::all(items, self_uri)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/subscriptions/{sid}",
    tag = "subscriptions",
    summary = "Get a subscription",
    params(crate::api::params::SubscriptionPath),
    responses(
        (status = 200, description = "The subscription, with its `ETag`", body = crate::wire::subscriptions::SubscriptionWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/subscriptions/{sid}`.
pub async fn get_subscription(
    Call(state, caller): Call,
    Ids(cid, s): Ids<CustomerId, SubscriptionId>,
) -> ApiResult<Response> {
    let sub = sub_ok(s, state.app.get_subscription(&caller, cid, s).await)?;
    let wire = SubscriptionWire::from(&sub);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    patch,
    path = "/v1/customers/{id}/subscriptions/{sid}",
    tag = "subscriptions",
    summary = "Change a subscription",
    params(crate::api::params::SubscriptionPath, crate::api::params::IfMatch),
    request_body = crate::wire::subscriptions::SubscriptionPatchBody,
    responses(
        (status = 200, description = "The subscription as it is now", body = crate::wire::subscriptions::SubscriptionWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `PATCH /v1/customers/{id}/subscriptions/{sid}`: applies only what the client really
/// changed (see `SubscriptionPatchBody::into_patch`); `If-Match` is honoured when sent.
pub async fn patch_subscription(
    Call(state, caller): Call,
    headers: HeaderMap,
    Ids(cid, s): Ids<CustomerId, SubscriptionId>,
    ApiJson(body): ApiJson<SubscriptionPatchBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let patch = body.into_patch()?;
    let sub = sub_ok(s, state.app.update_subscription(&caller, cid, s, patch, expected).await)?;
    let wire = SubscriptionWire::from(&sub);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/subscriptions/{sid}/supportcontact",
    tag = "subscriptions",
    summary = "Get a subscription's support contact",
    params(crate::api::params::SubscriptionPath),
    responses(
        (status = 200, description = "The partner assigned to help with the subscription", body = crate::wire::subscriptions::SupportContactWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET .../subscriptions/{sid}/supportcontact`: the partner assigned to help with it.
pub async fn get_support_contact(
    Call(state, caller): Call,
    Ids(cid, s): Ids<CustomerId, SubscriptionId>,
) -> ApiResult<Response> {
    let partner = sub_ok(s, state.app.support_contact(&caller, cid, s).await)?
        .ok_or_else(|| ApiError::not_found("support contact"))?;
    Ok(Json(SupportContactWire::new(&cid.to_string(), &s.to_string(), &partner)).into_response())
}

#[utoipa::path(
    put,
    path = "/v1/customers/{id}/subscriptions/{sid}/supportcontact",
    tag = "subscriptions",
    summary = "Set a subscription's support contact",
    params(crate::api::params::SubscriptionPath),
    request_body = crate::wire::subscriptions::SupportContactBody,
    responses(
        (status = 200, description = "The support contact as it is now", body = crate::wire::subscriptions::SupportContactWire),
        crate::openapi::Forbidden,
    )
)]
/// `PUT .../subscriptions/{sid}/supportcontact`: names one of the customer's available
/// support contacts (`supportTenantId`).
pub async fn put_support_contact(
    Call(state, caller): Call,
    Ids(cid, s): Ids<CustomerId, SubscriptionId>,
    ApiJson(body): ApiJson<SupportContactBody>,
) -> ApiResult<Response> {
    let support = body.into_partner_id()?;
    let partner = sub_ok(s, state.app.assign_support_contact(&caller, cid, s, support).await)?;
    Ok(Json(SupportContactWire::new(&cid.to_string(), &s.to_string(), &partner)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/customers/{id}/subscriptions/bulk",
    tag = "extensions",
    summary = "Suspend or reactivate many subscriptions",
    params(crate::api::params::CustomerPath),
    request_body = crate::wire::subscriptions::BulkStatusBody,
    responses(
        (status = 200, description = "One result per subscription", body = crate::wire::subscriptions::BulkResult),
        crate::openapi::Forbidden,
    )
)]
/// `POST /v1/customers/{id}/subscriptions/bulk`: suspends or reactivates many
/// subscriptions; answers one result per subscription instead of failing them all.
pub async fn bulk_status(
    Call(state, caller): Call,
    lang: Lang,
    Id(cid): Id<CustomerId>,
    ApiJson(body): ApiJson<BulkStatusBody>,
) -> ApiResult<Response> {
    let change = body.into_change()?;
    let mut items = Vec::with_capacity(change.ids.len() + change.malformed.len());
    for raw in change.malformed {
        let e = ApiError::subscription_not_found(&raw);
        items.push(refused(lang, raw, e));
    }
    let results = state
        .app
        .bulk_update_subscription_status(&caller, cid, &change.ids, change.status)
        .await?;
    for (sid, result) in results {
        let sid_text = sid.to_string();
        items.push(match sub_ok(sid, result) {
            Ok(outcome) => BulkItem {
                subscription_id: sid_text,
                outcome: if outcome.changed {
                    BulkOutcome::Changed
                } else {
                    BulkOutcome::Unchanged
                },
                status: Some(outcome.subscription.status.as_str()),
                error: None,
            },
            Err(e) => refused(lang, sid_text, e),
        });
    }
    Ok(Json(BulkResult {
        items,
        attributes: Attributes::of("BulkSubscriptionStatusResult"),
    })
    .into_response())
}

fn refused(lang: Lang, subscription_id: String, e: ApiError) -> BulkItem {
    let e = e.in_lang(lang);
    BulkItem {
        subscription_id,
        outcome: BulkOutcome::Refused,
        status: None,
        error: Some(BulkError {
            code: e.code(),
            error_name: e.name(),
            description: e.description(),
        }),
    }
}
