//! `/v1/roles`: the role catalogue GDAP relationships and the access check name roles
//! from. Anyone signed in reads it; the operator adds and changes roles.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::roles::{NewRole, RolePatch};

use super::with_etag;
use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::gdap::{RoleBody, RoleWire};
use crate::wire::Collection;

impl TryFrom<RoleBody> for NewRole {
    type Error = ApiError;

    fn try_from(body: RoleBody) -> ApiResult<Self> {
        Ok(Self {
            id: body.id.filter(|id| !id.trim().is_empty()),
            name: body
                .name
                .ok_or_else(|| ApiError::invalid_property("name", Why::Required))?,
            description: body.description.unwrap_or_default(),
        })
    }
}

impl TryFrom<RoleBody> for RolePatch {
    type Error = ApiError;

    fn try_from(body: RoleBody) -> ApiResult<Self> {
        if body.id.is_some() {
            return Err(ApiError::invalid_property("id", Why::other("cannot be changed")));
        }
        Ok(Self {
            name: body.name,
            description: body.description,
        })
    }
}

#[utoipa::path(
    get,
    path = "/v1/roles",
    tag = "extensions",
    summary = "The role catalogue",
    responses(
        (status = 200, description = "Every role, Microsoft Entra's well-known ids among them", body = crate::wire::Collection<crate::wire::gdap::RoleWire>),
    )
)]
/// `GET /v1/roles`: anyone signed in.
pub async fn roles(Call(state, _caller): Call) -> ApiResult<Response> {
    let roles = state.app.roles().await?;
    let items = roles.iter().map(RoleWire::from).collect();
    Ok(Json(Collection::all(items, "/v1/roles")).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/roles",
    tag = "extensions",
    summary = "Add a role to the catalogue (operator)",
    request_body = crate::wire::gdap::RoleBody,
    responses(
        (status = 201, description = "The role", body = crate::wire::gdap::RoleWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/roles` (operator) `{id?, name, description}`.
pub async fn create_role(Call(state, caller): Call, ApiJson(body): ApiJson<RoleBody>) -> ApiResult<Response> {
    let role = state.app.create_role(&caller, body.try_into()?).await?;
    let wire = RoleWire::from(&role);
    Ok(with_etag(
        wire.attributes.etag.as_ref(),
        (StatusCode::CREATED, Json(&wire)),
    ))
}

#[utoipa::path(
    patch,
    path = "/v1/roles/{id}",
    tag = "extensions",
    summary = "Change a role of the catalogue (operator)",
    params(crate::api::params::RoleChange),
    request_body = crate::wire::gdap::RoleBody,
    responses(
        (status = 200, description = "The role as it is now", body = crate::wire::gdap::RoleWire),
        crate::openapi::Forbidden,
    )
)]
/// `PATCH /v1/roles/{id}` (operator) with `If-Match`: its name and description.
pub async fn update_role(
    Call(state, caller): Call,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoleBody>,
) -> ApiResult<Response> {
    let patch = RolePatch::try_from(body)?;
    let version = match crate::graph::required_if_match(&headers)? {
        Some(version) => version,
        None => current_version(&state, &id).await?,
    };
    let role = state.app.update_role(&caller, &id, version, patch).await?;
    let wire = RoleWire::from(&role);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

/// The version of role `id` now, for `If-Match: *`.
async fn current_version(state: &AppState, id: &str) -> ApiResult<i64> {
    let roles = state.app.roles().await?;
    roles
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.version)
        .ok_or_else(|| ApiError::not_found("role"))
}
