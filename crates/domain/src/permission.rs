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
    /// Approve or reject a GDAP relationship (the customer's side).
    AnswerGdap,
    /// Add or change roles of the GDAP role catalogue (the operator).
    ManageRoles,
    /// Ask whether a user may act for a customer (the operator, or a partner about itself).
    CheckAccess,
    /// Register webhooks for the organisation's events (the operator: see and change all).
    ManageWebhooks,
}

impl Action {
    /// Every action, in the order of the enum (for tests that must word each one).
    pub const ALL: [Action; 21] = [
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
        Self::AnswerGdap,
        Self::ManageRoles,
        Self::CheckAccess,
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
            Self::AnswerGdap => "approve or reject GDAP relationships",
            Self::ManageRoles => "manage the role catalogue",
            Self::CheckAccess => "check delegated access",
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
        AnswerRequest | RemovePartnerAdminRoles | EndRelationshipAsCustomer | AnswerGdap => role == CustomerGlobalAdmin,
        ViewOwnPartners => matches!(role, CustomerGlobalAdmin | CustomerUser),
        ManageUsers => matches!(role, OperatorAdmin | PartnerGlobalAdmin | CustomerGlobalAdmin),
        ViewAuditRecords => matches!(
            role,
            OperatorAdmin | PartnerGlobalAdmin | AdminAgent | CustomerGlobalAdmin
        ),
        ManageRoles => role == OperatorAdmin,
        CheckAccess => matches!(
            role,
            OperatorAdmin | PartnerGlobalAdmin | AdminAgent | SalesAgent | HelpdeskAgent | BillingAdmin
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
        Err(DomainError::ForbiddenRole(action))
    }
}

/// A rule of what a partner type may do, as a `partner_type_not_allowed` refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartnerTypeRule {
    /// An indirect reseller's relationships are removed by its indirect provider.
    ResellerRemovesThroughProvider,
    /// An indirect reseller orders through its indirect provider.
    ResellerOrdersThroughProvider,
    /// An indirect reseller's subscriptions are managed by its indirect provider.
    ResellerSubscriptionsThroughProvider,
    /// An indirect reseller's new customers are created by its indirect provider.
    ResellerCustomersThroughProvider,
    /// Only an indirect provider links indirect resellers.
    OnlyProviderLinksResellers,
    /// Only an indirect provider creates a customer for an indirect reseller.
    OnlyProviderCreatesResellerCustomers,
}

impl PartnerTypeRule {
    /// Every rule (for tests that must word each one).
    pub const ALL: [PartnerTypeRule; 6] = [
        Self::ResellerRemovesThroughProvider,
        Self::ResellerOrdersThroughProvider,
        Self::ResellerSubscriptionsThroughProvider,
        Self::ResellerCustomersThroughProvider,
        Self::OnlyProviderLinksResellers,
        Self::OnlyProviderCreatesResellerCustomers,
    ];

    /// The rule in English words that say what to do instead.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ResellerRemovesThroughProvider => {
                "an indirect reseller's relationship is removed by its indirect provider: ask your provider to remove it"
            }
            Self::ResellerOrdersThroughProvider => {
                "an indirect reseller orders through its indirect provider: ask your provider to place the order"
            }
            Self::ResellerSubscriptionsThroughProvider => {
                "an indirect reseller's subscriptions are managed by its indirect provider: ask your provider to change them"
            }
            Self::ResellerCustomersThroughProvider => {
                "an indirect reseller's new customers are created by its indirect provider"
            }
            Self::OnlyProviderLinksResellers => "only an indirect provider links indirect resellers",
            Self::OnlyProviderCreatesResellerCustomers => {
                "only an indirect provider creates customers for an indirect reseller"
            }
        }
    }
}

/// Refuses with `partner_type_not_allowed` when the partner's type may not do `action`,
/// naming the rule (whose words say what to do instead).
pub fn partner_type_allows(partner_type: PartnerType, action: Action) -> Result<(), DomainError> {
    use Action::*;
    use PartnerTypeRule as R;
    let rule = match (partner_type, action) {
        (PartnerType::IndirectReseller, RemoveRelationship) => R::ResellerRemovesThroughProvider,
        (PartnerType::IndirectReseller, CreateOrder) => R::ResellerOrdersThroughProvider,
        (PartnerType::IndirectReseller, ManageSubscriptions) => R::ResellerSubscriptionsThroughProvider,
        (PartnerType::IndirectReseller, AddCustomer) => R::ResellerCustomersThroughProvider,
        (PartnerType::Direct | PartnerType::IndirectReseller, ManageResellerLinks) => R::OnlyProviderLinksResellers,
        _ => return Ok(()),
    };
    Err(DomainError::PartnerTypeNotAllowed(rule))
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
