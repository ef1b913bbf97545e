//! The permission table: which role may do what, and which partner type may do what.
//! One table for every entry point (API, dashboard, CLI); `app` asks it before each use case.

use crate::error::DomainError;
use crate::org::{PartnerType, Role};

/// Everything a caller can ask to do, grouped by audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    // operator
    ManagePartners,
    ManageOffers,
    // partner
    ViewCustomers,
    AddCustomer,
    RequestRelationship,
    CreateOrder,
    ViewSubscriptions,
    ManageSubscriptions,
    ManageDelegatedAdmin,
    RemoveRelationship,
    ManageResellerLinks,
    // customer
    AnswerRequest,
    ViewOwnPartners,
    RemovePartnerAdminRoles,
    EndRelationshipAsCustomer,
    // any organisation
    ManageUsers,
    /// Read the organisation's audit records (the operator: all of them).
    ViewAuditRecords,
    /// Register webhooks for the organisation's events (the operator: see and change all).
    ManageWebhooks,
}

impl Action {
    /// Every action, in the order of the enum (for tests that must word each one).
    pub const ALL: [Action; 18] = [
        Self::ManagePartners,
        Self::ManageOffers,
        Self::ViewCustomers,
        Self::AddCustomer,
        Self::RequestRelationship,
        Self::CreateOrder,
        Self::ViewSubscriptions,
        Self::ManageSubscriptions,
        Self::ManageDelegatedAdmin,
        Self::RemoveRelationship,
        Self::ManageResellerLinks,
        Self::AnswerRequest,
        Self::ViewOwnPartners,
        Self::RemovePartnerAdminRoles,
        Self::EndRelationshipAsCustomer,
        Self::ManageUsers,
        Self::ViewAuditRecords,
        Self::ManageWebhooks,
    ];

    /// Words for an error message: "the caller's role may not …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::ManagePartners => "manage partners",
            Self::ManageOffers => "manage the offer catalog",
            Self::ViewCustomers => "view customers",
            Self::AddCustomer => "create customers",
            Self::RequestRelationship => "request reseller relationships",
            Self::CreateOrder => "place orders",
            Self::ViewSubscriptions => "view subscriptions",
            Self::ManageSubscriptions => "suspend or reactivate subscriptions",
            Self::ManageDelegatedAdmin => "manage delegated admin rights",
            Self::RemoveRelationship => "remove reseller relationships",
            Self::ManageResellerLinks => "manage indirect reseller links",
            Self::AnswerRequest => "answer relationship requests",
            Self::ViewOwnPartners => "view the organisation's partners",
            Self::RemovePartnerAdminRoles => "remove a partner's admin roles",
            Self::EndRelationshipAsCustomer => "end a reseller relationship",
            Self::ManageUsers => "manage users",
            Self::ViewAuditRecords => "read audit records",
            Self::ManageWebhooks => "manage webhooks",
        }
    }
}

/// Does `role` allow `action`? The table of DESIGN.md §1 and rule 7.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ManagePartners | ManageOffers => role == OperatorAdmin,
        ViewCustomers | ViewSubscriptions => {
            matches!(
                role,
                PartnerGlobalAdmin | AdminAgent | SalesAgent | HelpdeskAgent | BillingAdmin
            )
        }
        AddCustomer | RequestRelationship | CreateOrder | ManageSubscriptions => {
            matches!(role, PartnerGlobalAdmin | AdminAgent | SalesAgent)
        }
        // Rule 7: global admin, admin agent and sales agent remove relationships.
        RemoveRelationship => matches!(role, PartnerGlobalAdmin | AdminAgent | SalesAgent),
        ManageDelegatedAdmin | ManageResellerLinks => matches!(role, PartnerGlobalAdmin | AdminAgent),
        AnswerRequest | RemovePartnerAdminRoles | EndRelationshipAsCustomer => role == CustomerGlobalAdmin,
        ViewOwnPartners => matches!(role, CustomerGlobalAdmin | CustomerUser),
        ManageUsers => matches!(role, OperatorAdmin | PartnerGlobalAdmin | CustomerGlobalAdmin),
        ViewAuditRecords => matches!(
            role,
            OperatorAdmin | PartnerGlobalAdmin | AdminAgent | CustomerGlobalAdmin
        ),
        // Partner Center: every partner role; a customer's global admin; the operator.
        ManageWebhooks => matches!(
            role,
            OperatorAdmin
                | PartnerGlobalAdmin
                | AdminAgent
                | SalesAgent
                | HelpdeskAgent
                | BillingAdmin
                | CustomerGlobalAdmin
        ),
    }
}

/// Refuses with `forbidden_role` unless one of `roles` allows `action`.
pub fn authorize(roles: &[Role], action: Action) -> Result<(), DomainError> {
    if roles.iter().any(|r| role_allows(*r, action)) {
        Ok(())
    } else {
        Err(DomainError::ForbiddenRole(action.describe()))
    }
}

/// Refuses with `partner_type_not_allowed` when the partner's type may not do `action`,
/// with a message that says what to do instead.
pub fn partner_type_allows(partner_type: PartnerType, action: Action) -> Result<(), DomainError> {
    use Action::*;
    match (partner_type, action) {
        (PartnerType::IndirectReseller, RemoveRelationship) => Err(DomainError::PartnerTypeNotAllowed(
            "an indirect reseller's relationship is removed by its indirect provider: ask your provider to remove it",
        )),
        (PartnerType::IndirectReseller, CreateOrder) => Err(DomainError::PartnerTypeNotAllowed(
            "an indirect reseller orders through its indirect provider: ask your provider to place the order",
        )),
        (PartnerType::IndirectReseller, ManageSubscriptions) => Err(DomainError::PartnerTypeNotAllowed(
            "an indirect reseller's subscriptions are managed by its indirect provider: ask your provider to change them",
        )),
        (PartnerType::IndirectReseller, AddCustomer) => Err(DomainError::PartnerTypeNotAllowed(
            "an indirect reseller's new customers are created by its indirect provider",
        )),
        (PartnerType::Direct | PartnerType::IndirectReseller, ManageResellerLinks) => Err(
            DomainError::PartnerTypeNotAllowed("only an indirect provider links indirect resellers"),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_global_admin_admin_agent_and_sales_agent_remove_relationships() {
        use Role::*;
        let allowed: Vec<Role> = [
            PartnerGlobalAdmin,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            BillingAdmin,
            CustomerGlobalAdmin,
            CustomerUser,
            OperatorAdmin,
        ]
        .into_iter()
        .filter(|r| role_allows(*r, Action::RemoveRelationship))
        .collect();
        assert_eq!(allowed, vec![PartnerGlobalAdmin, AdminAgent, SalesAgent]);
    }

    #[test]
    fn an_indirect_reseller_is_told_to_ask_its_provider() {
        let err = partner_type_allows(PartnerType::IndirectReseller, Action::RemoveRelationship).unwrap_err();
        assert_eq!(err.code(), "partner_type_not_allowed");
        assert!(err.to_string().contains("provider"));
        assert!(partner_type_allows(PartnerType::Direct, Action::RemoveRelationship).is_ok());
        assert!(partner_type_allows(PartnerType::IndirectProvider, Action::RemoveRelationship).is_ok());
    }

    #[test]
    fn a_refusal_names_what_was_refused() {
        let err = authorize(&[Role::HelpdeskAgent], Action::RemoveRelationship).unwrap_err();
        assert_eq!(err.code(), "forbidden_role");
        assert!(err.to_string().contains("remove reseller relationships"));
    }
}
