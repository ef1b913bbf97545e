//! Removing a reseller relationship (rules 3, 4, 7, 8) and offboarding. Both plan with
//! `partnerdesk_domain::removal` and apply the plan here, in one transaction that holds the
//! lock on the relationship row: the change, its audit record and its events commit
//! together or not at all.

use partnerdesk_domain::audit::Operation;
use partnerdesk_domain::org::{OrgKind, Role};
use partnerdesk_domain::permission::Action;
use partnerdesk_domain::relationship::{ClosedBySide, DapGrant, GdapRelationship, Relationship};
use partnerdesk_domain::removal::{plan_offboarding, plan_removal, RemovalContext, RemovalPlan};
use partnerdesk_domain::subscription::Subscription;
use partnerdesk_domain::values::Note;
use partnerdesk_domain::{CustomerId, DomainError, PartnerId};
use partnerdesk_store::Tx;
use serde::Serialize;

use crate::access::active_relationship;
use crate::audit::Change;
use crate::mail::Message;
use crate::{App, AppError, AppResult, Caller};

/// What hangs on a relationship, loaded inside the transaction.
struct Loaded {
    relationship: Relationship,
    subscriptions: Vec<Subscription>,
    dap: Vec<DapGrant>,
    gdap: Vec<GdapRelationship>,
}

impl Loaded {
    fn context(&self) -> RemovalContext<'_> {
        RemovalContext {
            relationship: &self.relationship,
            subscriptions: &self.subscriptions,
            dap: &self.dap,
            gdap: &self.gdap,
        }
    }
}

/// A finished removal: the closed relationship and what was done.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub relationship: Relationship,
    pub plan: RemovalPlan,
}

/// Everything offboarding will do, with the rows it touches, for the partner to confirm.
#[derive(Debug, Clone, Serialize)]
pub struct OffboardingPreview {
    pub plan: RemovalPlan,
    pub relationship: Relationship,
    pub subscriptions_to_suspend: Vec<Subscription>,
    pub support_assignments_to_clear: Vec<Subscription>,
    pub dap_to_end: Vec<DapGrant>,
    pub gdap_to_terminate: Vec<GdapRelationship>,
}

/// Which relationship the partner-side caller acts on: its own, or (for an indirect
/// provider) one of its resellers' (rule 7: a reseller's removal goes through its provider).
async fn acting_partner(tx: &mut dyn Tx, caller: &Caller, on_behalf_of: Option<PartnerId>) -> AppResult<PartnerId> {
    let own = caller.partner_id(Action::RemoveRelationship)?;
    match on_behalf_of {
        None => Ok(own),
        Some(p) if p == own => Ok(own),
        Some(reseller) if tx.find_provider_of(reseller).await? == Some(own) => Ok(reseller),
        Some(_) => Err(DomainError::InvalidProperty {
            property: "partnerId",
            reason: partnerdesk_domain::Reason::NotYourReseller,
        }
        .into()),
    }
}

async fn load(tx: &mut dyn Tx, partner: PartnerId, customer: CustomerId) -> AppResult<Loaded> {
    let relationship = active_relationship(tx, partner, customer, true).await?;
    let subscriptions = tx.list_customer_subscriptions(customer).await?;
    let dap = tx.list_dap(partner, customer).await?;
    let gdap = tx.list_gdap(partner, customer).await?;
    Ok(Loaded {
        relationship,
        subscriptions,
        dap,
        gdap,
    })
}

fn reason(raw: Option<&str>) -> AppResult<String> {
    Ok(Note::parse("reason", raw.unwrap_or(""))?.as_str().to_string())
}

impl App {
    /// Applies a plan: suspends what it lists, clears support assignments, ends DAP and
    /// GDAP, closes the relationship, and records every one of these changes (the audit
    /// records in one statement, and their events).
    async fn apply_removal(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        loaded: Loaded,
        plan: RemovalPlan,
        reason: String,
        operation: Operation,
    ) -> AppResult<Removed> {
        let now = self.now();
        let before = loaded.relationship.clone();
        let (partner, customer) = (before.partner_id, before.customer_id);
        let change = |operation: Operation, id: String| {
            Change::new(Some(caller), operation, id)
                .partner(partner)
                .customer(customer)
        };
        let mut changes = Vec::new();
        for mut sub in loaded.subscriptions {
            let suspend = plan.subscriptions_to_suspend.contains(&sub.id);
            let clear = plan.support_assignments_to_clear.contains(&sub.id);
            if !suspend && !clear {
                continue;
            }
            let sub_before = sub.clone();
            if suspend {
                sub.suspend(now)?;
            }
            if clear {
                sub.support_partner_id = None;
            }
            sub.updated_at = now;
            tx.update_subscription(&sub).await?;
            sub.version += 1;
            // A suspension is a subscription update (with its event); clearing the support
            // assignment alone is a support-contact change.
            let operation = if suspend {
                Operation::UpdateSubscription
            } else {
                Operation::UpdateSubscriptionSupportContact
            };
            changes.push(change(operation, sub.id.to_string()).with(Some(&sub_before), Some(&sub)));
        }
        for dap in loaded.dap.iter().filter(|d| plan.dap_to_end.contains(&d.id)) {
            tx.end_dap(dap.id, now, Some(caller.user_id)).await?;
            changes.push(change(Operation::TerminateDap, dap.id.to_string()).with(Some(dap), None::<&()>));
        }
        for id in loaded
            .gdap
            .iter()
            .map(|g| g.id)
            .filter(|id| plan.gdap_to_terminate.contains(id))
        {
            // Locked and read again: the delegated admin job may have changed it since.
            let Some(mut gdap) = tx.lock_gdap(id).await? else {
                continue;
            };
            let gdap_before = gdap.clone();
            if !gdap.terminate_for_removal(now) {
                continue;
            }
            tx.update_gdap(&gdap).await?;
            gdap.version += 1;
            changes.push(change(Operation::TerminateGdap, gdap.id.to_string()).with(Some(&gdap_before), Some(&gdap)));
        }
        let mut relationship = before.clone();
        relationship.close(caller.user_id, now, reason)?;
        tx.update_relationship(&relationship).await?;
        relationship.version += 1;
        changes.push(change(operation, relationship.id.to_string()).with(Some(&before), Some(&relationship)));
        self.record_all(tx, changes).await?;
        self.mail_removal(tx, partner, customer).await?;
        Ok(Removed { relationship, plan })
    }

    /// Tells the customer's global admins that `partner`'s reseller relationship with it was
    /// removed, whichever side removed it.
    async fn mail_removal(&self, tx: &mut dyn Tx, partner: PartnerId, customer: CustomerId) -> AppResult<()> {
        if !self.mail_enabled() {
            return Ok(());
        }
        let (Some(p), Some(c)) = (tx.find_partner(partner).await?, tx.find_customer(customer).await?) else {
            return Ok(());
        };
        let to = self
            .mail_to_roles(
                tx,
                customer.into(),
                &[Role::CustomerGlobalAdmin],
                Some(c.company.culture.as_str()),
            )
            .await?;
        let message = Message::RelationshipRemoved {
            partner: p.name.as_str().to_string(),
            customer: c.company.company_name.as_str().to_string(),
            date: self.now().format("%Y-%m-%d").to_string(),
        };
        self.queue_mail(tx, &to, &message).await
    }

    /// Partner: removes its reseller relationship with a customer. Refused while it has
    /// any active subscription with the customer, naming them (rule 3).
    pub async fn remove_relationship(
        &self,
        caller: &Caller,
        customer: CustomerId,
        reason_text: Option<&str>,
        on_behalf_of: Option<PartnerId>,
    ) -> AppResult<Removed> {
        self.remove_relationship_if(caller, customer, reason_text, on_behalf_of, None)
            .await
    }

    /// As [`App::remove_relationship`], refused with `VersionConflict` when the
    /// relationship's version is not `expected_version` (an `If-Match` the client sent).
    pub async fn remove_relationship_if(
        &self,
        caller: &Caller,
        customer: CustomerId,
        reason_text: Option<&str>,
        on_behalf_of: Option<PartnerId>,
        expected_version: Option<i64>,
    ) -> AppResult<Removed> {
        caller.authorize(Action::RemoveRelationship)?;
        let reason = reason(reason_text)?;
        let mut tx = self.write().await?;
        let partner = acting_partner(tx.as_mut(), caller, on_behalf_of).await?;
        let loaded = load(tx.as_mut(), partner, customer).await?;
        if expected_version.is_some_and(|v| v != loaded.relationship.version) {
            return Err(AppError::VersionConflict("customer"));
        }
        let plan = plan_removal(&loaded.context())?;
        let removed = self
            .apply_removal(tx.as_mut(), caller, loaded, plan, reason, Operation::RemoveRelationship)
            .await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Partner: what offboarding would do, without doing it.
    pub async fn offboarding_preview(&self, caller: &Caller, customer: CustomerId) -> AppResult<OffboardingPreview> {
        caller.authorize(Action::RemoveRelationship)?;
        let mut tx = self.read().await?;
        let partner = acting_partner(tx.as_mut(), caller, None).await?;
        let relationship = active_relationship(tx.as_mut(), partner, customer, false).await?;
        let loaded = Loaded {
            relationship,
            subscriptions: tx.list_customer_subscriptions(customer).await?,
            dap: tx.list_dap(partner, customer).await?,
            gdap: tx.list_gdap(partner, customer).await?,
        };
        let plan = plan_offboarding(&loaded.context())?;
        let pick = |ids: &[partnerdesk_domain::SubscriptionId]| -> Vec<Subscription> {
            loaded
                .subscriptions
                .iter()
                .filter(|s| ids.contains(&s.id))
                .cloned()
                .collect()
        };
        Ok(OffboardingPreview {
            subscriptions_to_suspend: pick(&plan.subscriptions_to_suspend),
            support_assignments_to_clear: pick(&plan.support_assignments_to_clear),
            dap_to_end: loaded
                .dap
                .iter()
                .filter(|d| plan.dap_to_end.contains(&d.id))
                .cloned()
                .collect(),
            gdap_to_terminate: loaded
                .gdap
                .iter()
                .filter(|g| plan.gdap_to_terminate.contains(&g.id))
                .cloned()
                .collect(),
            relationship: loaded.relationship.clone(),
            plan,
        })
    }

    /// Partner: suspends every active subscription it has with the customer and removes
    /// the relationship, in one transaction.
    pub async fn offboard_customer(
        &self,
        caller: &Caller,
        customer: CustomerId,
        reason_text: Option<&str>,
    ) -> AppResult<Removed> {
        caller.authorize(Action::RemoveRelationship)?;
        let reason = reason(reason_text)?;
        let mut tx = self.write().await?;
        let partner = acting_partner(tx.as_mut(), caller, None).await?;
        let loaded = load(tx.as_mut(), partner, customer).await?;
        let plan = plan_offboarding(&loaded.context())?;
        let removed = self
            .apply_removal(tx.as_mut(), caller, loaded, plan, reason, Operation::OffboardCustomer)
            .await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Customer global admin: ends a partner's reseller relationship from its side
    /// (rule 8), under the same precondition and with the same effects as rule 3 and 4.
    pub async fn end_relationship_as_customer(
        &self,
        caller: &Caller,
        partner: PartnerId,
        reason_text: Option<&str>,
    ) -> AppResult<Removed> {
        caller.authorize(Action::EndRelationshipAsCustomer)?;
        let customer = caller.customer_id(Action::EndRelationshipAsCustomer)?;
        let reason = reason(reason_text)?;
        let mut tx = self.write().await?;
        let loaded = match load(tx.as_mut(), partner, customer).await {
            Err(AppError::Domain(DomainError::NoActiveRelationship) | AppError::NotFound(_)) => {
                return Err(AppError::NotFound("partner"))
            }
            other => other?,
        };
        let plan = plan_removal(&loaded.context())?;
        let removed = self
            .apply_removal(
                tx.as_mut(),
                caller,
                loaded,
                plan,
                reason,
                Operation::EndRelationshipAsCustomer,
            )
            .await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// The relationship history with a customer: a partner that still works with it sees
    /// its own relationships (active and closed); the customer sees all of its partners'.
    pub async fn relationship_history(&self, caller: &Caller, customer: CustomerId) -> AppResult<Vec<Relationship>> {
        let mut tx = self.read().await?;
        visible_history(tx.as_mut(), caller, customer).await
    }

    /// As [`App::relationship_history`], each relationship with who closed it: the side
    /// (partner or customer) always, the person's name only when it is a user of the
    /// caller's own organisation. Partners need the right to view customers.
    pub async fn relationship_history_entries(
        &self,
        caller: &Caller,
        customer: CustomerId,
    ) -> AppResult<Vec<HistoryEntry>> {
        if caller.org_kind == OrgKind::Partner {
            caller.authorize(Action::ViewCustomers)?;
        }
        let mut tx = self.read().await?;
        let relationships = visible_history(tx.as_mut(), caller, customer).await?;
        history_entries(tx.as_mut(), caller, relationships).await
    }

    /// Partner: the customers it no longer works with (every relationship with them closed),
    /// by customer id, keyset-paged. Read-only: their details are not shown, only that they
    /// were customers, and their history.
    pub async fn list_former_customers(
        &self,
        caller: &Caller,
        after: Option<CustomerId>,
        limit: u32,
    ) -> AppResult<FormerCustomers> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let limit = limit.clamp(1, crate::customers::MAX_PAGE);
        let mut tx = self.read().await?;
        // One row more than asked tells whether another page follows.
        let mut items = tx.list_former_customers(partner, after, limit + 1).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|c| c.id)
        } else {
            None
        };
        Ok(FormerCustomers {
            items: items.into_iter().map(FormerCustomer::from).collect(),
            next,
        })
    }

    /// Partner: a former customer's name and the partner's own (closed) relationships with
    /// it, as the history shows them. Not found unless the partner had a relationship with
    /// the customer and none is active now (an active customer's history is on its page).
    pub async fn former_customer_history(
        &self,
        caller: &Caller,
        customer: CustomerId,
    ) -> AppResult<(FormerCustomer, Vec<HistoryEntry>)> {
        caller.authorize(Action::ViewCustomers)?;
        let partner = caller.partner_id(Action::ViewCustomers)?;
        let mut tx = self.read().await?;
        let own: Vec<Relationship> = tx
            .list_customer_relationships(customer)
            .await?
            .into_iter()
            .filter(|r| r.partner_id == partner)
            .collect();
        if own.is_empty() || own.iter().any(Relationship::is_active) {
            return Err(AppError::NotFound("customer"));
        }
        let found = tx
            .find_customer(customer)
            .await?
            .ok_or(AppError::NotFound("customer"))?;
        let entries = history_entries(tx.as_mut(), caller, own).await?;
        Ok((FormerCustomer::from(found), entries))
    }
}

/// Relationships as history entries, naming who closed each when it was the caller's own
/// organisation.
async fn history_entries(
    tx: &mut dyn Tx,
    caller: &Caller,
    relationships: Vec<Relationship>,
) -> AppResult<Vec<HistoryEntry>> {
    let mut entries = Vec::with_capacity(relationships.len());
    for relationship in relationships {
        let closed_by = match relationship.closed_by {
            Some(user) => tx.find_user(user).await?.map(|u| {
                let own = u.org_id == caller.org_id;
                Closer {
                    side: if u.org_kind == OrgKind::Customer {
                        ClosedBySide::Customer
                    } else {
                        ClosedBySide::Partner
                    },
                    own,
                    name: own.then(|| u.display_name.as_str().to_string()),
                }
            }),
            None => None,
        };
        entries.push(HistoryEntry {
            relationship,
            closed_by,
        });
    }
    Ok(entries)
}

/// A customer the partner no longer works with: what it may still see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormerCustomer {
    pub id: CustomerId,
    pub company_name: String,
    pub domain: String,
}

impl From<partnerdesk_domain::org::Customer> for FormerCustomer {
    fn from(c: partnerdesk_domain::org::Customer) -> Self {
        Self {
            id: c.id,
            company_name: c.company.company_name.as_str().to_string(),
            domain: c.company.domain.as_str().to_string(),
        }
    }
}

/// A page of former customers.
#[derive(Debug, Clone, Serialize)]
pub struct FormerCustomers {
    pub items: Vec<FormerCustomer>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next: Option<CustomerId>,
}

/// One relationship of a customer's history and who closed it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub relationship: Relationship,
    /// Who closed it; `None` while it is active, or when that user no longer exists.
    pub closed_by: Option<Closer>,
}

/// Who closed a relationship, as much as the caller may know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closer {
    /// The partner's side (the partner, or its indirect provider for it) or the customer.
    pub side: ClosedBySide,
    /// The closer is a user of the caller's own organisation.
    pub own: bool,
    /// The closer's name, only when `own`.
    pub name: Option<String>,
}

/// The relationships with `customer` that `caller` may see (see [`App::relationship_history`]).
async fn visible_history(tx: &mut dyn Tx, caller: &Caller, customer: CustomerId) -> AppResult<Vec<Relationship>> {
    let all = tx.list_customer_relationships(customer).await?;
    match caller.org_kind {
        OrgKind::Partner => {
            let partner = PartnerId(caller.org_id.0);
            active_relationship(tx, partner, customer, false).await?;
            Ok(all.into_iter().filter(|r| r.partner_id == partner).collect())
        }
        OrgKind::Customer if caller.org_id.0 == customer.0 => Ok(all),
        OrgKind::Operator => Ok(all),
        OrgKind::Customer => Err(AppError::NotFound("customer")),
    }
}
