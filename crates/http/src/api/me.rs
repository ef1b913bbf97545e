//! `/v1/me`: who the caller is, its personal API tokens (`/v1/me/tokens`) and, for a
//! customer, its partners (`/v1/me/partners`: listing them, removing their admin roles,
//! ending a relationship).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::auth::CreatedApiToken;
use partnerdesk_domain::token::ApiToken;
use partnerdesk_domain::{ApiTokenId, PartnerId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiQuery, Id};
use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::{ApiJson, MaybeJson};
use crate::platform::idempotency::ReplayAs;
use crate::wire::partners::{AdminRolesRemovedWire, MyPartnerWire, ReasonBody, RemovalWire};
use crate::wire::{time, Attributes, Collection, SelfLinks};

/// `GET /v1/me`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    /// The caller's organisation id: the `tid` of its access tokens.
    pub tenant_id: String,
    /// `operator`, `partner` or `customer`.
    pub organization_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_type: Option<&'static str>,
    pub roles: Vec<&'static str>,
    pub locale: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

/// A personal API token, without its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenOut {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

impl From<&ApiToken> for ApiTokenOut {
    fn from(t: &ApiToken) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name.as_str().to_string(),
            created_at: time(t.created_at),
            last_used_at: t.last_used_at.map(time),
            expires_at: t.expires_at.map(time),
            revoked_at: t.revoked_at.map(time),
            links: SelfLinks::to(format!("/v1/me/tokens/{}", t.id)),
            attributes: Attributes::of("ApiToken"),
        }
    }
}

/// `POST /v1/me/tokens` answer: the token and, this once, its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiTokenOut {
    #[serde(flatten)]
    pub token: ApiTokenOut,
    /// The secret to send as `Authorization: Bearer pd_...`; never shown again: `null` in a
    /// repeat of the request (same `MS-RequestId`).
    #[schema(required = true)]
    pub token_secret: Option<String>,
    /// Only in a repeat: says that the secret was shown once and is not kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_notice: Option<&'static str>,
}

impl CreatedApiTokenOut {
    /// This answer as kept for a repeat of the request: the secret gone, a notice instead.
    fn without_secret(&self) -> Self {
        Self {
            token: self.token.clone(),
            token_secret: None,
            secret_notice: Some(crate::wire::customers::SECRET_SHOWN_ONCE),
        }
    }
}

impl From<CreatedApiToken> for CreatedApiTokenOut {
    fn from(created: CreatedApiToken) -> Self {
        Self {
            token: ApiTokenOut::from(&created.token),
            token_secret: Some(created.secret),
            secret_notice: None,
        }
    }
}

/// `POST /v1/me/tokens` body: `{name, expiresInDays?}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct NewApiToken {
    #[schema(min_length = 1)]
    pub name: String,
    /// Days until it stops working; absent: until revoked.
    #[schema(rename = "expiresInDays")]
    pub expiresindays: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/v1/me",
    tag = "extensions",
    summary = "Who the caller is",
    responses(
        (status = 200, description = "The caller: user, organisation, roles, locale", body = Me),
    )
)]
/// `GET /v1/me`: the caller's user, organisation, roles and locale, from the authenticated
/// caller alone (a change to the user ends the callers its tokens authenticated as, so
/// this reads nothing).
pub async fn get_me(Call(_, caller): Call) -> ApiResult<Json<Me>> {
    Ok(Json(Me {
        user_id: caller.user_id.to_string(),
        email: caller.upn.clone(),
        display_name: caller.display_name.clone(),
        tenant_id: caller.org_id.to_string(),
        organization_kind: caller.org_kind.as_str(),
        partner_type: caller.partner_type.map(|t| t.as_str()),
        roles: caller.roles.iter().map(|r| r.as_str()).collect(),
        locale: caller.locale.clone(),
        links: SelfLinks::to("/v1/me"),
        attributes: Attributes::of("Me"),
    }))
}

#[utoipa::path(
    get,
    path = "/v1/me/tokens",
    tag = "extensions",
    summary = "List the caller's personal API tokens",
    responses(
        (status = 200, description = "The tokens, without their secrets", body = crate::wire::Collection<ApiTokenOut>),
    )
)]
/// `GET /v1/me/tokens`: the caller's tokens, revoked ones included, oldest first.
pub async fn list_tokens(Call(state, caller): Call) -> ApiResult<Json<Collection<ApiTokenOut>>> {
    let tokens = state.app.list_api_tokens(&caller).await?;
    Ok(Json(Collection::all(
        tokens.iter().map(ApiTokenOut::from).collect(),
        "/v1/me/tokens",
    )))
}

#[utoipa::path(
    post,
    path = "/v1/me/tokens",
    tag = "extensions",
    summary = "Create a personal API token",
    request_body = NewApiToken,
    responses(
        (status = 201, description = "The token and, this once, its secret. A repeat of the request with the same `MS-RequestId` answers the same JSON with `tokenSecret: null` and a `secretNotice` saying the secret was shown once", body = CreatedApiTokenOut),
    )
)]
/// `POST /v1/me/tokens` `{name, expiresInDays?}`: 201 with the new token and its secret.
pub async fn create_token(Call(state, caller): Call, ApiJson(body): ApiJson<NewApiToken>) -> ApiResult<Response> {
    let created = state
        .app
        .create_expiring_api_token(&caller, &body.name, body.expiresindays)
        .await?;
    let out = CreatedApiTokenOut::from(created);
    let replay = ReplayAs::json(StatusCode::CREATED, &out.without_secret());
    let mut response = (StatusCode::CREATED, Json(out)).into_response();
    response.extensions_mut().insert(replay);
    Ok(response)
}

#[utoipa::path(
    delete,
    path = "/v1/me/tokens/{id}",
    tag = "extensions",
    summary = "Revoke a personal API token",
    params(crate::api::params::TokenPath),
    responses(
        (status = 204, description = "Revoked"),
    )
)]
/// `DELETE /v1/me/tokens/{id}`: revokes the token; 204. Revoking twice is fine.
pub async fn revoke_token(Call(state, caller): Call, Id(id): Id<ApiTokenId>) -> ApiResult<StatusCode> {
    state.app.revoke_api_token(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
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
    Call(state, caller): Call,
    ApiQuery(q): ApiQuery<MyPartnersQuery>,
) -> ApiResult<Response> {
    let include_closed = match q.include.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("closed") => true,
        Some(_) => return Err(ApiError::invalid_property("include", Why::other("must be closed"))),
    };
    let partners = state.app.list_my_partners(&caller, include_closed).await?;
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
    params(crate::api::params::PartnerPath),
    responses(
        (status = 200, description = "What ended", body = crate::wire::partners::AdminRolesRemovedWire),
        crate::openapi::Forbidden,
    )
)]
/// `DELETE /v1/me/partners/{partnerId}/adminroles`: ends the partner's DAP and GDAP.
pub async fn remove_partner_admin_roles(Call(state, caller): Call, Id(pid): Id<PartnerId>) -> ApiResult<Response> {
    let ended = state.app.remove_partner_admin_roles(&caller, pid).await?;
    Ok(Json(AdminRolesRemovedWire::new(pid.to_string(), &ended)).into_response())
}

#[utoipa::path(
    delete,
    path = "/v1/me/partners/{id}",
    tag = "customer-side",
    summary = "End the reseller relationship with a partner",
    params(crate::api::params::PartnerPath),
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
    Call(state, caller): Call,
    Id(pid): Id<PartnerId>,
    MaybeJson(body): MaybeJson<ReasonBody>,
) -> ApiResult<Response> {
    let removed = state
        .app
        .end_relationship_as_customer(&caller, pid, body.reason.as_deref())
        .await?;
    Ok(Json(RemovalWire::from(&removed)).into_response())
}
