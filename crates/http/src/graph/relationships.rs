//! `/v1.0/tenantRelationships/delegatedAdminRelationships`: Graph's GDAP relationships,
//! their requests (`lockForApproval`, `terminate`; `approve` and `reject` by the
//! customer's global admin), access assignments and operations (each also read by id), and
//! `delegatedAdminCustomers` with the services a partner manages for each. Each handler extracts, calls one `app` function and renders
//! through the Graph edge (`graph`); authorization is the app's.

use axum::extract::RawQuery;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use partnerdesk_app::gdap::{DelegatedAdminCustomer, GdapPatch, NewGdapRelationship};
use partnerdesk_app::Caller;
use partnerdesk_domain::gdap::{GdapAction, GdapRelationship};
use partnerdesk_domain::{AssignmentId, CustomerId, GdapId, GdapOperationId, GdapRequestId};

use super::{required_if_match, Graph, ListQuery};
use crate::api::{Id, Ids};
use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::wire::gdap::{
    assignment_roles, AccessAssignmentBody, AccessAssignmentWire, CustomerWire, NewAssignment, OperationWire,
    RelationshipBody, RelationshipWire, RequestBody, RequestWire, ServiceManagementDetailWire,
};

/// The collection every route here hangs from.
const RELATIONSHIPS: &str = "tenantRelationships/delegatedAdminRelationships";

fn one(id: GdapId) -> String {
    format!("{RELATIONSHIPS}/{id}")
}

impl TryFrom<RelationshipBody> for NewGdapRelationship {
    type Error = ApiError;

    fn try_from(body: RelationshipBody) -> ApiResult<Self> {
        let display_name = body
            .displayname
            .ok_or_else(|| ApiError::invalid_property("displayName", Why::Required))?;
        let duration = body
            .duration
            .ok_or_else(|| ApiError::invalid_property("duration", Why::Required))?;
        let roles = body
            .accessdetails
            .ok_or_else(|| ApiError::invalid_property("accessDetails", Why::Required))?
            .roles("accessDetails.unifiedRoles")?;
        Ok(Self {
            display_name,
            duration,
            roles,
            customer: crate::wire::gdap::customer_of(body.customer)?,
            auto_extend: body.autoextendduration,
        })
    }
}

impl TryFrom<RelationshipBody> for GdapPatch {
    type Error = ApiError;

    fn try_from(body: RelationshipBody) -> ApiResult<Self> {
        Ok(Self {
            display_name: body.displayname,
            duration: body.duration,
            roles: body
                .accessdetails
                .map(|d| d.roles("accessDetails.unifiedRoles"))
                .transpose()?,
            customer: crate::wire::gdap::customer_of(body.customer)?,
            auto_extend: body.autoextendduration,
        })
    }
}

/// The version `If-Match` names; `*` is the version the caller can read now.
async fn expected_version(state: &AppState, caller: &Caller, id: GdapId, headers: &HeaderMap) -> ApiResult<i64> {
    match required_if_match(headers)? {
        Some(version) => Ok(version),
        None => Ok(state.app.gdap_relationship(caller, id).await?.version),
    }
}

/// The assignment version `If-Match` names; `*` is the one the caller can read now.
async fn assignment_version(
    state: &AppState,
    caller: &Caller,
    id: GdapId,
    aid: AssignmentId,
    headers: &HeaderMap,
) -> ApiResult<i64> {
    match required_if_match(headers)? {
        Some(version) => Ok(version),
        None => Ok(state.app.access_assignment(caller, id, aid).await?.version),
    }
}

#[utoipa::path(
    post,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships",
    tag = "gdap",
    summary = "Create a GDAP relationship",
    request_body = crate::wire::gdap::RelationshipBody,
    responses(
        (status = 201, description = "The relationship, `created`; `Location` names it", body = crate::wire::gdap::RelationshipWire),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `POST …/delegatedAdminRelationships` → 201 with `Location`.
pub async fn create_gdap_relationship(
    Call(state, caller): Call,
    ApiJson(body): ApiJson<RelationshipBody>,
) -> ApiResult<Response> {
    let created = state.app.create_gdap_relationship(&caller, body.try_into()?).await?;
    let graph = Graph::of(&state);
    let mut response = graph.entity(RELATIONSHIPS, StatusCode::CREATED, RelationshipWire::from(&created));
    response
        .headers_mut()
        .insert(header::LOCATION, super::header_value(&graph.absolute(&one(created.id))));
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships",
    tag = "gdap",
    summary = "List GDAP relationships",
    params(crate::graph::ListParams),
    responses(
        (status = 200, description = "A page of relationships; `@odata.nextLink` names the next", body = crate::graph::Collection<crate::wire::gdap::RelationshipWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminRelationships?$top&$filter&$skipToken&$count`.
pub async fn gdap_relationships(Call(state, caller): Call, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let q = ListQuery::parse(query.as_deref().unwrap_or_default())?;
    let after = q
        .after
        .as_deref()
        .map(|raw| raw.parse::<GdapId>())
        .transpose()
        .map_err(|_| ApiError::invalid_property("$skipToken", Why::ForeignToken))?;
    let filter = q.filter;
    // One more than the page tells whether there is more; at the largest page, a full
    // page is taken to have more (the page after it may then be empty).
    let probe = (q.top + 1).min(super::MAX_TOP);
    let mut page: Vec<GdapRelationship> = state.app.gdap_relationships(&caller, filter, after, probe).await?;
    let more = page.len() > q.top || (probe == q.top && page.len() == q.top);
    page.truncate(q.top);
    let next = more
        .then(|| page.last().map(|r| q.next_query(&r.id.to_string())))
        .flatten();
    let count = match q.count {
        true => Some(state.app.count_gdap_relationships(&caller, filter).await?),
        false => None,
    };
    let graph = Graph::of(&state);
    let next = next.map(|query| format!("{}?{query}", graph.absolute(RELATIONSHIPS)));
    let items = page.iter().map(RelationshipWire::from).collect();
    Ok(graph.collection(RELATIONSHIPS, items, count, next))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/$count",
    tag = "gdap",
    summary = "Count GDAP relationships",
    params(crate::graph::CountParams),
    responses(
        (status = 200, description = "How many relationships the `$filter` matches, as text", content_type = "text/plain", body = u64),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminRelationships/$count?$filter`: the number, as text.
pub async fn count_gdap_relationships(Call(state, caller): Call, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let filter = ListQuery::parse_count(query.as_deref().unwrap_or_default())?;
    let count = state.app.count_gdap_relationships(&caller, filter).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain")], count.to_string()).into_response())
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}",
    tag = "gdap",
    summary = "Get a GDAP relationship",
    params(crate::api::params::RelationshipPath),
    responses(
        (status = 200, description = "The relationship, with `@odata.etag`", body = crate::wire::gdap::RelationshipWire),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminRelationships/{id}`.
pub async fn gdap_relationship(Call(state, caller): Call, Id(id): Id<GdapId>) -> ApiResult<Response> {
    let relationship = state.app.gdap_relationship(&caller, id).await?;
    Ok(Graph::of(&state).entity(RELATIONSHIPS, StatusCode::OK, RelationshipWire::from(&relationship)))
}

#[utoipa::path(
    patch,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}",
    tag = "gdap",
    summary = "Change a GDAP relationship",
    params(crate::api::params::RelationshipPath, crate::graph::IfMatch),
    request_body = crate::wire::gdap::RelationshipBody,
    responses(
        (status = 200, description = "The relationship as it is now", body = crate::wire::gdap::RelationshipWire),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `PATCH …/delegatedAdminRelationships/{id}` with `If-Match`: in `created` its name,
/// duration, roles, customer and auto-extension; in `active` its auto-extension and roles.
pub async fn update_gdap_relationship(
    Call(state, caller): Call,
    headers: HeaderMap,
    Id(id): Id<GdapId>,
    ApiJson(body): ApiJson<RelationshipBody>,
) -> ApiResult<Response> {
    let patch = GdapPatch::try_from(body)?;
    let version = expected_version(&state, &caller, id, &headers).await?;
    let relationship = state.app.update_gdap_relationship(&caller, id, version, patch).await?;
    Ok(Graph::of(&state).entity(RELATIONSHIPS, StatusCode::OK, RelationshipWire::from(&relationship)))
}

#[utoipa::path(
    delete,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}",
    tag = "gdap",
    summary = "Delete a GDAP relationship not yet locked for approval",
    params(crate::api::params::RelationshipPath, crate::graph::IfMatch),
    responses(
        (status = 204, description = "Deleted"),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `DELETE …/delegatedAdminRelationships/{id}` with `If-Match`: only in `created`.
pub async fn delete_gdap_relationship(
    Call(state, caller): Call,
    headers: HeaderMap,
    Id(id): Id<GdapId>,
) -> ApiResult<StatusCode> {
    let version = expected_version(&state, &caller, id, &headers).await?;
    state.app.delete_gdap_relationship(&caller, id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests",
    tag = "gdap",
    summary = "Act on a GDAP relationship: lock for approval, approve, reject, terminate",
    params(crate::api::params::RelationshipPath),
    request_body = crate::wire::gdap::RequestBody,
    responses(
        (status = 201, description = "The request, done", body = crate::wire::gdap::RequestWire),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `POST …/{id}/requests` `{"action"}`: `lockForApproval` and `terminate` by the partner;
/// `approve`, `reject` and `terminate` by the customer's global admin with its own token.
pub async fn request_gdap_action(
    Call(state, caller): Call,
    Id(id): Id<GdapId>,
    ApiJson(body): ApiJson<RequestBody>,
) -> ApiResult<Response> {
    let action = GdapAction::try_from(body)?;
    let request = state.app.request_gdap_action(&caller, id, action).await?;
    let context = format!("{}/requests", one(id));
    Ok(Graph::of(&state).entity(&context, StatusCode::CREATED, RequestWire::from(&request)))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests",
    tag = "gdap",
    summary = "List the requests made on a GDAP relationship",
    params(crate::api::params::RelationshipPath),
    responses(
        (status = 200, description = "The requests, oldest first", body = crate::graph::Collection<crate::wire::gdap::RequestWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/requests`.
pub async fn gdap_requests(Call(state, caller): Call, Id(id): Id<GdapId>) -> ApiResult<Response> {
    let requests = state.app.gdap_requests(&caller, id).await?;
    let items = requests.iter().map(RequestWire::from).collect();
    Ok(Graph::of(&state).collection(&format!("{}/requests", one(id)), items, None, None))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests/{requestId}",
    tag = "gdap",
    summary = "Get a request made on a GDAP relationship",
    params(crate::api::params::RequestPath),
    responses(
        (status = 200, description = "The request", body = crate::wire::gdap::RequestWire),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/requests/{requestId}`: one of the relationship's requests, else 404.
pub async fn gdap_request(Call(state, caller): Call, Ids(id, rid): Ids<GdapId, GdapRequestId>) -> ApiResult<Response> {
    let request = state.app.gdap_request(&caller, id, rid).await?;
    let context = format!("{}/requests", one(id));
    Ok(Graph::of(&state).entity(&context, StatusCode::OK, RequestWire::from(&request)))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/operations",
    tag = "gdap",
    summary = "List the long-running operations of a GDAP relationship",
    params(crate::api::params::RelationshipPath),
    responses(
        (status = 200, description = "The operations, oldest first", body = crate::graph::Collection<crate::wire::gdap::OperationWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/operations`.
pub async fn gdap_operations(Call(state, caller): Call, Id(id): Id<GdapId>) -> ApiResult<Response> {
    let operations = state.app.gdap_operations(&caller, id).await?;
    let items = operations.iter().map(OperationWire::from).collect();
    Ok(Graph::of(&state).collection(&format!("{}/operations", one(id)), items, None, None))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/operations/{operationId}",
    tag = "gdap",
    summary = "Get a long-running operation of a GDAP relationship",
    params(crate::api::params::OperationPath),
    responses(
        (status = 200, description = "The operation", body = crate::wire::gdap::OperationWire),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/operations/{operationId}`: one of the relationship's operations, else 404.
pub async fn gdap_operation(
    Call(state, caller): Call,
    Ids(id, oid): Ids<GdapId, GdapOperationId>,
) -> ApiResult<Response> {
    let operation = state.app.gdap_operation(&caller, id, oid).await?;
    let context = format!("{}/operations", one(id));
    Ok(Graph::of(&state).entity(&context, StatusCode::OK, OperationWire::from(&operation)))
}

#[utoipa::path(
    post,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments",
    tag = "gdap",
    summary = "Give a partner security group roles in the customer",
    params(crate::api::params::RelationshipPath),
    request_body = crate::wire::gdap::AccessAssignmentBody,
    responses(
        (status = 201, description = "The assignment", body = crate::wire::gdap::AccessAssignmentWire),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `POST …/{id}/accessAssignments`: roles a subset of the relationship's.
pub async fn create_access_assignment(
    Call(state, caller): Call,
    Id(id): Id<GdapId>,
    ApiJson(body): ApiJson<AccessAssignmentBody>,
) -> ApiResult<Response> {
    let new = NewAssignment::try_from(body)?;
    let assignment = state
        .app
        .create_access_assignment(&caller, id, new.group, new.roles)
        .await?;
    let context = format!("{}/accessAssignments", one(id));
    let graph = Graph::of(&state);
    let mut response = graph.entity(&context, StatusCode::CREATED, AccessAssignmentWire::from(&assignment));
    let location = graph.absolute(&format!("{context}/{}", assignment.id));
    response
        .headers_mut()
        .insert(header::LOCATION, super::header_value(&location));
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments",
    tag = "gdap",
    summary = "List the access assignments of a GDAP relationship",
    params(crate::api::params::RelationshipPath),
    responses(
        (status = 200, description = "The assignments", body = crate::graph::Collection<crate::wire::gdap::AccessAssignmentWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/accessAssignments`.
pub async fn access_assignments(Call(state, caller): Call, Id(id): Id<GdapId>) -> ApiResult<Response> {
    let assignments = state.app.access_assignments(&caller, id).await?;
    let items = assignments.iter().map(AccessAssignmentWire::from).collect();
    let context = format!("{}/accessAssignments", one(id));
    Ok(Graph::of(&state).collection(&context, items, None, None))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments/{assignmentId}",
    tag = "gdap",
    summary = "Get an access assignment",
    params(crate::api::params::AssignmentPath),
    responses(
        (status = 200, description = "The assignment, with `@odata.etag`", body = crate::wire::gdap::AccessAssignmentWire),
        crate::graph::Forbidden,
    )
)]
/// `GET …/{id}/accessAssignments/{assignmentId}`.
pub async fn access_assignment(
    Call(state, caller): Call,
    Ids(id, aid): Ids<GdapId, AssignmentId>,
) -> ApiResult<Response> {
    let assignment = state.app.access_assignment(&caller, id, aid).await?;
    let context = format!("{}/accessAssignments", one(id));
    Ok(Graph::of(&state).entity(&context, StatusCode::OK, AccessAssignmentWire::from(&assignment)))
}

#[utoipa::path(
    patch,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments/{assignmentId}",
    tag = "gdap",
    summary = "Change the roles of an access assignment",
    params(crate::api::params::AssignmentPath, crate::graph::IfMatch),
    request_body = crate::wire::gdap::AccessAssignmentBody,
    responses(
        (status = 200, description = "The assignment as it is now", body = crate::wire::gdap::AccessAssignmentWire),
        crate::graph::Forbidden,
        crate::graph::Conflict,
    )
)]
/// `PATCH …/{id}/accessAssignments/{assignmentId}` with `If-Match`: `accessDetails` only.
pub async fn update_access_assignment(
    Call(state, caller): Call,
    headers: HeaderMap,
    Ids(id, aid): Ids<GdapId, AssignmentId>,
    ApiJson(body): ApiJson<AccessAssignmentBody>,
) -> ApiResult<Response> {
    if body.accesscontainer.is_some() {
        return Err(ApiError::invalid_property(
            "accessContainer",
            Why::other("cannot be changed: delete the assignment and create another"),
        ));
    }
    let roles = assignment_roles(body.accessdetails)?;
    let version = assignment_version(&state, &caller, id, aid, &headers).await?;
    let assignment = state
        .app
        .update_access_assignment(&caller, id, aid, version, roles)
        .await?;
    let context = format!("{}/accessAssignments", one(id));
    Ok(Graph::of(&state).entity(&context, StatusCode::OK, AccessAssignmentWire::from(&assignment)))
}

#[utoipa::path(
    delete,
    path = "/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments/{assignmentId}",
    tag = "gdap",
    summary = "Delete an access assignment",
    params(crate::api::params::AssignmentPath, crate::graph::IfMatch),
    responses(
        (status = 204, description = "Deleted"),
        crate::graph::Forbidden,
    )
)]
/// `DELETE …/{id}/accessAssignments/{assignmentId}` with `If-Match`.
pub async fn delete_access_assignment(
    Call(state, caller): Call,
    headers: HeaderMap,
    Ids(id, aid): Ids<GdapId, AssignmentId>,
) -> ApiResult<StatusCode> {
    let version = assignment_version(&state, &caller, id, aid, &headers).await?;
    state.app.delete_access_assignment(&caller, id, aid, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Graph's `delegatedAdminCustomers`.
const CUSTOMERS: &str = "tenantRelationships/delegatedAdminCustomers";

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminCustomers",
    tag = "gdap",
    summary = "List the customers with a GDAP relationship",
    responses(
        (status = 200, description = "The customers", body = crate::graph::Collection<crate::wire::gdap::CustomerWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminCustomers`.
pub async fn delegated_admin_customers(Call(state, caller): Call) -> ApiResult<Response> {
    let customers = state.app.delegated_admin_customers(&caller).await?;
    let items = customers.iter().map(CustomerWire::from).collect();
    Ok(Graph::of(&state).collection(CUSTOMERS, items, None, None))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminCustomers/{id}",
    tag = "gdap",
    summary = "Get a customer with a GDAP relationship",
    params(crate::api::params::TenantPath),
    responses(
        (status = 200, description = "The customer", body = crate::wire::gdap::CustomerWire),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminCustomers/{id}`: one of the list, else 404.
pub async fn delegated_admin_customer(Call(state, caller): Call, Id(id): Id<CustomerId>) -> ApiResult<Response> {
    let customer = delegated_admin_customer_of(&state, &caller, id).await?;
    Ok(Graph::of(&state).entity(CUSTOMERS, StatusCode::OK, CustomerWire::from(&customer)))
}

/// The caller's customer `id` if it has a GDAP relationship in force with it, else 404.
async fn delegated_admin_customer_of(
    state: &AppState,
    caller: &Caller,
    id: CustomerId,
) -> ApiResult<DelegatedAdminCustomer> {
    let customers = state.app.delegated_admin_customers(caller).await?;
    customers
        .into_iter()
        .find(|c| c.tenant_id == id)
        .ok_or_else(|| ApiError::not_found("customer"))
}

#[utoipa::path(
    get,
    path = "/v1.0/tenantRelationships/delegatedAdminCustomers/{id}/serviceManagementDetails",
    tag = "gdap",
    summary = "List where a customer's services are managed",
    params(crate::api::params::TenantPath),
    responses(
        (status = 200, description = "The services and their management pages", body = crate::graph::Collection<crate::wire::gdap::ServiceManagementDetailWire>),
        crate::graph::Forbidden,
    )
)]
/// `GET …/delegatedAdminCustomers/{id}/serviceManagementDetails`: the dashboard's pages
/// where the partner manages this customer (absolute URLs under the public base URL), for a
/// customer of the list, else 404.
pub async fn service_management_details(Call(state, caller): Call, Id(id): Id<CustomerId>) -> ApiResult<Response> {
    let customer = delegated_admin_customer_of(&state, &caller, id).await?;
    let items = ServiceManagementDetailWire::all_of(&state.config.public_url, customer.tenant_id);
    let what = format!("{CUSTOMERS}('{id}')/serviceManagementDetails");
    Ok(Graph::of(&state).collection(&what, items, None, None))
}
