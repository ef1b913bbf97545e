//! Audit records and outbox events: the append-only trail every change leaves, written in
//! the same transaction as the change. Bodies are JSON text so this crate stays pure.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AuditId, CustomerId, EventId, OrgId, PartnerId, UserId};

/// Who did what, when, to which resource; the resource before and after (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_org_id: Option<OrgId>,
    /// Partner Center's operation name, e.g. `remove_partner_customer_relationship`.
    pub operation: String,
    /// Partner Center's resource type, e.g. `partner_customer_relationship`.
    pub resource_type: String,
    pub resource_id: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The customer's name when the change was made.
    pub customer_name: Option<String>,
    /// The acting user's user principal name (e-mail); none for a system change.
    pub actor_upn: Option<String>,
    /// What the change came through ([`Application::as_text`]).
    pub application: Option<String>,
    /// The request's `MS-CorrelationId`, when the change came through a request.
    pub correlation_id: Option<String>,
    /// Partner Center's `operationStatus`: a recorded change has `succeeded`.
    pub status: String,
    /// The record's place in its organisation's hash chain (none for records written
    /// before the chains, and for rows handed to the store unchained).
    pub link: Option<ChainLink>,
}

/// The `operationStatus` of every recorded change: a refused one leaves no record.
pub const SUCCEEDED: &str = "succeeded";

/// What a change came through: Partner Center's `applicationId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Application {
    /// A signed-in dashboard session.
    Dashboard,
    /// The API with a personal API token, by the token's name.
    ApiToken(String),
    /// The API with an OAuth access token.
    OAuth,
    /// The `partnerdesk` command line.
    Cli,
    /// A background job (no caller).
    Job,
}

impl Application {
    /// The stored and published text: `dashboard`, `api_token:<name>`, `oauth`, `cli`, `job`.
    pub fn as_text(&self) -> String {
        match self {
            Application::Dashboard => "dashboard".into(),
            Application::ApiToken(name) => format!("api_token:{name}"),
            Application::OAuth => "oauth".into(),
            Application::Cli => "cli".into(),
            Application::Job => "job".into(),
        }
    }
}

pub use crate::audit_chain::{ChainHead, ChainLink};

/// A fact to publish to webhook subscribers once the change has committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEvent {
    pub id: EventId,
    pub at: DateTime<Utc>,
    /// Partner Center's event name, e.g. `reseller-relationship-removed`.
    pub event_type: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    /// The event body (JSON).
    pub payload: String,
    /// The changed resource: its audit resource type and id (empty for events written
    /// before they were kept), which a webhook's `ResourceUri` is made of and deliveries
    /// are ordered by.
    pub resource_type: String,
    pub resource_id: String,
    /// The change's audit record (`AuditUri`).
    pub audit_id: Option<AuditId>,
}

/// Every change the app makes, by the name of the use case that makes it. Each knows the
/// audit operation and resource type it is recorded under and the event it publishes, if
/// any; these are the only names an audit record or an outbox event can carry.
///
/// Where Partner Center defines an audit operation (`operationType`), a resource type or a
/// webhook event, the name is Partner Center's; the others follow its patterns (snake_case
/// `verb_resource` for operations, `resource-action` for events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `add_user`: the operator's first admin, or a global admin adding a user.
    AddUser,
    /// `update_user` without a new password.
    UpdateUser,
    /// `update_user` that sets a new password.
    ResetUserPassword,
    /// What a password reset by `update_user` ended (sessions, refresh and API tokens).
    RevokeCredentials,
    /// `delete_user`.
    DeleteUser,
    /// `set_my_locale`.
    SetMyLocale,
    /// `change_my_password`.
    ChangeMyPassword,
    /// `set_my_display_name`.
    SetMyDisplayName,
    /// `request_password_reset`: a forgotten-password link mailed to the user.
    RequestPasswordReset,
    /// `reset_forgotten_password`: a new password set through that link.
    ResetForgottenPassword,
    /// `add_partner`.
    AddPartner,
    /// `create_offer`.
    CreateOffer,
    /// `update_offer` and `patch_offer`.
    UpdateOffer,
    /// `add_customer`: Partner Center's `add_customer`.
    AddCustomer,
    /// `create_order`: Partner Center's `create_order`.
    CreateOrder,
    /// `update_subscription` (and suspend, reactivate, bulk status, and the suspensions of
    /// a removal): Partner Center's `update_subscription` and `subscription-updated`.
    UpdateSubscription,
    /// `expire_subscription`: a subscription reaching its end, a system change with no
    /// caller; Partner Center's `subscription-updated` event.
    ExpireSubscription,
    /// `update_subscription_support_contact`, and a removal clearing a support assignment.
    UpdateSubscriptionSupportContact,
    /// `create_relationship_request` (and the request links).
    CreateRelationshipRequest,
    /// `revoke_relationship_request`.
    RevokeRelationshipRequest,
    /// `accept_relationship_request` that opens a reseller relationship: Partner Center's
    /// `reseller-relationship-accepted-by-customer` event.
    AcceptRelationshipRequest,
    /// `accept_relationship_request` that consents to delegated admin on a relationship there is.
    AcceptDelegatedAdminRequest,
    /// `decline_relationship_request`.
    DeclineRelationshipRequest,
    /// A DAP grant starts (`approve_dap`, or accepting a request with delegated admin):
    /// Partner Center's `dap_admin_relationship_approved`.
    ApproveDap,
    /// A DAP grant ends (`terminate_dap`, `remove_partner_admin_roles`, a removal): Partner
    /// Center's `dap_admin_relationship_terminated`.
    TerminateDap,
    /// A GDAP relationship is terminated (`remove_partner_admin_roles`, a removal): Partner
    /// Center's `granular_admin_relationship_terminated`.
    TerminateGdap,
    /// `remove_relationship`: Partner Center's `remove_partner_customer_relationship`.
    RemoveRelationship,
    /// `offboard_customer`.
    OffboardCustomer,
    /// `end_relationship_as_customer`.
    EndRelationshipAsCustomer,
    /// `link_indirect_reseller`.
    LinkIndirectReseller,
    /// `unlink_indirect_reseller`.
    UnlinkIndirectReseller,
    /// `create_api_token` and `create_expiring_api_token`.
    CreateApiToken,
    /// `revoke_api_token`.
    RevokeApiToken,
    /// `create_gdap_relationship`.
    CreateGdapRelationship,
    /// `update_gdap_relationship` (and each item of `bulk_update_gdap`).
    UpdateGdapRelationship,
    /// `delete_gdap_relationship` (only in `created`).
    DeleteGdapRelationship,
    /// A `lockForApproval` request: the customer is asked to approve.
    LockGdapForApproval,
    /// The customer's global admin approves (an `approve` request).
    ApproveGdap,
    /// The approved relationship becomes active (recorded with its approval).
    ActivateGdap,
    /// The customer's global admin rejects (a `reject` request); it ends `terminated`.
    RejectGdap,
    /// The job: a request not approved within 90 days expires.
    ExpireGdapRequest,
    /// The job: a relationship reaches its end date and does not extend.
    ExpireGdap,
    /// The job: a relationship reaches its end date and extends itself by 180 days.
    ExtendGdap,
    /// The job: a relationship that will not extend ends within 30 days (raised once).
    WarnGdapExpiring,
    /// `create_access_assignment`.
    CreateAccessAssignment,
    /// `update_access_assignment`.
    UpdateAccessAssignment,
    /// `delete_access_assignment`.
    DeleteAccessAssignment,
    /// `create_security_group`.
    CreateSecurityGroup,
    /// `delete_security_group`.
    DeleteSecurityGroup,
    /// `add_security_group_member`.
    AddSecurityGroupMember,
    /// `remove_security_group_member`.
    RemoveSecurityGroupMember,
    /// `create_role`: the operator adds a role to the catalogue.
    CreateRole,
    /// `update_role`.
    UpdateRole,
    /// `rename_security_group`.
    RenameSecurityGroup,
    /// `create_webhook_registration`.
    CreateWebhookRegistration,
    /// `update_webhook_registration`.
    UpdateWebhookRegistration,
    /// `delete_webhook_registration`.
    DeleteWebhookRegistration,
    /// `mail_relationship_request`: a partner's invitation link mailed on its behalf.
    MailRelationshipRequest,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Operation; 58] = [
        Operation::AddUser,
        Operation::UpdateUser,
        Operation::ResetUserPassword,
        Operation::RevokeCredentials,
        Operation::DeleteUser,
        Operation::SetMyLocale,
        Operation::ChangeMyPassword,
        Operation::SetMyDisplayName,
        Operation::RequestPasswordReset,
        Operation::ResetForgottenPassword,
        Operation::AddPartner,
        Operation::CreateOffer,
        Operation::UpdateOffer,
        Operation::AddCustomer,
        Operation::CreateOrder,
        Operation::UpdateSubscription,
        Operation::ExpireSubscription,
        Operation::UpdateSubscriptionSupportContact,
        Operation::CreateRelationshipRequest,
        Operation::RevokeRelationshipRequest,
        Operation::AcceptRelationshipRequest,
        Operation::AcceptDelegatedAdminRequest,
        Operation::DeclineRelationshipRequest,
        Operation::ApproveDap,
        Operation::TerminateDap,
        Operation::TerminateGdap,
        Operation::RemoveRelationship,
        Operation::OffboardCustomer,
        Operation::EndRelationshipAsCustomer,
        Operation::LinkIndirectReseller,
        Operation::UnlinkIndirectReseller,
        Operation::CreateApiToken,
        Operation::RevokeApiToken,
        Operation::CreateGdapRelationship,
        Operation::UpdateGdapRelationship,
        Operation::DeleteGdapRelationship,
        Operation::LockGdapForApproval,
        Operation::ApproveGdap,
        Operation::ActivateGdap,
        Operation::RejectGdap,
        Operation::ExpireGdapRequest,
        Operation::ExpireGdap,
        Operation::ExtendGdap,
        Operation::WarnGdapExpiring,
        Operation::CreateAccessAssignment,
        Operation::UpdateAccessAssignment,
        Operation::DeleteAccessAssignment,
        Operation::CreateSecurityGroup,
        Operation::DeleteSecurityGroup,
        Operation::AddSecurityGroupMember,
        Operation::RemoveSecurityGroupMember,
        Operation::CreateRole,
        Operation::UpdateRole,
        Operation::RenameSecurityGroup,
        Operation::CreateWebhookRegistration,
        Operation::UpdateWebhookRegistration,
        Operation::DeleteWebhookRegistration,
        Operation::MailRelationshipRequest,
    ];

    /// The audit record's operation (`AuditRecord::operation`).
    pub const fn audit_name(self) -> &'static str {
        match self {
            Operation::AddUser => "add_user",
            Operation::UpdateUser => "update_user",
            Operation::ResetUserPassword => "reset_user_password",
            Operation::RevokeCredentials => "revoke_credentials",
            Operation::DeleteUser => "delete_user",
            Operation::SetMyLocale => "set_my_locale",
            Operation::ChangeMyPassword => "change_my_password",
            Operation::RequestPasswordReset => "request_password_reset",
            Operation::ResetForgottenPassword => "reset_forgotten_password",
            Operation::SetMyDisplayName => "set_my_display_name",
            Operation::AddPartner => "add_partner",
            Operation::CreateOffer => "create_offer",
            Operation::UpdateOffer => "update_offer",
            Operation::AddCustomer => "add_customer",
            Operation::CreateOrder => "create_order",
            Operation::UpdateSubscription => "update_subscription",
            Operation::ExpireSubscription => "expire_subscription",
            Operation::UpdateSubscriptionSupportContact => "update_subscription_support_contact",
            Operation::CreateRelationshipRequest => "create_relationship_request",
            Operation::RevokeRelationshipRequest => "revoke_relationship_request",
            Operation::AcceptRelationshipRequest => "accept_relationship_request",
            Operation::AcceptDelegatedAdminRequest => "accept_delegated_admin_request",
            Operation::DeclineRelationshipRequest => "decline_relationship_request",
            Operation::ApproveDap => "dap_admin_relationship_approved",
            Operation::TerminateDap => "dap_admin_relationship_terminated",
            Operation::TerminateGdap => "granular_admin_relationship_terminated",
            Operation::RemoveRelationship => "remove_partner_customer_relationship",
            Operation::OffboardCustomer => "offboard_customer",
            Operation::EndRelationshipAsCustomer => "remove_partner_customer_relationship_by_customer",
            Operation::LinkIndirectReseller => "link_indirect_reseller",
            Operation::UnlinkIndirectReseller => "unlink_indirect_reseller",
            Operation::CreateApiToken => "create_api_token",
            Operation::RevokeApiToken => "revoke_api_token",
            Operation::CreateGdapRelationship => "create_granular_admin_relationship",
            Operation::UpdateGdapRelationship => "update_granular_admin_relationship",
            Operation::DeleteGdapRelationship => "delete_granular_admin_relationship",
            Operation::LockGdapForApproval => "granular_admin_relationship_locked_for_approval",
            Operation::ApproveGdap => "granular_admin_relationship_approved",
            Operation::ActivateGdap => "granular_admin_relationship_activated",
            Operation::RejectGdap => "granular_admin_relationship_rejected",
            Operation::ExpireGdapRequest => "granular_admin_relationship_request_expired",
            Operation::ExpireGdap => "granular_admin_relationship_expired",
            Operation::ExtendGdap => "granular_admin_relationship_extended",
            Operation::WarnGdapExpiring => "granular_admin_relationship_expiring",
            Operation::CreateAccessAssignment => "create_granular_admin_access_assignment",
            Operation::UpdateAccessAssignment => "update_granular_admin_access_assignment",
            Operation::DeleteAccessAssignment => "delete_granular_admin_access_assignment",
            Operation::CreateSecurityGroup => "create_security_group",
            Operation::DeleteSecurityGroup => "delete_security_group",
            Operation::AddSecurityGroupMember => "add_security_group_member",
            Operation::RemoveSecurityGroupMember => "remove_security_group_member",
            Operation::CreateRole => "create_admin_role",
            Operation::UpdateRole => "update_admin_role",
            Operation::RenameSecurityGroup => "rename_security_group",
            Operation::CreateWebhookRegistration => "create_webhook_registration",
            Operation::UpdateWebhookRegistration => "update_webhook_registration",
            Operation::DeleteWebhookRegistration => "delete_webhook_registration",
            Operation::MailRelationshipRequest => "mail_relationship_request",
        }
    }

    /// The audit record's resource type (`AuditRecord::resource_type`).
    pub const fn resource_type(self) -> &'static str {
        match self {
            Operation::AddUser
            | Operation::UpdateUser
            | Operation::ResetUserPassword
            | Operation::RevokeCredentials
            | Operation::DeleteUser
            | Operation::SetMyLocale
            | Operation::ChangeMyPassword
            | Operation::SetMyDisplayName
            | Operation::RequestPasswordReset
            | Operation::ResetForgottenPassword => "user",
            Operation::AddPartner => "partner",
            Operation::CreateOffer | Operation::UpdateOffer => "offer",
            Operation::AddCustomer => "customer",
            Operation::CreateOrder => "order",
            Operation::UpdateSubscription
            | Operation::ExpireSubscription
            | Operation::UpdateSubscriptionSupportContact => "subscription",
            Operation::CreateRelationshipRequest
            | Operation::RevokeRelationshipRequest
            | Operation::DeclineRelationshipRequest
            | Operation::MailRelationshipRequest => "relationship_request",
            Operation::AcceptRelationshipRequest
            | Operation::RemoveRelationship
            | Operation::OffboardCustomer
            | Operation::EndRelationshipAsCustomer => "partner_customer_relationship",
            Operation::AcceptDelegatedAdminRequest | Operation::ApproveDap | Operation::TerminateDap => {
                "partner_customer_dap"
            }
            Operation::TerminateGdap
            | Operation::CreateGdapRelationship
            | Operation::UpdateGdapRelationship
            | Operation::DeleteGdapRelationship
            | Operation::LockGdapForApproval
            | Operation::ApproveGdap
            | Operation::ActivateGdap
            | Operation::RejectGdap
            | Operation::ExpireGdapRequest
            | Operation::ExpireGdap
            | Operation::ExtendGdap
            | Operation::WarnGdapExpiring => "granular_admin_relationship",
            Operation::CreateAccessAssignment
            | Operation::UpdateAccessAssignment
            | Operation::DeleteAccessAssignment => "granular_admin_access_assignment",
            Operation::CreateSecurityGroup
            | Operation::DeleteSecurityGroup
            | Operation::AddSecurityGroupMember
            | Operation::RemoveSecurityGroupMember
            | Operation::RenameSecurityGroup => "security_group",
            Operation::CreateWebhookRegistration
            | Operation::UpdateWebhookRegistration
            | Operation::DeleteWebhookRegistration => "webhook_registration",
            Operation::CreateRole | Operation::UpdateRole => "admin_role",
            Operation::LinkIndirectReseller | Operation::UnlinkIndirectReseller => "indirect_reseller_link",
            Operation::CreateApiToken | Operation::RevokeApiToken => "api_token",
        }
    }

    /// The event published to webhook subscribers (`OutboxEvent::event_type`), if any.
    pub const fn event_name(self) -> Option<&'static str> {
        match self {
            Operation::AddCustomer => Some("customer-created"),
            Operation::CreateOrder => Some("order-created"),
            Operation::UpdateSubscription | Operation::ExpireSubscription => Some("subscription-updated"),
            Operation::AcceptRelationshipRequest => Some("reseller-relationship-accepted-by-customer"),
            Operation::ApproveDap => Some("dap-admin-relationship-approved"),
            Operation::TerminateDap => Some("dap-admin-relationship-terminated"),
            Operation::TerminateGdap => Some("granular-admin-relationship-terminated"),
            Operation::CreateGdapRelationship => Some("granular-admin-relationship-created"),
            Operation::ApproveGdap => Some("granular-admin-relationship-approved"),
            Operation::ActivateGdap => Some("granular-admin-relationship-activated"),
            Operation::ExpireGdapRequest => Some("granular-admin-relationship-expired"),
            Operation::ExpireGdap => Some("granular-admin-relationship-expired"),
            Operation::ExtendGdap => Some("granular-admin-relationship-extended"),
            Operation::WarnGdapExpiring => Some("granular-admin-relationship-expiring"),

            Operation::RemoveRelationship | Operation::OffboardCustomer | Operation::EndRelationshipAsCustomer => {
                Some("reseller-relationship-removed")
            }
            Operation::AddUser
            | Operation::UpdateUser
            | Operation::ResetUserPassword
            | Operation::RevokeCredentials
            | Operation::DeleteUser
            | Operation::SetMyLocale
            | Operation::ChangeMyPassword
            | Operation::SetMyDisplayName
            | Operation::RequestPasswordReset
            | Operation::ResetForgottenPassword
            | Operation::AddPartner
            | Operation::CreateOffer
            | Operation::UpdateOffer
            | Operation::UpdateSubscriptionSupportContact
            | Operation::CreateRelationshipRequest
            | Operation::RevokeRelationshipRequest
            | Operation::AcceptDelegatedAdminRequest
            | Operation::DeclineRelationshipRequest
            | Operation::LinkIndirectReseller
            | Operation::UnlinkIndirectReseller
            | Operation::CreateApiToken
            | Operation::RevokeApiToken
            | Operation::UpdateGdapRelationship
            | Operation::DeleteGdapRelationship
            | Operation::LockGdapForApproval
            | Operation::RejectGdap
            | Operation::CreateAccessAssignment
            | Operation::UpdateAccessAssignment
            | Operation::DeleteAccessAssignment
            | Operation::CreateSecurityGroup
            | Operation::DeleteSecurityGroup
            | Operation::AddSecurityGroupMember
            | Operation::RemoveSecurityGroupMember
            | Operation::CreateRole
            | Operation::UpdateRole
            | Operation::RenameSecurityGroup
            | Operation::CreateWebhookRegistration
            | Operation::UpdateWebhookRegistration
            | Operation::DeleteWebhookRegistration
            | Operation::MailRelationshipRequest => None,
        }
    }

    /// The operation recorded under `audit_name`, if there is one.
    pub fn from_audit_name(audit_name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.audit_name() == audit_name)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::Operation;

    fn table() -> String {
        Operation::ALL
            .iter()
            .map(|op| {
                format!(
                    "{:?} | {} | {} | {}\n",
                    op,
                    op.audit_name(),
                    op.resource_type(),
                    op.event_name().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn every_operation_has_these_names() {
        let expected = "\
AddUser | add_user | user | -
UpdateUser | update_user | user | -
ResetUserPassword | reset_user_password | user | -
RevokeCredentials | revoke_credentials | user | -
DeleteUser | delete_user | user | -
SetMyLocale | set_my_locale | user | -
ChangeMyPassword | change_my_password | user | -
SetMyDisplayName | set_my_display_name | user | -
RequestPasswordReset | request_password_reset | user | -
ResetForgottenPassword | reset_forgotten_password | user | -
AddPartner | add_partner | partner | -
CreateOffer | create_offer | offer | -
UpdateOffer | update_offer | offer | -
AddCustomer | add_customer | customer | customer-created
CreateOrder | create_order | order | order-created
UpdateSubscription | update_subscription | subscription | subscription-updated
ExpireSubscription | expire_subscription | subscription | subscription-updated
UpdateSubscriptionSupportContact | update_subscription_support_contact | subscription | -
CreateRelationshipRequest | create_relationship_request | relationship_request | -
RevokeRelationshipRequest | revoke_relationship_request | relationship_request | -
AcceptRelationshipRequest | accept_relationship_request | partner_customer_relationship | reseller-relationship-accepted-by-customer
AcceptDelegatedAdminRequest | accept_delegated_admin_request | partner_customer_dap | -
DeclineRelationshipRequest | decline_relationship_request | relationship_request | -
ApproveDap | dap_admin_relationship_approved | partner_customer_dap | dap-admin-relationship-approved
TerminateDap | dap_admin_relationship_terminated | partner_customer_dap | dap-admin-relationship-terminated
TerminateGdap | granular_admin_relationship_terminated | granular_admin_relationship | granular-admin-relationship-terminated
RemoveRelationship | remove_partner_customer_relationship | partner_customer_relationship | reseller-relationship-removed
OffboardCustomer | offboard_customer | partner_customer_relationship | reseller-relationship-removed
EndRelationshipAsCustomer | remove_partner_customer_relationship_by_customer | partner_customer_relationship | reseller-relationship-removed
LinkIndirectReseller | link_indirect_reseller | indirect_reseller_link | -
UnlinkIndirectReseller | unlink_indirect_reseller | indirect_reseller_link | -
CreateApiToken | create_api_token | api_token | -
RevokeApiToken | revoke_api_token | api_token | -
CreateGdapRelationship | create_granular_admin_relationship | granular_admin_relationship | granular-admin-relationship-created
UpdateGdapRelationship | update_granular_admin_relationship | granular_admin_relationship | -
DeleteGdapRelationship | delete_granular_admin_relationship | granular_admin_relationship | -
LockGdapForApproval | granular_admin_relationship_locked_for_approval | granular_admin_relationship | -
ApproveGdap | granular_admin_relationship_approved | granular_admin_relationship | granular-admin-relationship-approved
ActivateGdap | granular_admin_relationship_activated | granular_admin_relationship | granular-admin-relationship-activated
RejectGdap | granular_admin_relationship_rejected | granular_admin_relationship | -
ExpireGdapRequest | granular_admin_relationship_request_expired | granular_admin_relationship | granular-admin-relationship-expired
ExpireGdap | granular_admin_relationship_expired | granular_admin_relationship | granular-admin-relationship-expired
ExtendGdap | granular_admin_relationship_extended | granular_admin_relationship | granular-admin-relationship-extended
WarnGdapExpiring | granular_admin_relationship_expiring | granular_admin_relationship | granular-admin-relationship-expiring
CreateAccessAssignment | create_granular_admin_access_assignment | granular_admin_access_assignment | -
UpdateAccessAssignment | update_granular_admin_access_assignment | granular_admin_access_assignment | -
DeleteAccessAssignment | delete_granular_admin_access_assignment | granular_admin_access_assignment | -
CreateSecurityGroup | create_security_group | security_group | -
DeleteSecurityGroup | delete_security_group | security_group | -
AddSecurityGroupMember | add_security_group_member | security_group | -
RemoveSecurityGroupMember | remove_security_group_member | security_group | -
CreateRole | create_admin_role | admin_role | -
UpdateRole | update_admin_role | admin_role | -
RenameSecurityGroup | rename_security_group | security_group | -
CreateWebhookRegistration | create_webhook_registration | webhook_registration | -
UpdateWebhookRegistration | update_webhook_registration | webhook_registration | -
DeleteWebhookRegistration | delete_webhook_registration | webhook_registration | -
MailRelationshipRequest | mail_relationship_request | relationship_request | -
";
        assert_eq!(table(), expected);
    }

    #[test]
    fn every_operation_is_listed_once_under_its_own_audit_name() {
        // `ALL` holds each variant at the place of its declaration, and the last one last.
        for (i, op) in Operation::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i, "{op:?}");
        }
        assert_eq!(Operation::MailRelationshipRequest as usize + 1, Operation::ALL.len());
        let mut names = HashSet::new();
        for op in Operation::ALL {
            assert!(names.insert(op.audit_name()), "{op:?}: audit name used twice");
            assert_eq!(Operation::from_audit_name(op.audit_name()), Some(op));
        }
    }

    #[test]
    fn an_event_name_means_one_kind_of_resource() {
        // Several ways of removing a relationship publish the one removal event; an event
        // name never stands for two different resources.
        let mut resource_of = HashMap::new();
        for op in Operation::ALL {
            if let Some(event) = op.event_name() {
                let resource = *resource_of.entry(event).or_insert(op.resource_type());
                assert_eq!(resource, op.resource_type(), "{event} names two resources");
            }
        }
    }

    #[test]
    fn names_follow_partner_center_patterns() {
        for op in Operation::ALL {
            let snake = |s: &str| s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(snake(op.audit_name()), "{op:?}");
            assert!(snake(op.resource_type()), "{op:?}");
            if let Some(event) = op.event_name() {
                assert!(event.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{op:?}");
            }
        }
    }
}
