//! Removal planning (rules 3 and 4, and offboarding): given a relationship and everything
//! that hangs on it, either the subscriptions that block removal or the complete list of
//! effects. The store applies a plan in one transaction; offboarding previews the same plan.

use serde::Serialize;

use crate::error::DomainError;
use crate::ids::{DapId, GdapId, RelationshipId, SubscriptionId};
use crate::relationship::{DapGrant, GdapRelationship, Relationship};
use crate::subscription::{Subscription, SubscriptionStatus};

/// What hangs on a relationship, as loaded (and locked) by the caller.
#[derive(Debug, Clone, Copy)]
pub struct RemovalContext<'a> {
    pub relationship: &'a Relationship,
    /// The customer's subscriptions (any partner); only the relationship's partner's count.
    pub subscriptions: &'a [Subscription],
    /// DAP grants between the two (ended ones are ignored).
    pub dap: &'a [DapGrant],
    /// GDAP relationships between the two (final ones are ignored).
    pub gdap: &'a [GdapRelationship],
}

/// Everything a removal does, listed before it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalPlan {
    pub relationship_id: RelationshipId,
    /// Active subscriptions that offboarding suspends first (empty for a plain removal).
    pub subscriptions_to_suspend: Vec<SubscriptionId>,
    /// Subscriptions whose support-contact assignment names the partner and is cleared.
    pub support_assignments_to_clear: Vec<SubscriptionId>,
    /// DAP grants that end.
    pub dap_to_end: Vec<DapId>,
    /// GDAP relationships that move to `terminated`.
    pub gdap_to_terminate: Vec<GdapId>,
}

/// The active subscriptions that block a plain removal (rule 3), oldest first.
pub fn blocking_subscriptions(ctx: &RemovalContext<'_>) -> Vec<SubscriptionId> {
    let partner = ctx.relationship.partner_id;
    let mut ids: Vec<SubscriptionId> = ctx
        .subscriptions
        .iter()
        .filter(|s| {
            s.customer_id == ctx.relationship.customer_id
                && s.belongs_to(partner)
                && s.status == SubscriptionStatus::Active
        })
        .map(|s| s.id)
        .collect();
    ids.sort();
    ids
}

fn plan(ctx: &RemovalContext<'_>, subscriptions_to_suspend: Vec<SubscriptionId>) -> RemovalPlan {
    let rel = ctx.relationship;
    let mut support: Vec<SubscriptionId> = ctx
        .subscriptions
        .iter()
        .filter(|s| s.customer_id == rel.customer_id && s.support_partner_id == Some(rel.partner_id))
        .map(|s| s.id)
        .collect();
    support.sort();
    let dap_to_end = ctx
        .dap
        .iter()
        .filter(|d| d.partner_id == rel.partner_id && d.customer_id == rel.customer_id && d.ended_at.is_none())
        .map(|d| d.id)
        .collect();
    let gdap_to_terminate = ctx
        .gdap
        .iter()
        .filter(|g| g.partner_id == rel.partner_id && g.customer_id == Some(rel.customer_id) && !g.status.is_final())
        .map(|g| g.id)
        .collect();
    RemovalPlan {
        relationship_id: rel.id,
        subscriptions_to_suspend,
        support_assignments_to_clear: support,
        dap_to_end,
        gdap_to_terminate,
    }
}

/// Plans a plain removal: refused while any subscription of the partner is active (rule 3).
pub fn plan_removal(ctx: &RemovalContext<'_>) -> Result<RemovalPlan, DomainError> {
    if !ctx.relationship.is_active() {
        return Err(DomainError::NoActiveRelationship);
    }
    let blocking = blocking_subscriptions(ctx);
    if !blocking.is_empty() {
        return Err(DomainError::ActiveSubscriptionsExist { ids: blocking });
    }
    Ok(plan(ctx, Vec::new()))
}

/// Plans offboarding: suspend every active subscription of the partner, then remove.
pub fn plan_offboarding(ctx: &RemovalContext<'_>) -> Result<RemovalPlan, DomainError> {
    if !ctx.relationship.is_active() {
        return Err(DomainError::NoActiveRelationship);
    }
    Ok(plan(ctx, blocking_subscriptions(ctx)))
}
