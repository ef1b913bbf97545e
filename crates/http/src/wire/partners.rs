//! Partners, their users, partner relationships, invitations, the customer's view of its
//! partners, and removal/offboarding results on the wire.

use partnerdesk_app::delegated::AdminRolesRemoved;
use partnerdesk_app::operator::{NewPartnerInput, NewUserInput};
use partnerdesk_app::partners_of_customer::PartnerOfCustomer;
use partnerdesk_app::removal::{OffboardingPreview, Removed};
use partnerdesk_app::requests::{Accepted, InvitationView};
use partnerdesk_app::users::UserPatch;
use partnerdesk_domain::org::{Partner, PartnerType, User};
use partnerdesk_domain::request::RelationshipRequest;
use partnerdesk_domain::subscription::Subscription;
use partnerdesk_domain::PartnerId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{id_property, time, Attributes, SelfLinks};
use crate::error::ApiResult;

/// The `Partner` resource (an extension).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnerWire {
    pub id: String,
    pub name: String,
    pub partner_type: &'static str,
    pub creation_date: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

impl From<&Partner> for PartnerWire {
    fn from(p: &Partner) -> Self {
        let id = p.id.to_string();
        Self {
            links: SelfLinks::to(format!("/v1/partners/{id}")),
            name: p.name.as_str().to_string(),
            partner_type: p.partner_type.as_str(),
            creation_date: time(p.created_at),
            attributes: Attributes::versioned("Partner", p.version),
            id,
        }
    }
}

/// The first admin of a new partner.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct AdminBody {
    pub email: String,
    pub password: String,
    #[schema(rename = "displayName", min_length = 1)]
    pub displayname: Option<String>,
}

/// `POST /v1/partners`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct NewPartnerBody {
    #[schema(min_length = 1)]
    pub name: String,
    #[schema(rename = "partnerType")]
    pub partnertype: String,
    pub admin: AdminBody,
    #[schema(rename = "indirectProviderId")]
    pub indirectproviderid: Option<String>,
}

impl NewPartnerBody {
    /// The partner the body asks for; a malformed `indirectProviderId` is refused naming it.
    pub fn into_input(self) -> ApiResult<NewPartnerInput> {
        let provider: Option<PartnerId> = self
            .indirectproviderid
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| id_property(s, "indirectProviderId"))
            .transpose()?;
        Ok(NewPartnerInput {
            name: self.name,
            partner_type: self.partnertype.trim().to_ascii_lowercase(),
            admin_email: self.admin.email,
            admin_password: self.admin.password,
            admin_name: self.admin.displayname,
            indirect_provider_id: provider,
        })
    }
}

/// The `User` resource (an extension).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserWire {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<&'static str>,
    pub locale: String,
    pub attributes: Attributes,
}

impl From<&User> for UserWire {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_string(),
            display_name: u.display_name.as_str().to_string(),
            roles: u.roles.iter().map(|r| r.as_str()).collect(),
            locale: u.locale.as_str().to_string(),
            attributes: Attributes::versioned("User", u.version),
        }
    }
}

/// `POST /v1/partners/{id}/users`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct NewUserBody {
    pub email: String,
    pub password: String,
    #[schema(rename = "displayName", min_length = 1)]
    pub displayname: Option<String>,
    pub roles: Vec<String>,
    pub locale: Option<String>,
}

impl From<NewUserBody> for NewUserInput {
    fn from(body: NewUserBody) -> Self {
        Self {
            email: body.email,
            password: body.password,
            display_name: body.displayname,
            roles: body.roles,
            locale: body.locale,
        }
    }
}

/// `PATCH /v1/partners/{id}/users/{uid}`: the fields sent change, the rest stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct UserPatchBody {
    pub email: Option<String>,
    /// A new password (at least the strength a new user's needs).
    pub password: Option<String>,
    #[schema(rename = "displayName", min_length = 1)]
    pub displayname: Option<String>,
    pub roles: Option<Vec<String>>,
    pub locale: Option<String>,
    /// With a new password: also revoke the user's personal API tokens. Every password
    /// change ends the user's dashboard sessions and refresh tokens, and its access tokens
    /// stop working. Resetting another user's password always revokes its API tokens
    /// (`false` is refused); users changing their own choose, and absent means `true`.
    #[schema(rename = "revokeApiTokens")]
    pub revokeapitokens: Option<bool>,
}

impl From<UserPatchBody> for UserPatch {
    fn from(body: UserPatchBody) -> Self {
        Self {
            email: body.email,
            password: body.password,
            display_name: body.displayname,
            roles: body.roles,
            locale: body.locale,
            revoke_api_tokens: body.revokeapitokens,
        }
    }
}

/// The `PartnerRelationship` resource: a partner related to the caller or a customer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnerRelationshipWire {
    pub id: String,
    pub name: String,
    pub relationship_type: &'static str,
    pub state: &'static str,
    pub attributes: Attributes,
}

impl PartnerRelationshipWire {
    /// `p` in a relationship of the given type.
    pub fn new(p: &Partner, relationship_type: &'static str) -> Self {
        Self {
            id: p.id.to_string(),
            name: p.name.as_str().to_string(),
            relationship_type,
            state: "active",
            attributes: Attributes::of("PartnerRelationship"),
        }
    }

    /// How `p` relates to a customer, named by its partner type.
    pub fn of_customer(p: &Partner) -> Self {
        let t = match p.partner_type {
            PartnerType::IndirectReseller => "is_indirect_reseller_of",
            PartnerType::IndirectProvider => "is_indirect_cloud_solution_provider_of",
            PartnerType::Direct => "none",
        };
        Self::new(p, t)
    }
}

/// What an invitation asks for, and from whom.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationWire {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub partner_type: &'static str,
    pub includes_delegated_admin: bool,
    pub state: &'static str,
    pub expires_at: String,
    pub attributes: Attributes,
}

impl From<&InvitationView> for InvitationWire {
    fn from(v: &InvitationView) -> Self {
        Self {
            id: v.request.id.to_string(),
            partner_id: v.partner.id.to_string(),
            partner_name: v.partner.name.as_str().to_string(),
            partner_type: v.partner.partner_type.as_str(),
            includes_delegated_admin: v.request.include_dap,
            state: v.state.as_str(),
            expires_at: time(v.request.expires_at),
            attributes: Attributes::of("Invitation"),
        }
    }
}

/// An answered invitation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationAnswerWire {
    pub id: String,
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship_id: Option<String>,
    pub partner_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegated_admin: Option<bool>,
    pub attributes: Attributes,
}

impl InvitationAnswerWire {
    /// An accepted invitation: the relationship it opened.
    pub fn accepted(a: &Accepted) -> Self {
        Self {
            id: a.relationship.id.to_string(),
            state: "accepted",
            relationship_id: Some(a.relationship.id.to_string()),
            partner_id: a.relationship.partner_id.to_string(),
            delegated_admin: Some(a.dap.is_some()),
            attributes: Attributes::of("InvitationAnswer"),
        }
    }

    /// A declined invitation.
    pub fn declined(r: &RelationshipRequest) -> Self {
        Self {
            id: r.id.to_string(),
            state: r.state.as_str(),
            relationship_id: None,
            partner_id: r.partner_id.to_string(),
            delegated_admin: None,
            attributes: Attributes::of("InvitationAnswer"),
        }
    }
}

/// One of the customer's partners, as the customer sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyPartnerWire {
    pub partner_id: String,
    pub name: String,
    pub state: &'static str,
    pub since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    /// What the partner may do now: `reseller`, `delegated_admin`, `granular_admin`.
    pub rights: Vec<&'static str>,
    pub attributes: Attributes,
}

impl From<&PartnerOfCustomer> for MyPartnerWire {
    fn from(p: &PartnerOfCustomer) -> Self {
        let active = p.state == partnerdesk_domain::relationship::RelationshipState::Active;
        let mut rights = Vec::new();
        if active {
            rights.push("reseller");
        }
        if p.dap {
            rights.push("delegated_admin");
        }
        if p.gdap_active > 0 {
            rights.push("granular_admin");
        }
        Self {
            partner_id: p.partner.id.to_string(),
            name: p.partner.name.as_str().to_string(),
            state: p.state.as_str(),
            since: time(p.since),
            closed_at: p.closed_at.map(time),
            rights,
            attributes: Attributes::of("CustomerPartner"),
        }
    }
}

/// What ended when a customer removed a partner's admin roles.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminRolesRemovedWire {
    pub partner_id: String,
    pub dap_ended: usize,
    pub gdap_terminated: usize,
    pub attributes: Attributes,
}

impl AdminRolesRemovedWire {
    /// The answer for partner `partner_id`.
    pub fn new(partner_id: String, r: &AdminRolesRemoved) -> Self {
        Self {
            partner_id,
            dap_ended: r.dap_ended,
            gdap_terminated: r.gdap_terminated,
            attributes: Attributes::of("AdminRolesRemoval"),
        }
    }
}

/// A finished removal (or offboarding): the closed relationship and what was done.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemovalWire {
    pub relationship_id: String,
    pub partner_id: String,
    pub customer_id: String,
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    pub suspended_subscription_ids: Vec<String>,
    pub cleared_support_assignments: Vec<String>,
    pub dap_ended: usize,
    pub gdap_terminated: usize,
    pub attributes: Attributes,
}

impl From<&Removed> for RemovalWire {
    fn from(r: &Removed) -> Self {
        let rel = &r.relationship;
        Self {
            relationship_id: rel.id.to_string(),
            partner_id: rel.partner_id.to_string(),
            customer_id: rel.customer_id.to_string(),
            state: rel.state.as_str(),
            closed_at: rel.closed_at.map(time),
            suspended_subscription_ids: r.plan.subscriptions_to_suspend.iter().map(|i| i.to_string()).collect(),
            cleared_support_assignments: r
                .plan
                .support_assignments_to_clear
                .iter()
                .map(|i| i.to_string())
                .collect(),
            dap_ended: r.plan.dap_to_end.len(),
            gdap_terminated: r.plan.gdap_to_terminate.len(),
            attributes: Attributes::of("RelationshipRemoval"),
        }
    }
}

/// A subscription named in an offboarding preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRef {
    pub id: String,
    pub friendly_name: String,
    pub quantity: i64,
    pub status: &'static str,
}

impl From<&Subscription> for SubscriptionRef {
    fn from(s: &Subscription) -> Self {
        Self {
            id: s.id.to_string(),
            friendly_name: s.friendly_name.clone(),
            quantity: s.quantity,
            status: s.status.as_str(),
        }
    }
}

/// Everything offboarding will do, before it does it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OffboardingPreviewWire {
    pub relationship_id: String,
    pub customer_id: String,
    pub subscriptions_to_suspend: Vec<SubscriptionRef>,
    pub support_assignments_to_clear: Vec<SubscriptionRef>,
    pub dap_grants_to_end: usize,
    pub gdap_relationships_to_terminate: Vec<String>,
    pub attributes: Attributes,
}

impl From<&OffboardingPreview> for OffboardingPreviewWire {
    fn from(p: &OffboardingPreview) -> Self {
        Self {
            relationship_id: p.relationship.id.to_string(),
            customer_id: p.relationship.customer_id.to_string(),
            subscriptions_to_suspend: p.subscriptions_to_suspend.iter().map(SubscriptionRef::from).collect(),
            support_assignments_to_clear: p
                .support_assignments_to_clear
                .iter()
                .map(SubscriptionRef::from)
                .collect(),
            dap_grants_to_end: p.dap_to_end.len(),
            gdap_relationships_to_terminate: p.gdap_to_terminate.iter().map(|g| g.id.to_string()).collect(),
            attributes: Attributes::of("OffboardingPreview"),
        }
    }
}

/// `POST /v1/customers/{id}/offboarding` and the customer-side removal: an optional reason.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub struct ReasonBody {
    pub reason: Option<String>,
}
