//! Subscriptions a partner sold: list, read, suspend and reactivate, change seats and names,
//! and the customer's support contacts (its partners with an active relationship).

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{OrgKind, Partner};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::subscription::{Subscription, SubscriptionStatus};
use partnerdesk_domain::values::Name;
use partnerdesk_domain::{CustomerId, DomainError, PartnerId, SubscriptionId};
use partnerdesk_store::Tx;

use crate::access::active_relationship;
use crate::audit::Change;
use crate::{App, AppError, AppResult, Caller};

/// What a client asks to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionPatch {
    pub status: Option<SubscriptionStatus>,
    pub friendly_name: Option<String>,
    pub quantity: Option<i64>,
    pub auto_renew: Option<bool>,
}

/// What a bulk change did to one subscription.
#[derive(Debug, Clone)]
pub struct BulkOutcome {
    pub subscription: Subscription,
    /// False when it already had the status asked for.
    pub changed: bool,
}

/// The subscription of `customer`, visible to the caller: a partner sees those it sold
/// (or resold) while its relationship is active; a customer user sees its own.
async fn visible_subscription(
    tx: &mut dyn Tx,
    caller: &Caller,
    customer: CustomerId,
    id: SubscriptionId,
    lock: bool,
) -> AppResult<Subscription> {
    // Another customer's admin learns nothing about this customer's subscriptions, not
    // even which ids it asked for: the same answer as for a customer it cannot see.
    if caller.org_kind == OrgKind::Customer && caller.org_id.0 != customer.0 {
        return Err(AppError::NotFound("customer"));
    }
    let found = if lock {
        tx.lock_subscription(id).await?
    } else {
        tx.find_subscription(id).await?
    };
    let sub = found
        .filter(|s| s.customer_id == customer)
        .ok_or(AppError::NotFound("subscription"))?;
    match caller.org_kind {
        OrgKind::Partner if sub.belongs_to(PartnerId(caller.org_id.0)) => Ok(sub),
        OrgKind::Customer if caller.org_id.0 == customer.0 => Ok(sub),
        OrgKind::Operator => Ok(sub),
        _ => Err(AppError::NotFound("subscription")),
    }
}

impl App {
    /// A customer's subscriptions as the caller may see them, in id order.
    pub async fn list_subscriptions(&self, caller: &Caller, customer: CustomerId) -> AppResult<Vec<Subscription>> {
        let mut tx = self.read().await?;
        let all = tx.list_customer_subscriptions(customer).await?;
        match caller.org_kind {
            OrgKind::Partner => {
                caller.authorize(Action::ViewSubscriptions)?;
                let partner = PartnerId(caller.org_id.0);
                active_relationship(tx.as_mut(), partner, customer, false).await?;
                Ok(all.into_iter().filter(|s| s.belongs_to(partner)).collect())
            }
            OrgKind::Customer if caller.org_id.0 == customer.0 => Ok(all),
            OrgKind::Operator => Ok(all),
            OrgKind::Customer => Err(AppError::NotFound("customer")),
        }
    }

    /// One subscription.
    pub async fn get_subscription(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
    ) -> AppResult<Subscription> {
        let mut tx = self.read().await?;
        if caller.org_kind == OrgKind::Partner {
            caller.authorize(Action::ViewSubscriptions)?;
            active_relationship(tx.as_mut(), PartnerId(caller.org_id.0), customer, false).await?;
        }
        visible_subscription(tx.as_mut(), caller, customer, id, false).await
    }

    /// Partner: changes a subscription it sold. Only the fields in `patch` change; a
    /// reactivation needs an active relationship (rule 4) and is ordered against a
    /// concurrent removal by the relationship lock (rule 9).
    pub async fn update_subscription(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
        patch: SubscriptionPatch,
        expected_version: Option<i64>,
    ) -> AppResult<Subscription> {
        self.change_subscription(caller, customer, id, patch, expected_version)
            .await
            .map(|(sub, _)| sub)
    }

    /// [`App::update_subscription`], also telling whether anything changed.
    async fn change_subscription(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
        patch: SubscriptionPatch,
        expected_version: Option<i64>,
    ) -> AppResult<(Subscription, bool)> {
        caller.authorize(Action::ManageSubscriptions)?;
        let partner = caller.partner_id(Action::ManageSubscriptions)?;
        let now = self.now();
        let mut tx = self.write().await?;
        active_relationship(tx.as_mut(), partner, customer, true).await?;
        let before = visible_subscription(tx.as_mut(), caller, customer, id, true).await?;
        if expected_version.is_some_and(|v| v != before.version) {
            return Err(AppError::VersionConflict("subscription"));
        }
        if before.status == SubscriptionStatus::Deleted {
            return Err(DomainError::SubscriptionDeleted.into());
        }
        let mut sub = before.clone();
        let mut changed = false;
        if let Some(q) = patch.quantity {
            let offer = tx.find_offer(sub.offer_id).await?.ok_or(AppError::NotFound("offer"))?;
            changed |= sub.set_quantity(q, &offer, now)?;
        }
        if let Some(name) = &patch.friendly_name {
            let name = Name::parse("friendlyName", name)?.as_str().to_string();
            if name != sub.friendly_name {
                sub.friendly_name = name;
                changed = true;
            }
        }
        if let Some(auto) = patch.auto_renew {
            if auto != sub.auto_renew {
                sub.auto_renew = auto;
                changed = true;
            }
        }
        if let Some(status) = patch.status {
            changed |= match status {
                SubscriptionStatus::Suspended => sub.suspend(now)?,
                SubscriptionStatus::Active => sub.reactivate(now)?,
                SubscriptionStatus::Deleted => sub.delete(now)?,
                SubscriptionStatus::Expired => {
                    return Err(DomainError::InvalidProperty {
                        property: "status",
                        reason: partnerdesk_domain::Reason::ExpiresByItself,
                    }
                    .into())
                }
            };
        }
        if !changed {
            return Ok((before, false));
        }
        sub.updated_at = now;
        tx.update_subscription(&sub).await?;
        sub.version += 1;
        let change = Change::new(Some(caller), Operation::UpdateSubscription, sub.id)
            .partner(partner)
            .customer(customer);
        self.record(tx.as_mut(), change, Some(&before), Some(&sub)).await?;
        tx.commit().await?;
        Ok((sub, true))
    }

    /// Partner: suspends a subscription it sold.
    pub async fn suspend_subscription(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
    ) -> AppResult<Subscription> {
        let patch = SubscriptionPatch {
            status: Some(SubscriptionStatus::Suspended),
            ..Default::default()
        };
        self.update_subscription(caller, customer, id, patch, None).await
    }

    /// Partner: reactivates a suspended subscription it sold.
    pub async fn reactivate_subscription(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
    ) -> AppResult<Subscription> {
        let patch = SubscriptionPatch {
            status: Some(SubscriptionStatus::Active),
            ..Default::default()
        };
        self.update_subscription(caller, customer, id, patch, None).await
    }

    /// Expires a subscription: a system change (the end of its term), made by no caller.
    /// The move is the subscription state machine's (an active or suspended one expires, an
    /// expired one stays as it is, a deleted one is refused); the change is audited as
    /// `expire_subscription` and published as `subscription-updated`.
    pub async fn expire_subscription(&self, id: SubscriptionId) -> AppResult<Subscription> {
        let now = self.now();
        let mut tx = self.write().await?;
        let before = tx
            .lock_subscription(id)
            .await?
            .ok_or(AppError::NotFound("subscription"))?;
        let mut sub = before.clone();
        if !sub.expire(now)? {
            return Ok(before);
        }
        tx.update_subscription(&sub).await?;
        sub.version += 1;
        let change = Change::new(None, Operation::ExpireSubscription, sub.id)
            .partner(sub.partner_id)
            .customer(sub.customer_id);
        self.record(tx.as_mut(), change, Some(&before), Some(&sub)).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// The customer's available support contacts: its partners with an active relationship.
    pub async fn available_support_contacts(&self, caller: &Caller, customer: CustomerId) -> AppResult<Vec<Partner>> {
        let mut tx = self.read().await?;
        match caller.org_kind {
            OrgKind::Partner => {
                active_relationship(tx.as_mut(), PartnerId(caller.org_id.0), customer, false).await?;
            }
            OrgKind::Customer if caller.org_id.0 == customer.0 => {}
            OrgKind::Operator => {}
            OrgKind::Customer => return Err(AppError::NotFound("customer")),
        }
        let mut partners = Vec::new();
        for rel in tx
            .list_customer_relationships(customer)
            .await?
            .into_iter()
            .filter(|r| r.is_active())
        {
            if let Some(p) = tx.find_partner(rel.partner_id).await? {
                partners.push(p);
            }
        }
        Ok(partners)
    }

    /// Partner: names the support contact of a subscription it sold; it must be one of
    /// the customer's available support contacts.
    pub async fn update_subscription_support_contact(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
        support: PartnerId,
    ) -> AppResult<Subscription> {
        caller.authorize(Action::ManageSubscriptions)?;
        let partner = caller.partner_id(Action::ManageSubscriptions)?;
        let mut tx = self.write().await?;
        active_relationship(tx.as_mut(), partner, customer, true).await?;
        let before = visible_subscription(tx.as_mut(), caller, customer, id, true).await?;
        if tx.find_active_relationship(support, customer).await?.is_none() {
            return Err(DomainError::InvalidProperty {
                property: "supportTenantId",
                reason: partnerdesk_domain::Reason::NotASupportContact,
            }
            .into());
        }
        let mut sub = before.clone();
        sub.support_partner_id = Some(support);
        sub.updated_at = self.now();
        tx.update_subscription(&sub).await?;
        sub.version += 1;
        let change = Change::new(Some(caller), Operation::UpdateSubscriptionSupportContact, sub.id)
            .partner(partner)
            .customer(customer);
        self.record(tx.as_mut(), change, Some(&before), Some(&sub)).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// The partner assigned as a subscription's support contact, if any.
    pub async fn support_contact(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
    ) -> AppResult<Option<Partner>> {
        let mut tx = self.read().await?;
        if caller.org_kind == OrgKind::Partner {
            caller.authorize(Action::ViewSubscriptions)?;
            active_relationship(tx.as_mut(), PartnerId(caller.org_id.0), customer, false).await?;
        }
        let sub = visible_subscription(tx.as_mut(), caller, customer, id, false).await?;
        match sub.support_partner_id {
            Some(p) => Ok(tx.find_partner(p).await?),
            None => Ok(None),
        }
    }

    /// Partner: names the support contact of a subscription it sold (as
    /// [`App::update_subscription_support_contact`]) and returns that partner.
    pub async fn assign_support_contact(
        &self,
        caller: &Caller,
        customer: CustomerId,
        id: SubscriptionId,
        support: PartnerId,
    ) -> AppResult<Partner> {
        self.update_subscription_support_contact(caller, customer, id, support)
            .await?;
        let mut tx = self.read().await?;
        tx.find_partner(support).await?.ok_or(AppError::NotFound("partner"))
    }

    /// Partner: moves many subscriptions of a customer to `status`, one at a time. Each
    /// gets its own outcome: a refusal of one does not stop the others. A caller without an
    /// active relationship with the customer is refused as a whole.
    pub async fn bulk_update_subscription_status(
        &self,
        caller: &Caller,
        customer: CustomerId,
        ids: &[SubscriptionId],
        status: SubscriptionStatus,
    ) -> AppResult<Vec<(SubscriptionId, AppResult<BulkOutcome>)>> {
        // A caller that may not act for the customer at all is refused as a whole, before
        // any subscription is looked at, so it learns nothing item by item.
        caller.authorize(Action::ManageSubscriptions)?;
        let partner = caller.partner_id(Action::ManageSubscriptions)?;
        {
            let mut tx = self.read().await?;
            active_relationship(tx.as_mut(), partner, customer, false).await?;
        }
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let patch = SubscriptionPatch {
                status: Some(status),
                ..Default::default()
            };
            let result = self
                .change_subscription(caller, customer, id, patch, None)
                .await
                .map(|(subscription, changed)| BulkOutcome { subscription, changed });
            out.push((id, result));
        }
        Ok(out)
    }
}
