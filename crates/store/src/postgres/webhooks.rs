//! Webhook registrations and deliveries. Claims take rows `FOR UPDATE SKIP LOCKED` and lease
//! them, so any number of nodes deliver and each delivery is taken by one at a time.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use partnerdesk_domain::audit::OutboxEvent;
use partnerdesk_domain::webhook::{WebhookDelivery, WebhookRegistration, WebhookUrl};
use partnerdesk_domain::{EventId, OrgId, WebhookDeliveryId, WebhookRegistrationId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;
use uuid::Uuid;

use super::rows::{split_list, Cols};
use super::trail::{event_from_row, EVENT_COLUMNS};
use super::PgTx;
use super::{db_err, limit};
use crate::{AttemptOutcome, NewWebhookDelivery, StoreError, StoreResult, WebhookStore};

const REGISTRATION_COLUMNS: &str = "id, org_id, url, events, secret, created_at, updated_at";
const DELIVERY_COLUMNS: &str = "d.id, d.registration_id, d.event_id, e.event_type, d.event_at, d.attempts, \
                                d.next_attempt_at, d.delivered_at, d.parked_at, d.last_error, d.http_status, d.created_at";

/// A delivery that may go now (see the SQLite twin).
const DUE: &str = "d.delivered_at IS NULL AND d.parked_at IS NULL AND d.next_attempt_at <= $1
    AND (d.leased_until IS NULL OR d.leased_until <= $1)
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
        WHERE p.registration_id = d.registration_id AND p.resource_key = d.resource_key
          AND p.delivered_at IS NULL AND (p.event_at, p.event_id, p.id) < (d.event_at, d.event_id, d.id))";

fn registration_from_row(row: &PgRow) -> StoreResult<WebhookRegistration> {
    let c = Cols::new(row, "webhook_registrations");
    Ok(WebhookRegistration {
        id: c.id("id")?,
        org_id: c.id("org_id")?,
        url: c.parse("url", WebhookUrl::parse)?,
        events: split_list(&c.get::<String>("events")?).map(str::to_string).collect(),
        secret: c.get("secret")?,
        created_at: c.get("created_at")?,
        updated_at: c.get("updated_at")?,
    })
}

fn delivery_from_row(row: &PgRow) -> StoreResult<WebhookDelivery> {
    let c = Cols::new(row, "webhook_deliveries");
    Ok(WebhookDelivery {
        id: c.id("id")?,
        registration_id: c.id("registration_id")?,
        event_id: c.id("event_id")?,
        event_type: c.get("event_type")?,
        event_at: c.get("event_at")?,
        attempts: u32::try_from(c.get::<i64>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: c.get("next_attempt_at")?,
        delivered_at: c.get("delivered_at")?,
        parked_at: c.get("parked_at")?,
        last_error: c.get("last_error")?,
        http_status: c.get::<Option<i32>>("http_status")?.and_then(|s| u16::try_from(s).ok()),
        created_at: c.get("created_at")?,
    })
}

fn found(n: u64) -> StoreResult<()> {
    if n == 0 {
        Err(StoreError::NotFound("webhook registration"))
    } else {
        Ok(())
    }
}

fn sql(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(text)
}

#[async_trait]
impl WebhookStore for PgTx {
    async fn insert_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!(
            "INSERT INTO webhook_registrations ({REGISTRATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )))
        .bind(r.id.uuid())
        .bind(r.org_id.uuid())
        .bind(r.url.as_str())
        .bind(r.events.join(","))
        .bind(r.secret.as_str())
        .bind(r.created_at)
        .bind(r.updated_at)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn update_webhook_registration(&mut self, r: &WebhookRegistration) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query("UPDATE webhook_registrations SET url = $2, events = $3, updated_at = $4 WHERE id = $1")
            .bind(r.id.uuid())
            .bind(r.url.as_str())
            .bind(r.events.join(","))
            .bind(r.updated_at)
            .execute(conn)
            .await
            .map_err(db_err)?;
        found(done.rows_affected())
    }

    async fn delete_webhook_registration(&mut self, id: WebhookRegistrationId) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("DELETE FROM webhook_deliveries WHERE registration_id = $1")
            .bind(id.uuid())
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        let done = sqlx::query("DELETE FROM webhook_registrations WHERE id = $1")
            .bind(id.uuid())
            .execute(conn)
            .await
            .map_err(db_err)?;
        found(done.rows_affected())
    }

    async fn find_webhook_registration(
        &mut self,
        id: WebhookRegistrationId,
    ) -> StoreResult<Option<WebhookRegistration>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!(
            "SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations WHERE id = $1"
        )))
        .bind(id.uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(registration_from_row)
        .transpose()
    }

    async fn list_webhook_registrations(&mut self, orgs: Option<&[OrgId]>) -> StoreResult<Vec<WebhookRegistration>> {
        let conn: &mut PgConnection = &mut self.tx;
        let rows = match orgs {
            None => sqlx::query(sql(format!(
                "SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations ORDER BY id"
            )))
            .fetch_all(conn)
            .await
            .map_err(db_err)?,
            Some(orgs) => sqlx::query(sql(format!(
                "SELECT {REGISTRATION_COLUMNS} FROM webhook_registrations WHERE org_id = ANY($1) ORDER BY id"
            )))
            .bind(orgs.iter().map(|o| o.uuid()).collect::<Vec<_>>())
            .fetch_all(conn)
            .await
            .map_err(db_err)?,
        };
        rows.iter().map(registration_from_row).collect()
    }

    async fn claim_unqueued_events(&mut self, n: u32) -> StoreResult<Vec<OutboxEvent>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!(
            "SELECT {EVENT_COLUMNS} FROM outbox_events WHERE webhooks_queued_at IS NULL
             ORDER BY at, id LIMIT $1 FOR UPDATE SKIP LOCKED"
        )))
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(event_from_row)
        .collect()
    }

    async fn mark_events_queued(&mut self, ids: &[EventId], at: DateTime<Utc>) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("UPDATE outbox_events SET webhooks_queued_at = $2 WHERE id = ANY($1)")
            .bind(ids.iter().map(|i| i.uuid()).collect::<Vec<_>>())
            .bind(at)
            .execute(conn)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn insert_webhook_deliveries(&mut self, deliveries: &[NewWebhookDelivery]) -> StoreResult<()> {
        if deliveries.is_empty() {
            return Ok(());
        }
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, registration_id, event_id, resource_key, event_at, next_attempt_at,
                                             created_at)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[],
                                  $6::timestamptz[], $7::timestamptz[])",
        )
        .bind(deliveries.iter().map(|d| d.id.uuid()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.registration_id.uuid()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.event_id.uuid()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.resource_key.clone()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.event_at).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.next_attempt_at).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.created_at).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn webhook_work_due(&mut self, now: DateTime<Utc>) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let row = sqlx::query(sql(format!(
            "SELECT EXISTS (SELECT 1 FROM outbox_events WHERE webhooks_queued_at IS NULL)
                 OR EXISTS (SELECT 1 FROM webhook_deliveries d WHERE {DUE}) AS due"
        )))
        .bind(now)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
        Cols::new(&row, "webhook_deliveries").get("due")
    }

    async fn claim_webhook_deliveries(
        &mut self,
        now: DateTime<Utc>,
        lease: Uuid,
        until: DateTime<Utc>,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let conn: &mut PgConnection = &mut self.tx;
        let ids: Vec<Uuid> = sqlx::query(sql(format!(
            "UPDATE webhook_deliveries SET lease_id = $2, leased_until = $3
             WHERE id IN (SELECT d.id FROM webhook_deliveries d WHERE {DUE}
                          ORDER BY d.event_at, d.event_id, d.id LIMIT $4 FOR UPDATE SKIP LOCKED)
             RETURNING id"
        )))
        .bind(now)
        .bind(lease)
        .bind(until)
        .bind(limit(n))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| Cols::new(row, "webhook_deliveries").get::<Uuid>("id"))
        .collect::<StoreResult<_>>()?;
        sqlx::query(sql(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE d.id = ANY($1) ORDER BY d.event_at, d.event_id, d.id"
        )))
        .bind(ids)
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn finish_webhook_attempt(
        &mut self,
        id: WebhookDeliveryId,
        lease: Uuid,
        outcome: &AttemptOutcome,
    ) -> StoreResult<bool> {
        let conn: &mut PgConnection = &mut self.tx;
        let (delivered, next, parked, error, status) = outcome.columns();
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $3,
                    next_attempt_at = COALESCE($4, next_attempt_at), parked_at = $5, last_error = $6,
                    http_status = $7, lease_id = NULL, leased_until = NULL
             WHERE id = $1 AND lease_id = $2",
        )
        .bind(id.uuid())
        .bind(lease)
        .bind(delivered)
        .bind(next)
        .bind(parked)
        .bind(error)
        .bind(status.map(i32::from))
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn list_webhook_deliveries(
        &mut self,
        registration: WebhookRegistrationId,
        n: u32,
    ) -> StoreResult<Vec<WebhookDelivery>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE d.registration_id = $1 ORDER BY d.id DESC LIMIT $2"
        )))
        .bind(registration.uuid())
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn list_event_deliveries(&mut self, event: EventId) -> StoreResult<Vec<WebhookDelivery>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE d.event_id = $1 ORDER BY d.id"
        )))
        .bind(event.uuid())
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn redeliver_parked(
        &mut self,
        registration: WebhookRegistrationId,
        only: Option<WebhookDeliveryId>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let conn: &mut PgConnection = &mut self.tx;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET parked_at = NULL, attempts = 0, next_attempt_at = $2
             WHERE registration_id = $1 AND parked_at IS NOT NULL AND delivered_at IS NULL
               AND ($3::uuid IS NULL OR id = $3)",
        )
        .bind(registration.uuid())
        .bind(now)
        .bind(only.map(|d| d.uuid()))
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn find_event(&mut self, id: EventId) -> StoreResult<Option<OutboxEvent>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sql(format!("SELECT {EVENT_COLUMNS} FROM outbox_events WHERE id = $1")))
            .bind(id.uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(event_from_row)
            .transpose()
    }

    async fn list_org_events(
        &mut self,
        org: OrgId,
        since: DateTime<Utc>,
        after: Option<(DateTime<Utc>, EventId)>,
        n: u32,
    ) -> StoreResult<Vec<OutboxEvent>> {
        let conn: &mut PgConnection = &mut self.tx;
        let (after_at, after_id) = match after {
            Some((at, id)) => (at, id.uuid()),
            None => (since, Uuid::nil()),
        };
        sqlx::query(sql(format!(
            "SELECT {EVENT_COLUMNS} FROM outbox_events WHERE (partner_id = $1 OR customer_id = $1)
               AND at >= $2 AND (at, id) > ($3, $4) ORDER BY at, id LIMIT $5"
        )))
        .bind(org.uuid())
        .bind(since)
        .bind(after_at)
        .bind(after_id)
        .bind(limit(n))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(event_from_row)
        .collect()
    }
}
