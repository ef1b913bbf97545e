//! The customer's side: its partners, active and (on request) closed, with their rights,
//! and what ending a partner's relationship or admin roles would do, before it is done.

use chrono::{DateTime, Utc};
use partnerdesk_domain::org::Partner;
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::relationship::{DapGrant, GdapRelationship, GdapStatus, Relationship, RelationshipState};
use partnerdesk_domain::removal::{plan_offboarding, RemovalContext};
use partnerdesk_domain::subscription::Subscription;
use partnerdesk_domain::{DomainError, PartnerId, SubscriptionId};
use serde::Serialize;

use crate::access::active_relationship;
use crate::{App, AppError, AppResult, Caller};

/// One of the customer's partners and what it may do.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerOfCustomer {
    pub partner: Partner,
    pub state: RelationshipState,
    pub since: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Holds DAP now.
    pub dap: bool,
    /// GDAP relationships in force (not ended).
    pub gdap_active: usize,
}

/// What ending a partner's reseller relationship would do, seen from the customer's side
/// (rules 3, 4 and 8), for a confirmation page. The admin-roles part (`dap_to_end`,
/// `gdap_to_terminate`) is also what removing the partner's admin roles ends.
#[derive(Debug, Clone, Serialize)]
pub struct EndRelationshipPreview {
    pub partner: Partner,
    pub relationship: Relationship,
    /// The partner's active subscriptions with the customer: while any is listed, ending
    /// the relationship is refused (rule 3).
    pub blocking_subscriptions: Vec<Subscription>,
    /// Subscriptions whose support contact is the partner; the assignment is cleared.
    pub support_assignments_to_clear: Vec<Subscription>,
    pub dap_to_end: Vec<DapGrant>,
    pub gdap_to_terminate: Vec<GdapRelationship>,
}

impl App {
    /// Customer user: what ending the relationship with `partner` would do, without doing
    /// it. A partner without an active relationship with the caller's organisation is
    /// `NotFound`, as for an unknown id.
    pub async fn end_relationship_as_customer_preview(
        &self,
        caller: &Caller,
        partner: PartnerId,
    ) -> AppResult<EndRelationshipPreview> {
        caller.authorize(Action::ViewOwnPartners)?;
        let customer = caller.customer_id(Action::ViewOwnPartners)?;
        let mut tx = self.read().await?;
        let relationship = match active_relationship(tx.as_mut(), partner, customer, false).await {
            Err(AppError::Domain(DomainError::NoActiveRelationship) | AppError::NotFound(_)) => {
                return Err(AppError::NotFound("partner"))
            }
            other => other?,
        };
        let found = tx.find_partner(partner).await?.ok_or(AppError::NotFound("partner"))?;
        let subscriptions = tx.list_customer_subscriptions(customer).await?;
        let dap = tx.list_dap(partner, customer).await?;
        let gdap = tx.list_gdap(partner, customer).await?;
        // Offboarding's plan is removal's plus the subscriptions that block removal.
        let plan = plan_offboarding(&RemovalContext {
            relationship: &relationship,
            subscriptions: &subscriptions,
            dap: &dap,
            gdap: &gdap,
        })?;
        let pick = |ids: &[SubscriptionId]| -> Vec<Subscription> {
            subscriptions.iter().filter(|s| ids.contains(&s.id)).cloned().collect()
        };
        Ok(EndRelationshipPreview {
            blocking_subscriptions: pick(&plan.subscriptions_to_suspend),
            support_assignments_to_clear: pick(&plan.support_assignments_to_clear),
            dap_to_end: dap.into_iter().filter(|d| plan.dap_to_end.contains(&d.id)).collect(),
            gdap_to_terminate: gdap
                .into_iter()
                .filter(|g| plan.gdap_to_terminate.contains(&g.id))
                .collect(),
            partner: found,
            relationship,
        })
    }

    /// Customer user: its partners. Closed relationships appear only with `include_closed`.
    pub async fn list_my_partners(&self, caller: &Caller, include_closed: bool) -> AppResult<Vec<PartnerOfCustomer>> {
        caller.authorize(Action::ViewOwnPartners)?;
        let customer = caller.customer_id(Action::ViewOwnPartners)?;
        let mut tx = self.read().await?;
        let mut out = Vec::new();
        for rel in tx.list_customer_relationships(customer).await? {
            if !rel.is_active() && !include_closed {
                continue;
            }
            let Some(partner) = tx.find_partner(rel.partner_id).await? else {
                continue;
            };
            let active = rel.is_active();
            let dap = active
                && tx
                    .list_dap(rel.partner_id, customer)
                    .await?
                    .iter()
                    .any(|d| d.ended_at.is_none());
            let gdap_active = if active {
                tx.list_gdap(rel.partner_id, customer)
                    .await?
                    .iter()
                    .filter(|g| matches!(g.status, GdapStatus::Active | GdapStatus::Expiring))
                    .count()
            } else {
                0
            };
            out.push(PartnerOfCustomer {
                partner,
                state: rel.state,
                since: rel.created_at,
                closed_at: rel.closed_at,
                dap,
                gdap_active,
            });
        }
        Ok(out)
    }
}
