//! The customer's side: invitations (read by anyone holding the link, answered by the
//! customer's global admin) and `/v1/me/partners` (its partners, removing their admin
//! roles, ending a relationship).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_domain::PartnerId;
use serde::Deserialize;

use super::{ApiQuery, Ctx, HeaderLang};
use crate::error::{ApiError, ApiResult};
use crate::json::MaybeJson;
use crate::state::AppState;
use crate::wire::partners::{
    AdminRolesRemovedWire, InvitationAnswerWire, InvitationWire, MyPartnerWire, ReasonBody, RemovalWire,
};
use crate::wire::Collection;

#[utoipa::path(
    get,
    path = "/v1/invitations/{token}",
    tag = "customer-side",
    summary = "Read an invitation",
    security(()),
    params(
        ("token" = String, Path, description = "The invitation token: the end of a relationship request url"),
    ),
    responses(
        (status = 200, description = "What the relationship request asks for, and from whom", body = crate::wire::partners::InvitationWire),
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `GET /v1/invitations/{token}`: what a relationship request asks for, and from whom.
/// The token is the secret; no sign-in is needed to read it.
pub async fn view_invitation(
    State(state): State<AppState>,
    HeaderLang(lang): HeaderLang,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let view = state
        .app
        .view_invitation(&token)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?;
    Ok(Json(InvitationWire::from(&view)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/invitations/{token}/accept",
    tag = "customer-side",
    summary = "Accept an invitation",
    params(
        ("token" = String, Path, description = "The invitation token: the end of a relationship request url"),
    ),
    responses(
        (status = 200, description = "The relationship it opened", body = crate::wire::partners::InvitationAnswerWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `POST /v1/invitations/{token}/accept`: the customer's global admin accepts, which opens
/// the relationship. No body (or `{}`).
pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let accepted = ctx.ok(state.app.accept_invitation(&ctx.caller, &token).await)?;
    Ok(Json(InvitationAnswerWire::accepted(&accepted)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/invitations/{token}/decline",
    tag = "customer-side",
    summary = "Decline an invitation",
    params(
        ("token" = String, Path, description = "The invitation token: the end of a relationship request url"),
    ),
    responses(
        (status = 200, description = "The declined request", body = crate::wire::partners::InvitationAnswerWire),
        crate::openapi::Forbidden,
        (status = 410, description = "The invitation has expired or was revoked (`request_expired`)", body = crate::error::ErrorBody),
    )
)]
/// `POST /v1/invitations/{token}/decline`.
pub async fn decline_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let request = ctx.ok(state.app.decline_invitation(&ctx.caller, &token).await)?;
    Ok(Json(InvitationAnswerWire::declined(&request)).into_response())
}

/// Query of `GET /v1/me/partners`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyPartnersQuery {
    pub include: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/me/partners",
    tag = "customer-side",
    summary = "List the customer's partners",
    params(
        crate::api::me::MyPartnersQuery,
    ),
    responses(
        (status = 200, description = "Its partners", body = crate::wire::Collection<crate::wire::partners::MyPartnerWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/me/partners` (`?include=closed` adds ended relationships).
pub async fn list_my_partners(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<MyPartnersQuery>,
) -> ApiResult<Response> {
    let include_closed = match q.include.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("closed") => true,
        Some(_) => return Err(ctx.err(ApiError::invalid_property("include", "must be closed"))),
    };
    let partners = ctx.ok(state.app.list_my_partners(&ctx.caller, include_closed).await)?;
    let items = partners.iter().map(MyPartnerWire::from).collect();
    let self_uri = if include_closed {
        "/v1/me/partners?include=closed"
    } else {
        "/v1/me/partners"
    };
    Ok(Json(Collection::all(items, self_uri)).into_response())
}

#[utoipa::path(
    delete,
    path = "/v1/me/partners/{id}/adminroles",
    tag = "customer-side",
    summary = "End a partner's DAP and GDAP",
    params(
        ("id" = String, Path, description = "The partner id (its organisation id)"),
    ),
    responses(
        (status = 200, description = "What ended", body = crate::wire::partners::AdminRolesRemovedWire),
        crate::openapi::Forbidden,
    )
)]
/// `DELETE /v1/me/partners/{partnerId}/adminroles`: ends the partner's DAP and GDAP.
pub async fn remove_partner_admin_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let pid: PartnerId = ctx.id(&id, "partner")?;
    let ended = ctx.ok(state.app.remove_partner_admin_roles(&ctx.caller, pid).await)?;
    Ok(Json(AdminRolesRemovedWire::new(pid.to_string(), &ended)).into_response())
}

#[utoipa::path(
    delete,
    path = "/v1/me/partners/{id}",
    tag = "customer-side",
    summary = "End the reseller relationship with a partner",
    params(
        ("id" = String, Path, description = "The partner id (its organisation id)"),
    ),
    request_body(content = Option<crate::wire::partners::ReasonBody>, description = "No body, `{}` or `{reason}`"),
    responses(
        (status = 200, description = "The removed relationship and what it changed", body = crate::wire::partners::RemovalWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `DELETE /v1/me/partners/{partnerId}`: the customer ends the reseller relationship
/// (same precondition and effects as the partner's removal). An optional `{reason}`.
pub async fn end_relationship_as_customer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    MaybeJson(body): MaybeJson<ReasonBody>,
) -> ApiResult<Response> {
    let pid: PartnerId = ctx.id(&id, "partner")?;
    let removed = ctx.ok(state
        .app
        .end_relationship_as_customer(&ctx.caller, pid, body.reason.as_deref())
        .await)?;
    Ok(Json(RemovalWire::from(&removed)).into_response())
}
