//! The caller's own account: who it is (`/v1/me`) and its personal API tokens
//! (`/v1/me/tokens`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::auth::CreatedApiToken;
use partnerdesk_domain::token::ApiToken;
use partnerdesk_domain::ApiTokenId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::json::ApiJson;
use crate::platform::idempotency::ReplayAs;
use crate::state::AppState;
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

fn lang(caller: &partnerdesk_app::Caller) -> Lang {
    Lang::parse(&caller.locale).unwrap_or_default()
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
/// `GET /v1/me`: the caller's user, organisation, roles and locale.
pub async fn get_me(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<Me>> {
    let user = state
        .app
        .me(&caller)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang(&caller)))?;
    Ok(Json(Me {
        user_id: user.id.to_string(),
        email: user.email.as_str().to_string(),
        display_name: user.display_name.as_str().to_string(),
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
pub async fn list_tokens(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> ApiResult<Json<Collection<ApiTokenOut>>> {
    let tokens = state
        .app
        .list_api_tokens(&caller)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang(&caller)))?;
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
pub async fn create_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewApiToken>,
) -> ApiResult<Response> {
    let created = state
        .app
        .create_expiring_api_token(&caller, &body.name, body.expiresindays)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang(&caller)))?;
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
    params(
        ("id" = String, Path, description = "The token id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
    )
)]
/// `DELETE /v1/me/tokens/{id}`: revokes the token; 204. Revoking twice is fine.
pub async fn revoke_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let not_found = || ApiError::not_found("API token").in_lang(lang(&caller));
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    state
        .app
        .revoke_api_token(&caller, ApiTokenId(id))
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang(&caller)))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/profiles/organization`: the `OrganizationProfile` resource.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationProfileWire {
    pub id: String,
    pub company_name: String,
    /// Absent for a partner or the operator (no address is recorded for them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_address: Option<crate::wire::customers::AddressWire>,
    pub email: String,
    pub culture: String,
    pub language: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

#[utoipa::path(
    get,
    path = "/v1/profiles/organization",
    tag = "partners",
    summary = "The caller's organisation profile",
    responses(
        (status = 200, description = "Company name, default address, e-mail and culture of the caller's organisation", body = OrganizationProfileWire),
    )
)]
/// `GET /v1/profiles/organization`: the caller's own organisation, as Partner Center has it.
pub async fn organization_profile(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> ApiResult<Json<OrganizationProfileWire>> {
    let p = state
        .app
        .organization_profile(&caller)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang(&caller)))?;
    Ok(Json(OrganizationProfileWire {
        id: p.id.to_string(),
        company_name: p.company_name,
        default_address: p.country.map(|country| crate::wire::customers::AddressWire {
            country,
            address_line1: p.address_line1,
        }),
        email: p.email,
        language: p.culture.split('-').next().unwrap_or("en").to_string(),
        culture: p.culture,
        links: SelfLinks::to("/v1/profiles/organization"),
        attributes: Attributes::of("OrganizationProfile"),
    }))
}
