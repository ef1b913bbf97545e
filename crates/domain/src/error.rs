//! Typed refusals of the domain. Each variant has a stable code (`DomainError::code`)
//! that the outer layers carry unchanged to API clients.

use crate::ids::SubscriptionId;

/// A rule of the domain refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A value the caller entered is malformed or out of range.
    #[error("invalid {property}: {reason}")]
    InvalidProperty { property: &'static str, reason: String },
    /// A quantity outside the offer's bounds.
    #[error("quantity {quantity} is outside {minimum}..={maximum}")]
    QuantityOutOfRange { quantity: i64, minimum: i64, maximum: i64 },
    /// Removal refused while these subscriptions are active (rule 3).
    #[error("the partner still has {} active subscription(s) with this customer", ids.len())]
    ActiveSubscriptionsExist { ids: Vec<SubscriptionId> },
    /// The partner has no active relationship with the customer.
    #[error("the partner has no active relationship with this customer")]
    NoActiveRelationship,
    /// A relationship between the two is already active.
    #[error("a reseller relationship with this partner is already active")]
    RelationshipAlreadyActive,
    /// The relationship request expired or was revoked.
    #[error("the relationship request has expired or was revoked")]
    RequestExpired,
    /// The request was already answered.
    #[error("the relationship request was already {0}")]
    RequestAlreadyAnswered(&'static str),
    /// The caller's role may not do this.
    #[error("the caller's role may not {0}")]
    ForbiddenRole(&'static str),
    /// The caller's partner type may not do this (e.g. an indirect reseller removing).
    #[error("{0}")]
    PartnerTypeNotAllowed(&'static str),
    /// A state machine refused a move.
    #[error("cannot {action} a {entity} that is {state}")]
    InvalidTransition {
        entity: &'static str,
        action: &'static str,
        state: &'static str,
    },
    /// A deleted subscription cannot be changed.
    #[error("a deleted subscription cannot be updated")]
    SubscriptionDeleted,
    /// DAP needs the customer's consent, given with the relationship request.
    #[error("the customer has not consented to delegated admin for this partner")]
    DelegatedAdminNotConsented,
    /// A GDAP duration that is not an ISO-8601 duration of 1 to 730 days.
    #[error("invalid duration {value:?}: expected an ISO-8601 duration from P1D to P730D (e.g. P730D, P52W, P1Y)")]
    InvalidGdapDuration { value: String },
    /// A GDAP auto-extend duration other than none (`PT0S`) or 180 days (`P180D`).
    #[error("invalid autoExtendDuration {value:?}: expected PT0S (none) or P180D")]
    InvalidGdapAutoExtend { value: String },
    /// A GDAP relationship cannot be locked for approval (or left) without a role.
    #[error("a GDAP relationship needs at least one role")]
    GdapRolesRequired,
    /// A relationship with the Global Administrator role cannot extend itself.
    #[error("a GDAP relationship with the Global Administrator role cannot be extended automatically")]
    GdapAutoExtendNotAllowed,
    /// The customer had 90 days to approve and did not.
    #[error("the GDAP relationship was not approved within 90 days of its request")]
    GdapApprovalExpired,
    /// The relationship names another customer than the one approving it.
    #[error("the GDAP relationship was requested for another customer")]
    GdapCustomerMismatch,
    /// This property cannot be changed in the relationship's current status.
    #[error("{property} cannot be changed while the GDAP relationship is {state}")]
    GdapPropertyNotEditable {
        property: &'static str,
        state: &'static str,
    },
}

impl DomainError {
    /// The stable snake_case name clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidProperty { .. } => "invalid_property",
            Self::QuantityOutOfRange { .. } => "quantity_out_of_range",
            Self::ActiveSubscriptionsExist { .. } => "active_subscriptions_exist",
            Self::NoActiveRelationship => "no_active_relationship",
            Self::RelationshipAlreadyActive => "relationship_already_active",
            Self::RequestExpired => "request_expired",
            Self::RequestAlreadyAnswered(_) => "request_already_answered",
            Self::ForbiddenRole(_) => "forbidden_role",
            Self::PartnerTypeNotAllowed(_) => "partner_type_not_allowed",
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::SubscriptionDeleted => "subscription_deleted",
            Self::DelegatedAdminNotConsented => "delegated_admin_not_consented",
            Self::InvalidGdapDuration { .. } => "invalid_gdap_duration",
            Self::InvalidGdapAutoExtend { .. } => "invalid_gdap_auto_extend",
            Self::GdapRolesRequired => "gdap_roles_required",
            Self::GdapAutoExtendNotAllowed => "gdap_auto_extend_not_allowed",
            Self::GdapApprovalExpired => "gdap_approval_expired",
            Self::GdapCustomerMismatch => "gdap_customer_mismatch",
            Self::GdapPropertyNotEditable { .. } => "gdap_property_not_editable",
        }
    }

    pub(crate) fn invalid(property: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidProperty {
            property,
            reason: reason.into(),
        }
    }
}
