//! What the Graph-shaped GDAP routes send and read, with Graph's field names (camelCase,
//! `@odata.etag`), and the `/v1` extensions beside them: security groups and the role
//! catalogue. Bodies are read case-insensitively (see `json`), so their fields are named
//! in lower case; each converts into the app's input with `TryFrom`, refusing malformed
//! ids naming the property.

use partnerdesk_app::gdap::{DelegatedAdminCustomer, GdapPatch};
use partnerdesk_domain::gdap::{
    AccessAssignment, AdminRole, AutoExtend, GdapAction, GdapOperation, GdapRelationship, GdapRequest, SecurityGroup,
    SecurityGroupMember,
};
use partnerdesk_domain::{CustomerId, GdapId, SecurityGroupId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, time};
use crate::error::{ApiError, ApiResult, Why};
use crate::graph;

/// `{roleDefinitionId}`: a role of the catalogue (`GET /v1/roles`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnifiedRole {
    pub role_definition_id: String,
}

/// `accessDetails`: the roles a relationship or an assignment gives.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessDetails {
    pub unified_roles: Vec<UnifiedRole>,
}

impl AccessDetails {
    fn of(roles: &[String]) -> Self {
        Self {
            unified_roles: roles
                .iter()
                .map(|r| UnifiedRole {
                    role_definition_id: r.clone(),
                })
                .collect(),
        }
    }
}

/// `customer`: the customer a relationship is for.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerParticipant {
    pub tenant_id: String,
    pub display_name: Option<String>,
}

/// Graph's `delegatedAdminRelationship`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipWire {
    /// The version, weak: send it back as `If-Match`.
    #[serde(rename = "@odata.etag")]
    pub etag: String,
    pub id: String,
    pub display_name: String,
    /// ISO-8601, `P{n}D`.
    pub duration: String,
    /// `created`, `approvalPending`, `active`, `terminated`, `expired`, …
    pub status: &'static str,
    /// `PT0S` (none) or `P180D`.
    pub auto_extend_duration: &'static str,
    pub access_details: AccessDetails,
    /// `null` while any customer may approve it.
    pub customer: Option<CustomerParticipant>,
    pub created_date_time: String,
    pub last_modified_date_time: String,
    pub activated_date_time: Option<String>,
    pub end_date_time: Option<String>,
}

impl From<&GdapRelationship> for RelationshipWire {
    fn from(r: &GdapRelationship) -> Self {
        Self {
            etag: graph::etag(r.version),
            id: r.id.to_string(),
            display_name: r.display_name.clone(),
            duration: format!("P{}D", r.duration_days),
            status: r.status.as_str(),
            auto_extend_duration: AutoExtend::from_days(r.auto_extend_days).iso(),
            access_details: AccessDetails::of(&r.roles),
            customer: r.customer_id.map(|c| CustomerParticipant {
                tenant_id: c.to_string(),
                display_name: r.customer_display_name.clone(),
            }),
            created_date_time: time(r.created_at),
            last_modified_date_time: time(r.last_modified_at),
            activated_date_time: r.activated_at.map(time),
            end_date_time: r.ends_at.map(time),
        }
    }
}

/// Graph's `delegatedAdminCustomer`: a customer with a GDAP relationship. Named apart in the
/// document from the `/v1` customer, whose collection would otherwise share its name.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = DelegatedAdminCustomer)]
#[serde(rename_all = "camelCase")]
pub struct CustomerWire {
    /// The customer's tenant id (also its `tenantId`).
    pub id: String,
    pub tenant_id: String,
    pub display_name: String,
}

impl From<&DelegatedAdminCustomer> for CustomerWire {
    fn from(c: &DelegatedAdminCustomer) -> Self {
        Self {
            id: c.tenant_id.to_string(),
            tenant_id: c.tenant_id.to_string(),
            display_name: c.display_name.clone(),
        }
    }
}

/// Graph's `delegatedAdminServiceManagementDetail`: a service the partner manages for a
/// customer and the page where it does.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = DelegatedAdminServiceManagementDetail)]
#[serde(rename_all = "camelCase")]
pub struct ServiceManagementDetailWire {
    /// A stable name of the service (`account`, `subscriptions`, `orders`, `gdap`).
    pub id: String,
    pub service_name: String,
    /// The dashboard's page for the service, absolute.
    pub service_management_url: String,
}

impl ServiceManagementDetailWire {
    /// The services of `customer` on this server: its account, subscriptions and orders,
    /// and its GDAP relationships, each a dashboard page under `public_url`.
    pub fn all_of(public_url: &str, customer: CustomerId) -> Vec<Self> {
        let base = public_url.trim_end_matches('/');
        [
            ("account", "Customer account", format!("/customers/{customer}")),
            (
                "subscriptions",
                "Subscriptions",
                format!("/customers/{customer}/subscriptions"),
            ),
            ("orders", "Orders", format!("/customers/{customer}/orders")),
            ("gdap", "GDAP relationships", format!("/gdap?customer={customer}")),
        ]
        .into_iter()
        .map(|(id, name, path)| Self {
            id: id.to_string(),
            service_name: name.to_string(),
            service_management_url: format!("{base}{path}"),
        })
        .collect()
    }
}

/// Graph's `delegatedAdminRelationshipRequest`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestWire {
    pub id: String,
    /// `lockForApproval`, `approve`, `reject` or `terminate`.
    pub action: &'static str,
    /// `created`, `pending`, `succeeded` or `failed`.
    pub status: &'static str,
    pub created_date_time: String,
    pub last_modified_date_time: String,
}

impl From<&GdapRequest> for RequestWire {
    fn from(r: &GdapRequest) -> Self {
        Self {
            id: r.id.to_string(),
            action: r.action.as_str(),
            status: r.status.as_str(),
            created_date_time: time(r.created_at),
            last_modified_date_time: time(r.last_modified_at),
        }
    }
}

/// Graph's `delegatedAdminRelationshipOperation`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperationWire {
    pub id: String,
    pub operation_type: &'static str,
    pub status: &'static str,
    /// What changed, as JSON text.
    pub data: String,
    pub created_date_time: String,
    pub last_modified_date_time: String,
}

impl From<&GdapOperation> for OperationWire {
    fn from(o: &GdapOperation) -> Self {
        Self {
            id: o.id.to_string(),
            operation_type: o.operation_type.as_str(),
            status: o.status.as_str(),
            data: o.data.clone(),
            created_date_time: time(o.created_at),
            last_modified_date_time: time(o.last_modified_at),
        }
    }
}

/// `accessContainer`: the partner's security group an assignment gives roles to.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessContainer {
    pub access_container_id: String,
    /// Always `securityGroup`.
    pub access_container_type: &'static str,
}

/// Graph's `delegatedAdminAccessAssignment`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessAssignmentWire {
    #[serde(rename = "@odata.etag")]
    pub etag: String,
    pub id: String,
    pub access_container: AccessContainer,
    pub access_details: AccessDetails,
    pub status: &'static str,
    pub created_date_time: String,
    pub last_modified_date_time: String,
}

impl From<&AccessAssignment> for AccessAssignmentWire {
    fn from(a: &AccessAssignment) -> Self {
        Self {
            etag: graph::etag(a.version),
            id: a.id.to_string(),
            access_container: AccessContainer {
                access_container_id: a.security_group_id.to_string(),
                access_container_type: "securityGroup",
            },
            access_details: AccessDetails::of(&a.roles),
            status: a.status.as_str(),
            created_date_time: time(a.created_at),
            last_modified_date_time: time(a.last_modified_at),
        }
    }
}

/// `{roleDefinitionId}` in a body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct UnifiedRoleBody {
    #[schema(rename = "roleDefinitionId")]
    pub roledefinitionid: Option<String>,
}

/// `accessDetails` in a body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AccessDetailsBody {
    #[schema(rename = "unifiedRoles")]
    pub unifiedroles: Option<Vec<UnifiedRoleBody>>,
}

impl AccessDetailsBody {
    /// The role ids, each required.
    pub(crate) fn roles(self, property: &str) -> ApiResult<Vec<String>> {
        self.unifiedroles
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                r.roledefinitionid
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty())
                    .ok_or_else(|| ApiError::invalid_property(format!("{property}.roleDefinitionId"), Why::Required))
            })
            .collect()
    }
}

/// `customer` in a body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct CustomerParticipantBody {
    #[schema(rename = "tenantId")]
    pub tenantid: Option<String>,
    /// Read and ignored: the customer's name is the one it registered.
    #[schema(rename = "displayName")]
    pub displayname: Option<String>,
}

pub(crate) fn customer_of(body: Option<CustomerParticipantBody>) -> ApiResult<Option<CustomerId>> {
    body.and_then(|c| c.tenantid)
        .filter(|t| !t.trim().is_empty())
        .map(|t| id_property(&t, "customer.tenantId"))
        .transpose()
}

/// `POST …/delegatedAdminRelationships` and its `PATCH`: Graph's fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct RelationshipBody {
    #[schema(rename = "displayName", max_length = 50)]
    pub displayname: Option<String>,
    /// ISO-8601, `P1D` to `P730D` (also `PnW`, `P1Y`, `P2Y`).
    pub duration: Option<String>,
    #[schema(rename = "accessDetails")]
    pub accessdetails: Option<AccessDetailsBody>,
    pub customer: Option<CustomerParticipantBody>,
    /// `PT0S` (none, the default) or `P180D`.
    #[schema(rename = "autoExtendDuration")]
    pub autoextendduration: Option<String>,
}

/// One item of `POST /v1/gdap/bulkUpdate`: the relationship and the fields of a PATCH to
/// change in it. The roles are given either as `roles` (role ids) or as Graph's
/// `accessDetails`, not both.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct BulkUpdateItemBody {
    /// The relationship id.
    pub id: Option<String>,
    #[schema(rename = "displayName", max_length = 50)]
    pub displayname: Option<String>,
    /// ISO-8601, `P1D` to `P730D` (also `PnW`, `P1Y`, `P2Y`).
    pub duration: Option<String>,
    /// `PT0S` (none) or `P180D`.
    #[schema(rename = "autoExtendDuration")]
    pub autoextendduration: Option<String>,
    /// Role definition ids of the catalogue: all the roles the relationship is to give.
    pub roles: Option<Vec<String>>,
    #[schema(rename = "accessDetails")]
    pub accessdetails: Option<AccessDetailsBody>,
    pub customer: Option<CustomerParticipantBody>,
}

impl BulkUpdateItemBody {
    /// The relationship and its patch; a malformed field is refused naming it.
    pub fn into_patch(self) -> ApiResult<(GdapId, GdapPatch)> {
        let raw = self.id.ok_or_else(|| ApiError::invalid_property("id", Why::Required))?;
        let id = raw
            .trim()
            .parse::<GdapId>()
            .map_err(|_| ApiError::not_found("GDAP relationship"))?;
        let roles = match (self.roles, self.accessdetails) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid_property(
                    "roles",
                    Why::other("give the roles either as roles or as accessDetails, not both"),
                ))
            }
            (Some(roles), None) => Some(
                roles
                    .into_iter()
                    .map(|r| r.trim().to_string())
                    .map(|r| match r.is_empty() {
                        true => Err(ApiError::invalid_property(
                            "roles",
                            Why::other("must not hold an empty role id"),
                        )),
                        false => Ok(r),
                    })
                    .collect::<ApiResult<Vec<_>>>()?,
            ),
            (None, Some(details)) => Some(details.roles("accessDetails.unifiedRoles")?),
            (None, None) => None,
        };
        let patch = GdapPatch {
            display_name: self.displayname,
            duration: self.duration,
            roles,
            customer: customer_of(self.customer)?,
            auto_extend: self.autoextendduration,
        };
        Ok((id, patch))
    }
}

/// `POST /v1/gdap/bulkUpdate`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct BulkUpdateBody {
    /// At most 300 items; each is changed on its own.
    pub items: Option<Vec<BulkUpdateItemBody>>,
}

/// How one item of a bulk change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum BulkUpdateStatus {
    Succeeded,
    Failed,
}

/// Why an item failed: the stable code and name of the error, and its message in the
/// caller's language.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateError {
    pub code: u32,
    pub error_name: &'static str,
    pub message: String,
}

/// The result of one item, in the order the items were sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateItem {
    /// The id as sent (empty when none was).
    pub id: String,
    pub status: BulkUpdateStatus,
    /// The relationship as it is now, when the item succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<RelationshipWire>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BulkUpdateError>,
}

/// The answer to `POST /v1/gdap/bulkUpdate`: one result per item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateResult {
    pub items: Vec<BulkUpdateItem>,
    pub attributes: super::Attributes,
}

/// `POST …/requests`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct RequestBody {
    /// `lockForApproval` or `terminate` (the partner); `approve`, `reject` or `terminate`
    /// (the customer's global admin).
    pub action: Option<String>,
}

impl TryFrom<RequestBody> for GdapAction {
    type Error = ApiError;

    fn try_from(body: RequestBody) -> ApiResult<Self> {
        let raw = body
            .action
            .ok_or_else(|| ApiError::invalid_property("action", Why::Required))?;
        GdapAction::ALL
            .iter()
            .copied()
            .find(|a| a.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or_else(|| {
                ApiError::invalid_property(
                    "action",
                    Why::other("must be lockForApproval, approve, reject or terminate"),
                )
            })
    }
}

/// `accessContainer` in a body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AccessContainerBody {
    #[schema(rename = "accessContainerId")]
    pub accesscontainerid: Option<String>,
    /// `securityGroup` (the only kind).
    #[schema(rename = "accessContainerType")]
    pub accesscontainertype: Option<String>,
}

/// `POST …/accessAssignments` and its `PATCH`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AccessAssignmentBody {
    #[schema(rename = "accessContainer")]
    pub accesscontainer: Option<AccessContainerBody>,
    #[schema(rename = "accessDetails")]
    pub accessdetails: Option<AccessDetailsBody>,
}

/// A new access assignment: the group and its roles.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub group: SecurityGroupId,
    pub roles: Vec<String>,
}

impl TryFrom<AccessAssignmentBody> for NewAssignment {
    type Error = ApiError;

    fn try_from(body: AccessAssignmentBody) -> ApiResult<Self> {
        let container = body
            .accesscontainer
            .ok_or_else(|| ApiError::invalid_property("accessContainer", Why::Required))?;
        if let Some(kind) = container.accesscontainertype.as_deref() {
            if !kind.eq_ignore_ascii_case("securityGroup") {
                return Err(ApiError::invalid_property(
                    "accessContainer.accessContainerType",
                    Why::other("must be securityGroup"),
                ));
            }
        }
        let group = container
            .accesscontainerid
            .ok_or_else(|| ApiError::invalid_property("accessContainer.accessContainerId", Why::Required))?;
        Ok(Self {
            group: id_property(&group, "accessContainer.accessContainerId")?,
            roles: assignment_roles(body.accessdetails)?,
        })
    }
}

/// The roles of an assignment body: required, at least one.
pub fn assignment_roles(details: Option<AccessDetailsBody>) -> ApiResult<Vec<String>> {
    let roles = details
        .ok_or_else(|| ApiError::invalid_property("accessDetails", Why::Required))?
        .roles("accessDetails.unifiedRoles")?;
    if roles.is_empty() {
        return Err(ApiError::invalid_property("accessDetails.unifiedRoles", Why::OneRole));
    }
    Ok(roles)
}

/// A partner's security group (`/v1/securityGroups`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupWire {
    pub id: String,
    pub display_name: String,
    pub created_date_time: String,
    /// The user ids of its members (on a single group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    pub attributes: super::Attributes,
}

impl SecurityGroupWire {
    pub fn of(group: &SecurityGroup, members: Option<&[SecurityGroupMember]>) -> Self {
        Self {
            id: group.id.to_string(),
            display_name: group.display_name.clone(),
            created_date_time: time(group.created_at),
            members: members.map(|m| m.iter().map(|m| m.user_id.to_string()).collect()),
            attributes: super::Attributes::versioned("SecurityGroup", group.version),
        }
    }
}

/// `POST /v1/securityGroups`, `PATCH /v1/securityGroups/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct SecurityGroupBody {
    #[schema(rename = "displayName")]
    pub displayname: Option<String>,
}

impl SecurityGroupBody {
    /// The name a create or a rename needs.
    pub fn required_name(self) -> ApiResult<String> {
        self.displayname
            .ok_or_else(|| ApiError::invalid_property("displayName", Why::Required))
    }
}

/// `POST /v1/securityGroups/{id}/members`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct MemberBody {
    #[schema(rename = "userId")]
    pub userid: Option<String>,
}

impl TryFrom<MemberBody> for UserId {
    type Error = ApiError;

    fn try_from(body: MemberBody) -> ApiResult<Self> {
        let raw = body
            .userid
            .ok_or_else(|| ApiError::invalid_property("userId", Why::Required))?;
        id_property(&raw, "userId")
    }
}

/// A role of the catalogue (`/v1/roles`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleWire {
    pub id: String,
    pub name: String,
    pub description: String,
    pub attributes: super::Attributes,
}

impl From<&AdminRole> for RoleWire {
    fn from(r: &AdminRole) -> Self {
        Self {
            id: r.id.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
            attributes: super::Attributes::versioned("AdminRole", r.version),
        }
    }
}

/// `POST /v1/roles` and `PATCH /v1/roles/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct RoleBody {
    /// On create: the role's id (a Microsoft Entra role template id, say); made when absent.
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}
