//! `/webhooks/v1/registration`: webhook registrations shaped like Partner Center's
//! (`WebhookUrl`, `WebhookEvents`, PascalCase), with an `Id` so an organisation may hold
//! several; test events, deliveries, redelivery and replay; and the public key that checks
//! the deliveries' `Authorization: Signature`.

use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use partnerdesk_app::webhooks::ReplayFrom;
use partnerdesk_app::{AppError, Caller};
use partnerdesk_domain::webhook::{DeliveryStatus, WebhookRegistration};
use partnerdesk_domain::{EventId, WebhookRegistrationId};
use serde::Deserialize;

use super::{ApiQuery, Id};
use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::{ApiJson, MaybeJson};
use crate::platform::idempotency::ReplayAs;
use crate::state::AppState;
use crate::wire::webhooks::{
    DeliveryWire, QueuedWire, RedeliverBody, RegistrationBody, RegistrationWire, ReplayBody, ValidationEventWire,
    ValidationStatusWire,
};
use crate::wire::{id_property, Collection};

const REGISTRATIONS: &str = "/webhooks/v1/registration";
/// Deliveries a registration's list shows.
const RECENT_DELIVERIES: u32 = 100;

/// `?id=` of the registration a request on `/webhooks/v1/registration` is about.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationQuery {
    /// The registration (optional when the organisation holds one).
    pub id: Option<String>,
}

/// The registration a request names, or the caller's only one.
async fn chosen(state: &AppState, caller: &Caller, id: Option<&str>) -> ApiResult<WebhookRegistrationId> {
    if let Some(id) = id {
        return id_property(id, "Id");
    }
    let mine: Vec<WebhookRegistration> = state
        .app
        .webhook_registrations(caller)
        .await?
        .into_iter()
        .filter(|r| r.org_id == caller.org_id)
        .collect();
    match mine.as_slice() {
        [only] => Ok(only.id),
        [] => Err(AppError::NotFound("webhook registration").into()),
        _ => Err(ApiError::invalid_property("Id", Why::Required)),
    }
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/registration",
    tag = "webhooks",
    summary = "List webhook registrations (the operator: everyone's)",
    responses(
        (status = 200, description = "The registrations, without secrets", body = crate::wire::Collection<crate::wire::webhooks::RegistrationWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /webhooks/v1/registration`.
pub async fn list_registrations(Call(state, caller): Call) -> ApiResult<Response> {
    let list = state.app.webhook_registrations(&caller).await?;
    let items = list.iter().map(RegistrationWire::of).collect();
    Ok(Json(Collection::all(items, REGISTRATIONS)).into_response())
}

#[utoipa::path(
    post,
    path = "/webhooks/v1/registration",
    tag = "webhooks",
    summary = "Register a webhook",
    request_body = crate::wire::webhooks::RegistrationBody,
    responses(
        (status = 201, description = "The registration with its secret, shown this once", body = crate::wire::webhooks::RegistrationWire),
        crate::openapi::Forbidden,
    )
)]
/// `POST /webhooks/v1/registration` `{WebhookUrl, WebhookEvents}`: 201 with the secret.
pub async fn create_registration(
    Call(state, caller): Call,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> ApiResult<Response> {
    let (url, events) = body.required()?;
    let r = state.app.create_webhook_registration(&caller, &url, &events).await?;
    let out = RegistrationWire::created(&r);
    let replay = ReplayAs::json(StatusCode::CREATED, &out.without_secret());
    let mut response = (StatusCode::CREATED, Json(out)).into_response();
    response.extensions_mut().insert(replay);
    Ok(response)
}

#[utoipa::path(
    put,
    path = "/webhooks/v1/registration",
    tag = "webhooks",
    summary = "Change a webhook registration (by its Id, or the organisation's only one)",
    request_body = crate::wire::webhooks::RegistrationBody,
    responses(
        (status = 200, description = "The registration as it is now", body = crate::wire::webhooks::RegistrationWire),
        crate::openapi::Forbidden,
        crate::openapi::NotFound,
    )
)]
/// `PUT /webhooks/v1/registration` `{Id?, WebhookUrl, WebhookEvents}`.
pub async fn put_registration(
    Call(state, caller): Call,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> ApiResult<Response> {
    let id = chosen(&state, &caller, body.id.as_deref()).await?;
    update(state, caller, id, body).await
}

async fn update(
    state: AppState,
    caller: Arc<Caller>,
    id: WebhookRegistrationId,
    body: RegistrationBody,
) -> ApiResult<Response> {
    let (url, events) = body.required()?;
    let r = state
        .app
        .update_webhook_registration(&caller, id, &url, &events)
        .await?;
    Ok(Json(RegistrationWire::of(&r)).into_response())
}

#[utoipa::path(
    delete,
    path = "/webhooks/v1/registration",
    tag = "webhooks",
    summary = "Delete a webhook registration (by ?id=, or the organisation's only one)",
    params(RegistrationQuery),
    responses(
        (status = 204, description = "Deleted, with its deliveries"),
        crate::openapi::Forbidden,
        crate::openapi::NotFound,
    )
)]
/// `DELETE /webhooks/v1/registration[?id=]`.
pub async fn delete_registration(
    Call(state, caller): Call,
    ApiQuery(query): ApiQuery<RegistrationQuery>,
) -> ApiResult<StatusCode> {
    let id = chosen(&state, &caller, query.id.as_deref()).await?;
    state.app.delete_webhook_registration(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/registration/{id}",
    tag = "webhooks",
    summary = "Get a webhook registration",
    params(crate::api::params::RegistrationPath),
    responses(
        (status = 200, description = "The registration, without its secret", body = crate::wire::webhooks::RegistrationWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /webhooks/v1/registration/{id}`.
pub async fn get_registration(Call(state, caller): Call, Id(id): Id<WebhookRegistrationId>) -> ApiResult<Response> {
    let r = state.app.webhook_registration(&caller, id).await?;
    Ok(Json(RegistrationWire::of(&r)).into_response())
}

#[utoipa::path(
    put,
    path = "/webhooks/v1/registration/{id}",
    tag = "webhooks",
    summary = "Change a webhook registration",
    params(crate::api::params::RegistrationPath),
    request_body = crate::wire::webhooks::RegistrationBody,
    responses(
        (status = 200, description = "The registration as it is now", body = crate::wire::webhooks::RegistrationWire),
        crate::openapi::Forbidden,
    )
)]
/// `PUT /webhooks/v1/registration/{id}` `{WebhookUrl, WebhookEvents}`.
pub async fn put_registration_by_id(
    Call(state, caller): Call,
    Id(id): Id<WebhookRegistrationId>,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> ApiResult<Response> {
    update(state, caller, id, body).await
}

#[utoipa::path(
    delete,
    path = "/webhooks/v1/registration/{id}",
    tag = "webhooks",
    summary = "Delete a webhook registration",
    params(crate::api::params::RegistrationPath),
    responses(
        (status = 204, description = "Deleted, with its deliveries"),
        crate::openapi::Forbidden,
    )
)]
/// `DELETE /webhooks/v1/registration/{id}`.
pub async fn delete_registration_by_id(
    Call(state, caller): Call,
    Id(id): Id<WebhookRegistrationId>,
) -> ApiResult<StatusCode> {
    state.app.delete_webhook_registration(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/registration/events",
    tag = "webhooks",
    summary = "The events one may subscribe to",
    responses(
        (status = 200, description = "Event names", body = Vec<String>),
    )
)]
/// `GET /webhooks/v1/registration/events`.
pub async fn list_events(Call(state, _caller): Call) -> ApiResult<Response> {
    Ok(Json(state.app.webhook_events()).into_response())
}

#[utoipa::path(
    post,
    path = "/webhooks/v1/registration/validationEvents",
    tag = "webhooks",
    summary = "Send a test-created event to the organisation's registrations (or ?id=)",
    params(RegistrationQuery),
    responses(
        (status = 200, description = "The test event's correlation id", body = crate::wire::webhooks::ValidationEventWire),
        crate::openapi::Forbidden,
        crate::openapi::NotFound,
    )
)]
/// `POST /webhooks/v1/registration/validationEvents[?id=]`.
pub async fn send_validation_event(
    Call(state, caller): Call,
    ApiQuery(query): ApiQuery<RegistrationQuery>,
) -> ApiResult<Response> {
    let only = query.id.as_deref().map(|id| id_property(id, "id")).transpose()?;
    let event = state.app.send_webhook_test(&caller, only).await?;
    Ok(Json(ValidationEventWire {
        correlation_id: event.to_string(),
        event_id: event.to_string(),
    })
    .into_response())
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/registration/validationEvents/{id}",
    tag = "webhooks",
    summary = "A test event's delivery status",
    params(crate::api::params::ValidationEventPath),
    responses(
        (status = 200, description = "Its deliveries", body = crate::wire::webhooks::ValidationStatusWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /webhooks/v1/registration/validationEvents/{id}`.
pub async fn validation_event_status(Call(state, caller): Call, Id(id): Id<EventId>) -> ApiResult<Response> {
    let deliveries = state.app.webhook_event_deliveries(&caller, id).await?;
    let status = if deliveries.iter().all(|d| d.status() == DeliveryStatus::Delivered) {
        DeliveryStatus::Delivered
    } else if deliveries.iter().any(|d| d.status() == DeliveryStatus::Parked) {
        DeliveryStatus::Parked
    } else {
        DeliveryStatus::Pending
    };
    Ok(Json(ValidationStatusWire {
        correlation_id: id.to_string(),
        status: status.as_str(),
        deliveries: deliveries.iter().map(DeliveryWire::of).collect(),
    })
    .into_response())
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/registration/{id}/deliveries",
    tag = "webhooks",
    summary = "A registration's latest deliveries, newest first",
    params(crate::api::params::RegistrationPath),
    responses(
        (status = 200, description = "Up to 100 deliveries", body = crate::wire::Collection<crate::wire::webhooks::DeliveryWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /webhooks/v1/registration/{id}/deliveries`.
pub async fn list_deliveries(Call(state, caller): Call, Id(id): Id<WebhookRegistrationId>) -> ApiResult<Response> {
    let list = state.app.webhook_deliveries(&caller, id, RECENT_DELIVERIES).await?;
    let items = list.iter().map(DeliveryWire::of).collect();
    Ok(Json(Collection::all(items, format!("{REGISTRATIONS}/{id}/deliveries"))).into_response())
}

#[utoipa::path(
    post,
    path = "/webhooks/v1/registration/{id}/redeliver",
    tag = "webhooks",
    summary = "Send parked deliveries again (one by DeliveryId, or all)",
    params(crate::api::params::RegistrationPath),
    request_body = crate::wire::webhooks::RedeliverBody,
    responses(
        (status = 200, description = "How many were queued", body = crate::wire::webhooks::QueuedWire),
        crate::openapi::Forbidden,
    )
)]
/// `POST /webhooks/v1/registration/{id}/redeliver` `{DeliveryId?}`.
pub async fn redeliver(
    Call(state, caller): Call,
    Id(id): Id<WebhookRegistrationId>,
    MaybeJson(body): MaybeJson<RedeliverBody>,
) -> ApiResult<Response> {
    let only = body
        .deliveryid
        .as_deref()
        .map(|d| id_property(d, "DeliveryId"))
        .transpose()?;
    let queued = state.app.redeliver_webhooks(&caller, id, only).await?;
    Ok(Json(QueuedWire { queued }).into_response())
}

#[utoipa::path(
    post,
    path = "/webhooks/v1/registration/replay",
    tag = "webhooks",
    summary = "Queue again every event since a time or an event, in order",
    request_body = crate::wire::webhooks::ReplayBody,
    responses(
        (status = 200, description = "How many deliveries were queued", body = crate::wire::webhooks::QueuedWire),
        crate::openapi::Forbidden,
        crate::openapi::NotFound,
    )
)]
/// `POST /webhooks/v1/registration/replay` `{Since | EventId, RegistrationId?}`.
pub async fn replay(Call(state, caller): Call, ApiJson(body): ApiJson<ReplayBody>) -> ApiResult<Response> {
    let from = match (body.since.as_deref(), body.eventid.as_deref()) {
        (Some(since), None) => ReplayFrom::Since(
            DateTime::parse_from_rfc3339(since)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::invalid_property("Since", Why::NotValid))?,
        ),
        (None, Some(event)) => ReplayFrom::Event(id_property(event, "EventId")?),
        (Some(_), Some(_)) => return Err(ApiError::invalid_property("EventId", Why::GivenTwice)),
        (None, None) => return Err(ApiError::invalid_property("Since", Why::Required)),
    };
    let only = body
        .registrationid
        .as_deref()
        .map(|r| id_property(r, "RegistrationId"))
        .transpose()?;
    let queued = state.app.replay_webhooks(&caller, from, only).await?;
    Ok(Json(QueuedWire { queued }).into_response())
}

#[utoipa::path(
    get,
    path = "/webhooks/v1/signing-key",
    tag = "webhooks",
    summary = "The public key (PEM) that checks a delivery's Authorization: Signature",
    security(()),
    responses(
        (status = 200, description = "SubjectPublicKeyInfo, PEM", body = String, content_type = "application/x-pem-file"),
    )
)]
/// `GET /webhooks/v1/signing-key`: public, the `X-MS-Certificate-Url` of every delivery.
pub async fn signing_key(axum::extract::State(state): axum::extract::State<AppState>) -> ApiResult<Response> {
    let pem = state.app.webhook_public_key_pem().await?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], pem).into_response())
}
