//! Webhook registrations and deliveries. One writer at a time (`BEGIN IMMEDIATE`) is what
//! makes a claim exclusive here.

use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::OutboxEvent;
use partnerdesk_domain::webhook::{WebhookDelivery, WebhookRegistration, WebhookUrl};
use partnerdesk_domain::{EventId, OrgId, WebhookDeliveryId, WebhookRegistrationId};
use rusqlite::{params, params_from_iter, Connection, Row};
use uuid::Uuid;

use super::rows::{execute, join, opt_ts, query_all, query_opt, ts, Cols};
use super::trail::{read_event, EVENT_COLUMNS};
use super::tx::SqliteTx;
use crate::{AttemptOutcome, NewWebhookDelivery, StoreError, StoreResult, WebhookStore};
use async_trait::async_trait;

const REGISTRATION_COLUMNS: &str = "id, org_id, url, events, secret, created_at, updated_at";
const DELIVERY_COLUMNS: &str = "d.id, d.registration_id, d.event_id, e.event_type, d.event_at, d.attempts, \
                                d.next_attempt_at, d.delivered_at, d.parked_at, d.last_error, d.http_status, d.created_at";

fn read_registration(row: &Row<'_>) -> StoreResult<WebhookRegistration> {
    let c = Cols::new(row, "webhook_registrations");
    Ok(WebhookRegistration {
        id: c.id("id")?,
        org_id: c.id("org_id")?,
        url: c.parse("url", WebhookUrl::parse)?,
        events: c
            .text("events")?
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        secret: c.text("secret")?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

fn read_delivery(row: &Row<'_>) -> StoreResult<WebhookDelivery> {
    let c = Cols::new(row, "webhook_deliveries");
    Ok(WebhookDelivery {
        id: c.id("id")?,
        registration_id: c.id("registration_id")?,
        event_id: c.id("event_id")?,
        event_type: c.text("event_type")?,
        event_at: c.time("event_at")?,
        attempts: u32::try_from(c.int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: c.time("next_attempt_at")?,
        delivered_at: c.opt_time("delivered_at")?,
        parked_at: c.opt_time("parked_at")?,
        last_error: c.opt_text("last_error")?,
        http_status: c.opt_int("http_status")?.and_then(|s| u16::try_from(s).ok()),
        created_at: c.time("created_at")?,
    })
}

fn insert_registration(conn: &Connection, r: &WebhookRegistration) -> StoreResult<()> {
    execute(
        conn,
        &format!("INSERT INTO webhook_registrations ({REGISTRATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            r.id.to_string(),
            r.org_id.to_string(),
            r.url.as_str(),
            join(&r.events),
            r.secret,
            ts(&r.created_at),
            ts(&r.updated_at)
        ],
    )
    .map(drop)
}

fn update_registration(conn: &Connection, r: &WebhookRegistration) -> StoreResult<()> {
    let n = execute(
        conn,
        "UPDATE webhook_registrations SET url = ?2, events = ?3, updated_at = ?4 WHERE id = ?1",
        params![r.id.to_string(), r.url.as_str(), join(&r.events), ts(&r.updated_at)],
    )?;
    found(n)
}

fn found(n: usize) -> StoreResult<()> {
    if n == 0 {
        Err(StoreError::NotFound("webhook registration"))
    } else {
        Ok(())
    }
}

fn delete_registration(conn: &Connection, id: WebhookRegistrationId) -> StoreResult<()> {
    execute(
        conn,
        "DELETE FROM webhook_deliveries WHERE registration_id = ?1",
        [id.to_string()],
    )?;
    let n = execute(
        conn,
        "DELETE FROM webhook_registrations WHERE id = ?1",
        [id.to_string()],
    )?;
    found(n)
}

fn list_registrations(conn: &Connection, orgs: Option<Vec<OrgId>>) -> StoreResult<Vec<WebhookRegistration>> {
    match orgs {
        None => query_all(
            conn,
            &format!("SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations ORDER BY id"),
            [],
            read_registration,
        ),
        Some(orgs) => {
            let marks: Vec<String> = (1..=orgs.len()).map(|i| format!("?{i}")).collect();
            query_all(
                conn,
                &format!(
                    "SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations WHERE org_id IN ({}) ORDER BY id",
                    marks.join(", ")
                ),
                params_from_iter(orgs.iter().map(ToString::to_string)),
                read_registration,
            )
        }
    }
}

fn insert_deliveries(conn: &Connection, deliveries: &[NewWebhookDelivery]) -> StoreResult<()> {
    for d in deliveries {
        execute(
            conn,
            "INSERT INTO webhook_deliveries (id, registration_id, event_id, resource_key, event_at, next_attempt_at, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.id.to_string(),
                d.registration_id.to_string(),
                d.event_id.to_string(),
                d.resource_key,
                ts(&d.event_at),
                ts(&d.next_attempt_at),
                ts(&d.created_at)
            ],
        )?;
    }
    Ok(())
}

/// A delivery that may go now: due, not leased, and first of its resource for its
/// registration (every earlier event of the resource delivered).
const DUE: &str = "d.delivered_at IS NULL AND d.parked_at IS NULL AND d.next_attempt_at <= ?1
    AND (d.leased_until IS NULL OR d.leased_until <= ?1)
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
        WHERE p.registration_id = d.registration_id AND p.resource_key = d.resource_key
          AND p.delivered_at IS NULL AND (p.event_at, p.event_id, p.id) < (d.event_at, d.event_id, d.id))";

fn work_due(conn: &Connection, now: DateTime<Utc>) -> StoreResult<bool> {
    let unqueued = query_opt(
        conn,
        "SELECT 1 FROM outbox_events WHERE webhooks_queued_at IS NULL LIMIT 1",
        [],
        |_| Ok(()),
    )?;
    if unqueued.is_some() {
        return Ok(true);
    }
    let due = query_opt(
        conn,
        &format!("SELECT 1 FROM webhook_deliveries d WHERE {DUE} LIMIT 1"),
        [ts(&now)],
        |_| Ok(()),
    )?;
    Ok(due.is_some())
}

fn claim(
    conn: &Connection,
    now: DateTime<Utc>,
    lease: Uuid,
    until: DateTime<Utc>,
    n: u32,
) -> StoreResult<Vec<WebhookDelivery>> {
    let ids: Vec<String> = query_all(
        conn,
        &format!("SELECT d.id FROM webhook_deliveries d WHERE {DUE} ORDER BY d.event_at, d.event_id, d.id LIMIT ?2"),
        params![ts(&now), n],
        |row| Cols::new(row, "webhook_deliveries").text("id"),
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        execute(
            conn,
            "UPDATE webhook_deliveries SET lease_id = ?2, leased_until = ?3 WHERE id = ?1",
            params![id, lease.to_string(), ts(&until)],
        )?;
        if let Some(d) = query_opt(
            conn,
            &format!(
                "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id \
                 WHERE d.id = ?1"
            ),
            [id],
            read_delivery,
        )? {
            out.push(d);
        }
    }
    Ok(out)
}

fn finish(conn: &Connection, id: WebhookDeliveryId, lease: Uuid, outcome: &AttemptOutcome) -> StoreResult<bool> {
    let (delivered, next, parked, error, status) = outcome.columns();
    let n = execute(
        conn,
        "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = ?3, \
         next_attempt_at = COALESCE(?4, next_attempt_at), parked_at = ?5, last_error = ?6, http_status = ?7, \
         lease_id = NULL, leased_until = NULL WHERE id = ?1 AND lease_id = ?2",
        params![
            id.to_string(),
            lease.to_string(),
            opt_ts(&delivered),
            opt_ts(&next),
            opt_ts(&parked),
            error,
            status
        ],
    )?;
    Ok(n == 1)
}

fn list_deliveries(
    conn: &Connection,
    registration: WebhookRegistrationId,
    n: u32,
) -> StoreResult<Vec<WebhookDelivery>> {
    query_all(
        conn,
        &format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id \
             WHERE d.registration_id = ?1 ORDER BY d.id DESC LIMIT ?2"
        ),
        params![registration.to_string(), n],
        read_delivery,
    )
}

fn event_deliveries(conn: &Connection, event: EventId) -> StoreResult<Vec<WebhookDelivery>> {
    query_all(
        conn,
        &format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id \
             WHERE d.event_id = ?1 ORDER BY d.id"
        ),
        [event.to_string()],
        read_delivery,
    )
}

fn redeliver(
    conn: &Connection,
    registration: WebhookRegistrationId,
    only: Option<WebhookDeliveryId>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let n = execute(
        conn,
        "UPDATE webhook_deliveries SET parked_at = NULL, attempts = 0, next_attempt_at = ?2 \
         WHERE registration_id = ?1 AND parked_at IS NOT NULL AND delivered_at IS NULL AND (?3 IS NULL OR id = ?3)",
        params![registration.to_string(), ts(&now), only.map(|d| d.to_string())],
    )?;
    Ok(n as u64)
}

#[async_trait]
impl WebhookStore for SqliteTx {
    async fn insert_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()> {
        let r = r.clone();
        self.call(move |c| insert_registration(c, &r)).await
    }

    async fn update_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()> {
        let r = r.clone();
        self.call(move |c| update_registration(c, &r)).await
    }

    async fn delete_webhook_registration(&mut self, id: WebhookRegistrationId) -> StoreResult<()> {
        self.call(move |c| delete_registration(c, id)).await
    }

    async fn find_webhook_registration(
        &mut self,
        id: WebhookRegistrationId,
    ) -> StoreResult<Option<WebhookRegistration>> {
        self.call(move |c| {
            query_opt(
                c,
                &format!("SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations WHERE id = ?1"),
                [id.to_string()],
                read_registration,
            )
        })
        .await
    }

    async fn list_webhook_registrations(&mut self, orgs: Option<&[OrgId]>) -> StoreResult<Vec<WebhookRegistration>> {
        let orgs = orgs.map(<[OrgId]>::to_vec);
        self.call(move |c| list_registrations(c, orgs)).await
    }

    async fn claim_unqueued_events(&mut self, n: u32) -> StoreResult<Vec<OutboxEvent>> {
        self.call(move |c| {
            query_all(
                c,
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM outbox_events WHERE webhooks_queued_at IS NULL ORDER BY at, id LIMIT ?1"
                ),
                [n],
                read_event,
            )
        })
        .await
    }

    async fn mark_events_queued(&mut self, ids: &[EventId], at: DateTime<Utc>) -> StoreResult<()> {
        let ids = ids.to_vec();
        self.call(move |c| {
            for id in ids {
                execute(
                    c,
                    "UPDATE outbox_events SET webhooks_queued_at = ?2 WHERE id = ?1",
                    params![id.to_string(), ts(&at)],
                )?;
            }
            Ok(())
        })
        .await
    }

    async fn insert_webhook_deliveries(&mut self, deliveries: &[NewWebhookDelivery]) -> StoreResult<()> {
        let deliveries = deliveries.to_vec();
        self.call(move |c| insert_deliveries(c, &deliveries)).await
    }

    async fn webhook_work_due(&mut self, now: DateTime<Utc>) -> StoreResult<bool> {
        self.call(move |c| work_due(c, now)).await
    }

    async fn claim_webhook_deliveries(
        &mut self,
        now: DateTime<Utc>,
        lease: Uuid,
        until: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        self.call(move |c| claim(c, now, lease, until, n)).await
    }

    async fn finish_webhook_attempt(
        &mut self,
        id: WebhookDeliveryId,
        lease: Uuid,
        outcome: &AttemptOutcome,
    ) -> StoreResult<bool> {
        let outcome = outcome.clone();
        self.call(move |c| finish(c, id, lease, &outcome)).await
    }

    async fn list_webhook_deliveries(
        &mut self,
        registration: WebhookRegistrationId,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        self.call(move |c| list_deliveries(c, registration, n)).await
    }

    async fn list_event_deliveries(&mut self, event: EventId) -> StoreResult<Vec<WebhookDelivery>> {
        self.call(move |c| event_deliveries(c, event)).await
    }

    async fn redeliver_parked(
        &mut self,
        registration: WebhookRegistrationId,
        only: Option<WebhookDeliveryId>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.call(move |c| redeliver(c, registration, only, now)).await
    }

    async fn find_event(&mut self, id: EventId) -> StoreResult<Option<OutboxEvent>> {
        self.call(move |c| {
            query_opt(
                c,
                &format!("SELECT {EVENT_COLUMNS} FROM outbox_events WHERE id = ?1"),
                [id.to_string()],
                read_event,
            )
        })
        .await
    }

    async fn list_org_events(
        &mut self,
        org: OrgId,
        since: DateTime<Utc>,
        after: Option<(DateTime<Utc>, EventId)>,
        n: u32,
    ) -> StoreResult<Vec<OutboxEvent>> {
        self.call(move |c| {
            let (after_at, after_id) = match after {
                Some((at, id)) => (ts(&at), id.to_string()),
                None => (ts(&since), String::new()),
            };
            query_all(
                c,
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM outbox_events WHERE (partner_id = ?1 OR customer_id = ?1) \
                     AND at >= ?2 AND (at, id) > (?3, ?4) ORDER BY at, id LIMIT ?5"
                ),
                params![org.to_string(), ts(&since), after_at, after_id, n],
                read_event,
            )
        })
        .await
    }
}
