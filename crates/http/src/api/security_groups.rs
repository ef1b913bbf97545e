//! `/v1/securityGroups`: a partner's security groups of its own users, which GDAP access
//! assignments give roles to (an extension: Graph keeps them in the partner's directory).

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_domain::{SecurityGroupId, UserId};

use super::{if_match, with_etag, Id, Ids};
use crate::auth::Call;
use crate::error::ApiResult;
use crate::json::ApiJson;
use crate::wire::gdap::{MemberBody, SecurityGroupBody, SecurityGroupWire};
use crate::wire::Collection;

/// Where the groups are.
const GROUPS: &str = "/v1/securityGroups";

#[utoipa::path(
    post,
    path = "/v1/securityGroups",
    tag = "extensions",
    summary = "Create a security group of the partner's users",
    request_body = crate::wire::gdap::SecurityGroupBody,
    responses(
        (status = 201, description = "The group, without members", body = crate::wire::gdap::SecurityGroupWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/securityGroups` `{displayName}`.
pub async fn create_security_group(
    Call(state, caller): Call,
    ApiJson(body): ApiJson<SecurityGroupBody>,
) -> ApiResult<Response> {
    let name = body.required_name()?;
    let group = state.app.create_security_group(&caller, &name).await?;
    Ok((StatusCode::CREATED, Json(SecurityGroupWire::of(&group, Some(&[])))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/securityGroups",
    tag = "extensions",
    summary = "List the partner's security groups",
    responses(
        (status = 200, description = "The groups", body = crate::wire::Collection<crate::wire::gdap::SecurityGroupWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/securityGroups`.
pub async fn security_groups(Call(state, caller): Call) -> ApiResult<Response> {
    let groups = state.app.security_groups(&caller).await?;
    let items = groups.iter().map(|g| SecurityGroupWire::of(g, None)).collect();
    Ok(Json(Collection::all(items, GROUPS)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/securityGroups/{id}",
    tag = "extensions",
    summary = "Get a security group with its members",
    params(crate::api::params::GroupPath),
    responses(
        (status = 200, description = "The group and its members' user ids", body = crate::wire::gdap::SecurityGroupWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/securityGroups/{id}`.
pub async fn security_group(Call(state, caller): Call, Id(id): Id<SecurityGroupId>) -> ApiResult<Response> {
    let detail = state.app.security_group(&caller, id).await?;
    Ok(Json(SecurityGroupWire::of(&detail.group, Some(&detail.members))).into_response())
}

#[utoipa::path(
    patch,
    path = "/v1/securityGroups/{id}",
    tag = "extensions",
    summary = "Rename a security group",
    params(crate::api::params::GroupPath, crate::api::params::IfMatch),
    request_body = crate::wire::gdap::SecurityGroupBody,
    responses(
        (status = 200, description = "The group as it is now, without members", body = crate::wire::gdap::SecurityGroupWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `PATCH /v1/securityGroups/{id}` `{displayName}`; `If-Match` honoured.
pub async fn rename_security_group(
    Call(state, caller): Call,
    headers: HeaderMap,
    Id(id): Id<SecurityGroupId>,
    ApiJson(body): ApiJson<SecurityGroupBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let name = body.required_name()?;
    let group = state.app.rename_security_group(&caller, id, expected, &name).await?;
    let wire = SecurityGroupWire::of(&group, None);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    delete,
    path = "/v1/securityGroups/{id}",
    tag = "extensions",
    summary = "Delete a security group",
    params(crate::api::params::GroupPath),
    responses(
        (status = 204, description = "Deleted"),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `DELETE /v1/securityGroups/{id}`.
pub async fn delete_security_group(Call(state, caller): Call, Id(id): Id<SecurityGroupId>) -> ApiResult<StatusCode> {
    state.app.delete_security_group(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/v1/securityGroups/{id}/members",
    tag = "extensions",
    summary = "Add one of the partner's users to a security group",
    params(crate::api::params::GroupPath),
    request_body = crate::wire::gdap::MemberBody,
    responses(
        (status = 201, description = "The group with its members", body = crate::wire::gdap::SecurityGroupWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/securityGroups/{id}/members` `{userId}`.
pub async fn add_security_group_member(
    Call(state, caller): Call,
    Id(id): Id<SecurityGroupId>,
    ApiJson(body): ApiJson<MemberBody>,
) -> ApiResult<Response> {
    let user = UserId::try_from(body)?;
    state.app.add_security_group_member(&caller, id, user).await?;
    let detail = state.app.security_group(&caller, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(SecurityGroupWire::of(&detail.group, Some(&detail.members))),
    )
        .into_response())
}

#[utoipa::path(
    delete,
    path = "/v1/securityGroups/{id}/members/{uid}",
    tag = "extensions",
    summary = "Remove a user from a security group",
    params(crate::api::params::GroupMemberPath),
    responses(
        (status = 204, description = "Removed"),
        crate::openapi::Forbidden,
    )
)]
/// `DELETE /v1/securityGroups/{id}/members/{uid}`.
pub async fn remove_security_group_member(
    Call(state, caller): Call,
    Ids(id, user): Ids<SecurityGroupId, UserId>,
) -> ApiResult<StatusCode> {
    state.app.remove_security_group_member(&caller, id, user).await?;
    Ok(StatusCode::NO_CONTENT)
}
