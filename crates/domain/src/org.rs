//! Organisations and the people in them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Reason};
use crate::ids::{CustomerId, OrgId, PartnerId, UserId};
use crate::values::{Country, Culture, Domain, Email, Name, Note};

/// What kind of organisation a user belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Operator,
    Partner,
    Customer,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Partner => "partner",
            Self::Customer => "customer",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operator" => Some(Self::Operator),
            "partner" => Some(Self::Partner),
            "customer" => Some(Self::Customer),
            _ => None,
        }
    }
}

/// How a partner sells (Partner Center's CSP models).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerType {
    /// Bills its customers itself.
    Direct,
    /// A distributor that works through indirect resellers.
    IndirectProvider,
    /// Sells through an indirect provider.
    IndirectReseller,
}

impl PartnerType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::IndirectProvider => "indirect_provider",
            Self::IndirectReseller => "indirect_reseller",
        }
    }
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "direct" => Ok(Self::Direct),
            "indirect_provider" => Ok(Self::IndirectProvider),
            "indirect_reseller" => Ok(Self::IndirectReseller),
            _ => Err(DomainError::invalid("partnerType", Reason::NotAPartnerType)),
        }
    }
}

/// A reseller organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub id: PartnerId,
    pub name: Name,
    pub partner_type: PartnerType,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// A customer's company profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyProfile {
    pub company_name: Name,
    pub domain: Domain,
    pub country: Country,
    pub culture: Culture,
}

/// A customer's billing profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingProfile {
    pub contact_name: Name,
    pub email: Email,
    pub address: Note,
}

/// An organisation that buys through partners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub company: CompanyProfile,
    pub billing: BillingProfile,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// A role a user holds within its organisation (DESIGN.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Operator administrator.
    OperatorAdmin,
    /// Partner roles, as in Partner Center.
    PartnerGlobalAdmin,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
    BillingAdmin,
    /// Customer roles.
    CustomerGlobalAdmin,
    CustomerUser,
}

impl Role {
    /// The organisation kind this role belongs to.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Self::OperatorAdmin => OrgKind::Operator,
            Self::PartnerGlobalAdmin
            | Self::AdminAgent
            | Self::SalesAgent
            | Self::HelpdeskAgent
            | Self::BillingAdmin => OrgKind::Partner,
            Self::CustomerGlobalAdmin | Self::CustomerUser => OrgKind::Customer,
        }
    }

    /// The role's name within its organisation kind, as clients see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OperatorAdmin => "admin",
            Self::PartnerGlobalAdmin | Self::CustomerGlobalAdmin => "global_admin",
            Self::AdminAgent => "admin_agent",
            Self::SalesAgent => "sales_agent",
            Self::HelpdeskAgent => "helpdesk_agent",
            Self::BillingAdmin => "billing_admin",
            Self::CustomerUser => "user",
        }
    }

    /// Reads a role name as it applies to an organisation kind (`global_admin` means
    /// different roles for a partner and a customer).
    pub fn parse(kind: OrgKind, s: &str) -> Result<Self, DomainError> {
        let role = match (kind, s) {
            (OrgKind::Operator, "admin") => Self::OperatorAdmin,
            (OrgKind::Partner, "global_admin") => Self::PartnerGlobalAdmin,
            (OrgKind::Partner, "admin_agent") => Self::AdminAgent,
            (OrgKind::Partner, "sales_agent") => Self::SalesAgent,
            (OrgKind::Partner, "helpdesk_agent") => Self::HelpdeskAgent,
            (OrgKind::Partner, "billing_admin") => Self::BillingAdmin,
            (OrgKind::Customer, "global_admin") => Self::CustomerGlobalAdmin,
            (OrgKind::Customer, "user") => Self::CustomerUser,
            _ => {
                let allowed = match kind {
                    OrgKind::Operator => "admin",
                    OrgKind::Partner => "global_admin, admin_agent, sales_agent, helpdesk_agent or billing_admin",
                    OrgKind::Customer => "global_admin or user",
                };
                return Err(DomainError::invalid(
                    "roles",
                    Reason::RoleNotForKind {
                        kind: kind.as_str(),
                        allowed,
                    },
                ));
            }
        };
        Ok(role)
    }
}

/// A person who signs in. The password hash is kept by the store, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub org_kind: OrgKind,
    pub email: Email,
    pub display_name: Name,
    pub roles: Vec<Role>,
    pub locale: Culture,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// The link between an indirect provider and one of its indirect resellers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellerLink {
    pub provider_id: PartnerId,
    pub reseller_id: PartnerId,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_admin_means_the_role_of_the_organisation_kind() {
        assert_eq!(
            Role::parse(OrgKind::Partner, "global_admin"),
            Ok(Role::PartnerGlobalAdmin)
        );
        assert_eq!(
            Role::parse(OrgKind::Customer, "global_admin"),
            Ok(Role::CustomerGlobalAdmin)
        );
        assert!(Role::parse(OrgKind::Customer, "sales_agent").is_err());
    }

    #[test]
    fn every_role_name_parses_back_for_its_kind() {
        use Role::*;
        for r in [
            OperatorAdmin,
            PartnerGlobalAdmin,
            AdminAgent,
            SalesAgent,
            HelpdeskAgent,
            BillingAdmin,
            CustomerGlobalAdmin,
            CustomerUser,
        ] {
            assert_eq!(Role::parse(r.org_kind(), r.as_str()), Ok(r));
        }
    }
}
