//! The trail of a change: its audit record and, when its operation publishes one, its outbox
//! event, written in the change's transaction. Every use case goes through [`App::record`]
//! (or [`App::record_all`]); the names come from [`Operation`], never from a string.

use std::future::Future;

use partnerdesk_domain::audit::{Application, AuditRecord, Operation, OutboxEvent, SUCCEEDED};
use partnerdesk_domain::{AuditId, CustomerId, EventId, PartnerId};
use partnerdesk_store::Tx;
use serde::Serialize;

tokio::task_local! {
    /// The `MS-CorrelationId` of the request this task is running, if any.
    static CORRELATION_ID: String;
}

/// Runs `f` (a request) with its correlation id, which every audit record it writes
/// carries as `originalCorrelationId`.
pub async fn with_correlation_id<F: Future>(correlation_id: String, f: F) -> F::Output {
    CORRELATION_ID.scope(correlation_id, f).await
}

fn correlation_id() -> Option<String> {
    CORRELATION_ID.try_with(Clone::clone).ok()
}

use crate::{App, AppResult, Caller};

/// What a change is: its operation, who made it, and the resource it touched.
pub(crate) struct Change<'a> {
    pub operation: Operation,
    pub resource_id: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub caller: Option<&'a Caller>,
}

impl<'a> Change<'a> {
    pub fn new(caller: Option<&'a Caller>, operation: Operation, id: impl ToString) -> Self {
        Self {
            operation,
            resource_id: id.to_string(),
            partner_id: None,
            customer_id: None,
            caller,
        }
    }
    pub fn partner(mut self, partner: PartnerId) -> Self {
        self.partner_id = Some(partner);
        self
    }
    pub fn customer(mut self, customer: CustomerId) -> Self {
        self.customer_id = Some(customer);
        self
    }
    pub fn partner_opt(mut self, partner: Option<PartnerId>) -> Self {
        self.partner_id = partner;
        self
    }
    pub fn customer_opt(mut self, customer: Option<CustomerId>) -> Self {
        self.customer_id = customer;
        self
    }

    /// The change with the resource before and after it (either may be absent).
    pub fn with<B: Serialize, A: Serialize>(self, before: Option<&B>, after: Option<&A>) -> Recorded<'a> {
        Recorded {
            change: self,
            before: before.and_then(json),
            after: after.and_then(json),
        }
    }
}

/// A change with the resource before and after it, as JSON, ready to be recorded.
pub(crate) struct Recorded<'a> {
    change: Change<'a>,
    before: Option<String>,
    after: Option<String>,
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

impl App {
    /// Queues an event that records no change (a webhook test): in the outbox, already
    /// taken by the webhook fan-out, which leaves its deliveries to the caller.
    pub(crate) async fn queue_webhook_event(
        &self,
        tx: &mut dyn Tx,
        event_type: &str,
        resource_type: &str,
        partner_id: Option<PartnerId>,
        customer_id: Option<CustomerId>,
    ) -> AppResult<OutboxEvent> {
        let id = EventId(self.new_id());
        let event = OutboxEvent {
            id,
            at: self.now(),
            event_type: event_type.to_string(),
            partner_id,
            customer_id,
            payload: "{}".into(),
            resource_type: resource_type.to_string(),
            resource_id: id.to_string(),
            audit_id: None,
        };
        tx.insert_events(std::slice::from_ref(&event)).await?;
        tx.mark_events_queued(&[id], event.at).await?;
        Ok(event)
    }

    /// Records one change in `tx`: its audit record and, when its operation publishes one,
    /// its event (the resource after the change, or before it when it is gone).
    pub(crate) async fn record<B: Serialize, A: Serialize>(
        &self,
        tx: &mut dyn Tx,
        change: Change<'_>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> AppResult<()> {
        self.record_all(tx, vec![change.with(before, after)]).await
    }

    /// Records many changes in `tx` as [`App::record`] does: the audit records in one
    /// statement, the events in another, each in the order of the changes.
    pub(crate) async fn record_all(&self, tx: &mut dyn Tx, changes: Vec<Recorded<'_>>) -> AppResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut access_keys = Vec::new();
        for Recorded { change, .. } in &changes {
            let access = crate::access_check::affected(change.operation, change.partner_id);
            let callers = crate::auth::affected_callers(change.operation, &change.resource_id, change.caller);
            for key in access.into_iter().chain(callers) {
                if !access_keys.contains(&key) {
                    access_keys.push(key);
                }
            }
        }
        let at = self.now();
        let correlation_id = correlation_id();
        let mut names: Vec<(CustomerId, Option<String>)> = Vec::new();
        let mut audits = Vec::with_capacity(changes.len());
        let mut events = Vec::new();
        for Recorded { change, before, after } in changes {
            let op = change.operation;
            let event = op.event_name().map(|event_type| {
                events.push(OutboxEvent {
                    id: EventId(self.new_id()),
                    at,
                    event_type: event_type.to_string(),
                    partner_id: change.partner_id,
                    customer_id: change.customer_id,
                    payload: after.clone().or_else(|| before.clone()).unwrap_or_else(|| "{}".into()),
                    resource_type: op.resource_type().to_string(),
                    resource_id: change.resource_id.clone(),
                    audit_id: None,
                });
                events.len() - 1
            });
            let customer_name = match change.customer_id {
                None => None,
                Some(id) => match names.iter().find(|(c, _)| *c == id) {
                    Some((_, name)) => name.clone(),
                    None => {
                        let name = tx
                            .find_customer(id)
                            .await?
                            .map(|c| c.company.company_name.as_str().to_string());
                        names.push((id, name.clone()));
                        name
                    }
                },
            };
            let audit_id = AuditId(self.new_id());
            if let Some(e) = event {
                events[e].audit_id = Some(audit_id);
            }
            audits.push(AuditRecord {
                id: audit_id,
                at,
                actor_user_id: change.caller.map(|c| c.user_id),
                actor_org_id: change.caller.map(|c| c.org_id),
                operation: op.audit_name().to_string(),
                resource_type: op.resource_type().to_string(),
                resource_id: change.resource_id,
                partner_id: change.partner_id,
                customer_id: change.customer_id,
                before,
                after,
                customer_name,
                actor_upn: change.caller.map(|c| c.upn.clone()),
                application: Some(
                    change
                        .caller
                        .map_or(Application::Job, |c| c.application.clone())
                        .as_text(),
                ),
                correlation_id: correlation_id.clone(),
                status: SUCCEEDED.to_string(),
                link: None,
            });
        }
        // Each record joins its organisation's chain, in the order of the changes; the
        // heads stay locked until the transaction ends, so no other writer forks a chain.
        let heads = partnerdesk_store::link_onto_chains(tx, &mut audits).await?;
        tx.insert_audits(&audits).await?;
        tx.update_audit_chains(&heads).await?;
        tx.insert_events(&events).await?;
        // A change that affects delegated access, or what a bearer token authenticates as,
        // keeps every node's cache from answering for it until it has ended
        // (access_check/signals.rs).
        self.guard_access(tx, access_keys).await
    }
}
