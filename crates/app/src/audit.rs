//! Building audit records and outbox events for a change, to write in its transaction.

use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::{AuditId, CustomerId, EventId, PartnerId};
use partnerdesk_store::Tx;
use serde::Serialize;

use crate::{App, AppResult, Caller};

/// What a change is, in Partner Center's words.
pub(crate) struct Change<'a> {
    pub operation: &'static str,
    pub resource_type: &'static str,
    pub resource_id: String,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub caller: Option<&'a Caller>,
}

impl<'a> Change<'a> {
    pub fn new(
        caller: Option<&'a Caller>,
        operation: &'static str,
        resource_type: &'static str,
        id: impl ToString,
    ) -> Self {
        Self {
            operation,
            resource_type,
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
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

impl App {
    /// Writes the audit record of a change (before/after as JSON).
    pub(crate) async fn audit<B: Serialize, A: Serialize>(
        &self,
        tx: &mut dyn Tx,
        change: &Change<'_>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> AppResult<()> {
        let record = AuditRecord {
            id: AuditId(self.new_id()),
            at: self.now(),
            actor_user_id: change.caller.map(|c| c.user_id),
            actor_org_id: change.caller.map(|c| c.org_id),
            operation: change.operation.to_string(),
            resource_type: change.resource_type.to_string(),
            resource_id: change.resource_id.clone(),
            partner_id: change.partner_id,
            customer_id: change.customer_id,
            before: before.and_then(json),
            after: after.and_then(json),
        };
        tx.insert_audit(&record).await?;
        Ok(())
    }

    /// Queues an event for webhook subscribers; it is published after the commit.
    pub(crate) async fn emit<P: Serialize>(
        &self,
        tx: &mut dyn Tx,
        event_type: &'static str,
        partner_id: Option<PartnerId>,
        customer_id: Option<CustomerId>,
        payload: &P,
    ) -> AppResult<()> {
        let event = OutboxEvent {
            id: EventId(self.new_id()),
            at: self.now(),
            event_type: event_type.to_string(),
            partner_id,
            customer_id,
            payload: json(payload).unwrap_or_else(|| "{}".into()),
        };
        tx.insert_event(&event).await?;
        Ok(())
    }
}
