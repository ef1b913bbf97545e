//! `/v1/partners` (operator: partners and their users; a partner's global admin: its own
//! users) and `/v1/relationships` (provider ↔ reseller links).

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::operator::NewUserInput;
use partnerdesk_app::users::UserPatch;
use partnerdesk_domain::{OrgId, PartnerId, UserId};
use serde::Deserialize;

use super::{if_match, with_etag, ApiQuery, Id, Ids, Paging};
use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::ApiJson;
use crate::wire::partners::{
    NewPartnerBody, NewUserBody, PartnerRelationshipWire, PartnerWire, UserPatchBody, UserWire,
};
use crate::wire::Collection;

#[utoipa::path(
    post,
    path = "/v1/partners",
    tag = "extensions",
    summary = "Create a partner with its first admin (operator)",
    request_body = crate::wire::partners::NewPartnerBody,
    responses(
        (status = 201, description = "The partner", body = crate::wire::partners::PartnerWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/partners` (operator): a partner with its first admin (`global_admin`).
pub async fn add_partner(Call(state, caller): Call, ApiJson(body): ApiJson<NewPartnerBody>) -> ApiResult<Response> {
    let input = body.into_input()?;
    let created = state.app.add_partner(&caller, input).await?;
    Ok((StatusCode::CREATED, Json(PartnerWire::from(&created.partner))).into_response())
}

/// Query of a paged list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub size: Option<u32>,
    /// `Next` (in any case), with the `MS-ContinuationToken` of the page before.
    #[serde(rename = "seekOperation", alias = "seekoperation")]
    #[param(pattern = "^[Nn][Ee][Xx][Tt]$")]
    pub seek_operation: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/partners",
    tag = "extensions",
    summary = "List partners (operator)",
    params(
        crate::api::partners::PageQuery,
    ),
    responses(
        (status = 200, description = "A page of partners", body = crate::wire::Collection<crate::wire::partners::PartnerWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/partners` (operator): partners, a page at a time.
pub async fn list_partners(
    Call(state, caller): Call,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let paging = (q.size, q.seek_operation.as_deref());
    let (paging, after) = Paging::read::<PartnerId>(&caller, "/v1/partners", paging, &headers, &[])?;
    let partners = state.app.list_partners(&caller, after, paging.size).await?;
    // A full page may be followed by more; the page after the last one is empty.
    let next = (partners.len() as u32 == paging.size)
        .then(|| partners.last().map(|last| last.id))
        .flatten();
    let items: Vec<PartnerWire> = partners.iter().map(PartnerWire::from).collect();
    let count = items.len() as i64;
    Ok(Json(paging.collection(items, count, next)).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/partners/{id}",
    tag = "extensions",
    summary = "Get a partner",
    params(crate::api::params::PartnerPath),
    responses(
        (status = 200, description = "The partner", body = crate::wire::partners::PartnerWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/partners/{id}`: the operator reads any partner; a partner reads itself.
pub async fn get_partner(Call(state, caller): Call, Id(pid): Id<PartnerId>) -> ApiResult<Response> {
    let partner = state.app.get_partner(&caller, pid).await?;
    Ok(Json(PartnerWire::from(&partner)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/partners/{id}/users",
    tag = "extensions",
    summary = "Add a user to a partner",
    params(crate::api::params::PartnerPath),
    request_body = crate::wire::partners::NewUserBody,
    responses(
        (status = 201, description = "The user", body = crate::wire::partners::UserWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/partners/{id}/users`: the operator or that partner's global admin adds a user.
pub async fn add_user(
    Call(state, caller): Call,
    Id(org): Id<OrgId>,
    ApiJson(body): ApiJson<NewUserBody>,
) -> ApiResult<Response> {
    let input = NewUserInput::from(body);
    let user = state.app.add_user(&caller, org, input).await?;
    Ok((StatusCode::CREATED, Json(UserWire::from(&user))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/partners/{id}/users",
    tag = "extensions",
    summary = "List a partner's users",
    params(crate::api::params::PartnerPath),
    responses(
        (status = 200, description = "The users", body = crate::wire::Collection<crate::wire::partners::UserWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/partners/{id}/users`: the users of a partner.
pub async fn list_users(Call(state, caller): Call, Id(org): Id<OrgId>) -> ApiResult<Response> {
    let users = state.app.list_users(&caller, org).await?;
    let items = users.iter().map(UserWire::from).collect();
    Ok(Json(Collection::all(items, format!("/v1/partners/{org}/users"))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/partners/{id}/users/{uid}",
    tag = "extensions",
    summary = "Get one of a partner's users",
    params(crate::api::params::PartnerUserPath),
    responses(
        (status = 200, description = "The user, with its `ETag`", body = crate::wire::partners::UserWire),
        (status = 403, description = "The caller may not do this (`forbidden_role`)", body = crate::error::ErrorBody),
    )
)]
/// `GET /v1/partners/{id}/users/{uid}`: one user of a partner.
pub async fn get_user(Call(state, caller): Call, Ids(org, uid): Ids<OrgId, UserId>) -> ApiResult<Response> {
    let user = state.app.get_user(&caller, org, uid).await?;
    let wire = UserWire::from(&user);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    patch,
    path = "/v1/partners/{id}/users/{uid}",
    tag = "extensions",
    summary = "Change one of a partner's users",
    params(crate::api::params::PartnerUserPath, crate::api::params::IfMatch),
    request_body = crate::wire::partners::UserPatchBody,
    responses(
        (status = 200, description = "The user as it is now", body = crate::wire::partners::UserWire),
        (status = 403, description = "The caller may not do this (`forbidden_role`)", body = crate::error::ErrorBody),
        (status = 409, description = "The e-mail is taken, or the change would leave the partner without a global admin (`conflict`)", body = crate::error::ErrorBody),
    )
)]
/// `PATCH /v1/partners/{id}/users/{uid}`: changes the fields sent; `If-Match` honoured. A
/// new password ends what the old one let in (see `revokeApiTokens`).
pub async fn patch_user(
    Call(state, caller): Call,
    headers: HeaderMap,
    Ids(org, uid): Ids<OrgId, UserId>,
    ApiJson(body): ApiJson<UserPatchBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let patch = UserPatch::from(body);
    let user = state.app.update_user(&caller, org, uid, patch, expected).await?;
    let wire = UserWire::from(&user);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    delete,
    path = "/v1/partners/{id}/users/{uid}",
    tag = "extensions",
    summary = "Remove one of a partner's users",
    params(crate::api::params::PartnerUserPath),
    responses(
        (status = 204, description = "Removed; the user's tokens no longer work"),
        (status = 403, description = "The caller may not do this (`forbidden_role`)", body = crate::error::ErrorBody),
        (status = 409, description = "The partner's last global admin stays (`conflict`)", body = crate::error::ErrorBody),
    )
)]
/// `DELETE /v1/partners/{id}/users/{uid}`: removes a user; its tokens end with it.
pub async fn delete_user(Call(state, caller): Call, Ids(org, uid): Ids<OrgId, UserId>) -> ApiResult<Response> {
    state.app.delete_user(&caller, org, uid).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Query of `GET /v1/relationships`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelationshipQuery {
    /// `IsIndirectResellerOf` or `IsIndirectCloudSolutionProviderOf` (any case, `_` allowed).
    #[param(required = true, min_length = 1)]
    pub relationship_type: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/relationships",
    tag = "partners",
    summary = "List provider and reseller links",
    params(
        crate::api::partners::RelationshipQuery,
    ),
    responses(
        (status = 200, description = "The linked partners", body = crate::wire::Collection<crate::wire::partners::PartnerRelationshipWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf` (a provider:
/// its resellers) or `IsIndirectResellerOf` (a reseller: its provider).
pub async fn partner_relationships(
    Call(state, caller): Call,
    ApiQuery(q): ApiQuery<RelationshipQuery>,
) -> ApiResult<Response> {
    let raw = q.relationship_type.unwrap_or_default();
    let (resellers, wire_type) = match raw.trim().to_ascii_lowercase().replace('_', "").as_str() {
        "isindirectcloudsolutionproviderof" => (true, "is_indirect_cloud_solution_provider_of"),
        "isindirectresellerof" => (false, "is_indirect_reseller_of"),
        _ => {
            return Err(ApiError::invalid_property(
                "relationship_type",
                Why::other("must be IsIndirectResellerOf or IsIndirectCloudSolutionProviderOf"),
            ))
        }
    };
    let partners = state.app.linked_partners(&caller, resellers).await?;
    let items = partners
        .iter()
        .map(|p| PartnerRelationshipWire::new(p, wire_type))
        .collect();
    Ok(Json(Collection::all(
        items,
        format!("/v1/relationships?relationship_type={}", raw.trim()),
    ))
    .into_response())
}
