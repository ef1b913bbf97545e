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
#[derive(Debug, Default, Deserialize)]
pub struct MyPartnersQuery {
    pub include: Option<String>,
}

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
