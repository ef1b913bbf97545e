//! `/v1/customers/{id}/subscriptions`: list, read, change (suspend, reactivate, cancel,
//! seats, name, auto-renew), support contacts, and the bulk status change.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::subscriptions::SubscriptionPatch;
use partnerdesk_app::{AppError, AppResult};
use partnerdesk_domain::subscription::SubscriptionStatus;
use partnerdesk_domain::{CustomerId, OrderId, PartnerId, SubscriptionId};
use serde::Deserialize;

use super::{if_match, with_etag, ApiQuery, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::subscriptions::{
    BulkError, BulkItem, BulkOutcome, BulkResult, BulkStatusBody, SubscriptionPatchBody, SubscriptionWire,
    SupportContactBody, SupportContactWire,
};
use crate::wire::{Attributes, Collection};

/// A result about subscription `sid`: its "not found" is Partner Center's 20003.
fn sub_ok<T>(ctx: &Ctx, sid: &str, result: AppResult<T>) -> ApiResult<T> {
    match result {
        Err(AppError::NotFound("subscription")) => Err(ctx.err(ApiError::subscription_not_found(sid))),
        other => ctx.ok(other),
    }
}

fn ids(ctx: &Ctx, customer: &str, sid: &str) -> ApiResult<(CustomerId, SubscriptionId)> {
    let c = ctx.id(customer, "customer")?;
    let s = sid
        .parse()
        .map_err(|_| ctx.err(ApiError::subscription_not_found(sid)))?;
    Ok((c, s))
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
    params(
        ("id" = String, Path, description = "The customer id"),
        crate::api::subscriptions::ListQuery,
    ),
    responses(
        (status = 200, description = "The subscriptions", body = crate::wire::Collection<crate::wire::subscriptions::SubscriptionWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/subscriptions` (`?order_id=` keeps one order's).
pub async fn list_subscriptions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let cid: CustomerId = ctx.id(&id, "customer")?;
    let order: Option<OrderId> = q
        .order_id
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| ctx.id_property(s, "order_id"))
        .transpose()?;
    let subs = ctx.ok(state.app.list_subscriptions(&ctx.caller, cid).await)?;
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
    params(
        ("id" = String, Path, description = "The customer id"),
        ("sid" = String, Path, description = "The subscription id"),
    ),
    responses(
        (status = 200, description = "The subscription, with its `ETag`", body = crate::wire::subscriptions::SubscriptionWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/subscriptions/{sid}`.
pub async fn get_subscription(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (cid, s) = ids(&ctx, &id, &sid)?;
    let sub = sub_ok(&ctx, &sid, state.app.get_subscription(&ctx.caller, cid, s).await)?;
    let wire = SubscriptionWire::from(&sub);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

/// Reads a PATCH body into the change it really asks for.
///
/// Absent or `null` properties leave a field unchanged. Because the .NET SDK sends every
/// property of a full Subscription, with the type defaults for the ones the caller did not
/// set (Partner Center reference §6.3), the defaults are read as "unchanged" too:
/// - `quantity: 0` never changes the seat count (0 is never a valid count);
/// - `status: "none"` (the SDK's unset status) changes nothing;
/// - when the body sets a `status`, `autoRenewEnabled: false` and an empty `friendlyName`
///   are the defaults of a status change and are ignored; without a status they apply.
pub fn patch_of(body: SubscriptionPatchBody) -> Result<SubscriptionPatch, ApiError> {
    let status = match body.status.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s.is_empty() || s == "none" => None,
        Some(s) => match SubscriptionStatus::parse(&s) {
            Some(st) => Some(st),
            None => {
                return Err(ApiError::invalid_property(
                    "status",
                    "must be active, suspended or deleted",
                ))
            }
        },
    };
    let changes_status = status.is_some();
    let quantity = body.quantity.filter(|q| *q != 0);
    let auto_renew = body.autorenewenabled.filter(|a| *a || !changes_status);
    let friendly_name = body.friendlyname.filter(|n| !(changes_status && n.trim().is_empty()));
    Ok(SubscriptionPatch {
        status,
        friendly_name,
        quantity,
        auto_renew,
    })
}

#[utoipa::path(
    patch,
    path = "/v1/customers/{id}/subscriptions/{sid}",
    tag = "subscriptions",
    summary = "Change a subscription",
    params(
        ("id" = String, Path, description = "The customer id"),
        ("sid" = String, Path, description = "The subscription id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag last read (`\"3\"` or `W/\"3\"`), or `*`; another value, or a stale one, is a 412"),
    ),
    request_body = crate::wire::subscriptions::SubscriptionPatchBody,
    responses(
        (status = 200, description = "The subscription as it is now", body = crate::wire::subscriptions::SubscriptionWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `PATCH /v1/customers/{id}/subscriptions/{sid}`: applies only what the client really
/// changed (see [`patch_of`]); `If-Match` is honoured when sent.
pub async fn patch_subscription(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, sid)): Path<(String, String)>,
    ApiJson(body): ApiJson<SubscriptionPatchBody>,
) -> ApiResult<Response> {
    let (cid, s) = ids(&ctx, &id, &sid)?;
    let expected = if_match(&headers).map_err(|e| ctx.err(e))?;
    let patch = patch_of(body).map_err(|e| ctx.err(e))?;
    let sub = sub_ok(
        &ctx,
        &sid,
        state
            .app
            .update_subscription(&ctx.caller, cid, s, patch, expected)
            .await,
    )?;
    let wire = SubscriptionWire::from(&sub);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/subscriptions/{sid}/supportcontact",
    tag = "subscriptions",
    summary = "Get a subscription's support contact",
    params(
        ("id" = String, Path, description = "The customer id"),
        ("sid" = String, Path, description = "The subscription id"),
    ),
    responses(
        (status = 200, description = "The partner assigned to help with the subscription", body = crate::wire::subscriptions::SupportContactWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET .../subscriptions/{sid}/supportcontact`: the partner assigned to help with it.
pub async fn get_support_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (cid, s) = ids(&ctx, &id, &sid)?;
    let partner = sub_ok(&ctx, &sid, state.app.support_contact(&ctx.caller, cid, s).await)?
        .ok_or_else(|| ctx.err(ApiError::not_found("support contact")))?;
    Ok(Json(SupportContactWire::new(&id, &sid, &partner)).into_response())
}

#[utoipa::path(
    put,
    path = "/v1/customers/{id}/subscriptions/{sid}/supportcontact",
    tag = "subscriptions",
    summary = "Set a subscription's support contact",
    params(
        ("id" = String, Path, description = "The customer id"),
        ("sid" = String, Path, description = "The subscription id"),
    ),
    request_body = crate::wire::subscriptions::SupportContactBody,
    responses(
        (status = 200, description = "The support contact as it is now", body = crate::wire::subscriptions::SupportContactWire),
        crate::openapi::Forbidden,
    )
)]
/// `PUT .../subscriptions/{sid}/supportcontact`: names one of the customer's available
/// support contacts (`supportTenantId`).
pub async fn put_support_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(String, String)>,
    ApiJson(body): ApiJson<SupportContactBody>,
) -> ApiResult<Response> {
    let (cid, s) = ids(&ctx, &id, &sid)?;
    let tenant = body
        .supporttenantid
        .or(body.supportmpnid)
        .ok_or_else(|| ctx.err(ApiError::invalid_property("supportTenantId", "is required")))?;
    let support: PartnerId = ctx.id_property(&tenant, "supportTenantId")?;
    let partner = sub_ok(
        &ctx,
        &sid,
        state.app.assign_support_contact(&ctx.caller, cid, s, support).await,
    )?;
    Ok(Json(SupportContactWire::new(&id, &sid, &partner)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/customers/{id}/subscriptions/bulk",
    tag = "extensions",
    summary = "Suspend or reactivate many subscriptions",
    params(
        ("id" = String, Path, description = "The customer id"),
    ),
    request_body = crate::wire::subscriptions::BulkStatusBody,
    responses(
        (status = 200, description = "One result per subscription", body = crate::wire::subscriptions::BulkResult),
        crate::openapi::Forbidden,
    )
)]
/// `POST /v1/customers/{id}/subscriptions/bulk`: suspends or reactivates many
/// subscriptions; answers one result per subscription instead of failing them all.
pub async fn bulk_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BulkStatusBody>,
) -> ApiResult<Response> {
    let cid: CustomerId = ctx.id(&id, "customer")?;
    let status = match body.status.trim().to_ascii_lowercase().as_str() {
        "suspended" => SubscriptionStatus::Suspended,
        "active" => SubscriptionStatus::Active,
        _ => return Err(ctx.err(ApiError::invalid_property("status", "must be suspended or active"))),
    };
    if body.subscriptionids.len() > 500 {
        return Err(ctx.err(ApiError::invalid_property(
            "subscriptionIds",
            "at most 500 subscriptions at a time",
        )));
    }
    let mut items = Vec::with_capacity(body.subscriptionids.len());
    let mut valid = Vec::with_capacity(body.subscriptionids.len());
    for raw in &body.subscriptionids {
        match raw.trim().parse::<SubscriptionId>() {
            Ok(sid) => valid.push(sid),
            Err(_) => items.push(refused(&ctx, raw.clone(), ApiError::subscription_not_found(raw))),
        }
    }
    let results = ctx.ok(state
        .app
        .bulk_update_subscription_status(&ctx.caller, cid, &valid, status)
        .await)?;
    for (sid, result) in results {
        let sid_text = sid.to_string();
        items.push(match sub_ok(&ctx, &sid_text, result) {
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
            Err(e) => refused(&ctx, sid_text, e),
        });
    }
    Ok(Json(BulkResult {
        items,
        attributes: Attributes::of("BulkSubscriptionStatusResult"),
    })
    .into_response())
}

fn refused(ctx: &Ctx, subscription_id: String, e: ApiError) -> BulkItem {
    let e = ctx.err(e);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> SubscriptionPatchBody {
        crate::json::parse_body(json.as_bytes()).expect("parses")
    }

    #[test]
    fn an_sdk_suspend_changes_only_the_status() {
        let p = patch_of(body(
            r#"{"Id":null,"FriendlyName":null,"Quantity":0,"Status":"suspended","AutoRenewEnabled":false}"#,
        ))
        .expect("valid");
        assert_eq!(
            p,
            SubscriptionPatch {
                status: Some(SubscriptionStatus::Suspended),
                ..Default::default()
            }
        );
    }

    #[test]
    fn without_a_status_auto_renew_false_applies() {
        let p = patch_of(body(r#"{"autoRenewEnabled":false,"quantity":3}"#)).expect("valid");
        assert_eq!((p.auto_renew, p.quantity, p.status), (Some(false), Some(3), None));
    }

    #[test]
    fn an_unknown_status_names_the_property() {
        let e = patch_of(body(r#"{"status":"paused"}"#)).expect_err("refused");
        assert_eq!(e.name(), "invalid_property");
    }
}
