//! `/v1/invitations/{token}`: a relationship request as its customer sees it, read by
//! anyone holding the link and answered (accepted or declined) by the customer's global
//! admin.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::auth::Call;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::wire::partners::{InvitationAnswerWire, InvitationWire};

#[utoipa::path(
    get,
    path = "/v1/invitations/{token}",
    tag = "customer-side",
    summary = "Read an invitation",
    security(()),
    params(crate::api::params::InvitationPath),
    responses(
        (status = 200, description = "What the relationship request asks for, and from whom", body = crate::wire::partners::InvitationWire),
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `GET /v1/invitations/{token}`: what a relationship request asks for, and from whom.
/// The token is the secret; no sign-in is needed to read it.
pub async fn view_invitation(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let view = state.app.view_invitation(&token).await?;
    Ok(Json(InvitationWire::from(&view)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/invitations/{token}/accept",
    tag = "customer-side",
    summary = "Accept an invitation",
    params(crate::api::params::InvitationPath),
    responses(
        (status = 200, description = "The relationship it opened", body = crate::wire::partners::InvitationAnswerWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `POST /v1/invitations/{token}/accept`: the customer's global admin accepts, which opens
/// the relationship. No body (or `{}`).
pub async fn accept_relationship_request(Call(state, caller): Call, Path(token): Path<String>) -> ApiResult<Response> {
    let accepted = state.app.accept_relationship_request(&caller, &token).await?;
    Ok(Json(InvitationAnswerWire::accepted(&accepted)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/invitations/{token}/decline",
    tag = "customer-side",
    summary = "Decline an invitation",
    params(crate::api::params::InvitationPath),
    responses(
        (status = 200, description = "The declined request", body = crate::wire::partners::InvitationAnswerWire),
        crate::openapi::Forbidden,
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `POST /v1/invitations/{token}/decline`.
pub async fn decline_relationship_request(Call(state, caller): Call, Path(token): Path<String>) -> ApiResult<Response> {
    let request = state.app.decline_relationship_request(&caller, &token).await?;
    Ok(Json(InvitationAnswerWire::declined(&request)).into_response())
}
