//! The append-only trail: audit records and outbox events.

use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::{AuditId, CustomerId, OrgId, PartnerId, UserId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::rows::Cols;
use super::PgTx;
use super::{db_err, limit, page_start};
use crate::StoreResult;
use crate::TrailStore;
use async_trait::async_trait;

fn audit_from_row(row: &PgRow) -> StoreResult<AuditRecord> {
    let r = Cols::new(row, "audit_records");
    Ok(AuditRecord {
        id: r.id("id")?,
        at: r.get("at")?,
        actor_user_id: r.id_opt("actor_user_id")?,
        actor_org_id: r.id_opt("actor_org_id")?,
        operation: r.get("operation")?,
        resource_type: r.get("resource_type")?,
        resource_id: r.get("resource_id")?,
        partner_id: r.id_opt("partner_id")?,
        customer_id: r.id_opt("customer_id")?,
        before: r.get("before_json")?,
        after: r.get("after_json")?,
    })
}

fn event_from_row(row: &PgRow) -> StoreResult<OutboxEvent> {
    let r = Cols::new(row, "outbox_events");
    Ok(OutboxEvent {
        id: r.id("id")?,
        at: r.get("at")?,
        event_type: r.get("event_type")?,
        partner_id: r.id_opt("partner_id")?,
        customer_id: r.id_opt("customer_id")?,
        payload: r.get("payload")?,
    })
}

#[async_trait]
impl TrailStore for PgTx {
    async fn insert_audit(&mut self, a: &AuditRecord) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO audit_records (id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id,
                                    partner_id, customer_id, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(a.id.uuid())
        .bind(a.at)
        .bind(a.actor_user_id.map(UserId::uuid))
        .bind(a.actor_org_id.map(OrgId::uuid))
        .bind(a.operation.as_str())
        .bind(a.resource_type.as_str())
        .bind(a.resource_id.as_str())
        .bind(a.partner_id.map(PartnerId::uuid))
        .bind(a.customer_id.map(CustomerId::uuid))
        .bind(a.before.as_deref())
        .bind(a.after.as_deref())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    // Many audit records in one statement: one array per column, unnested into rows.
    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        if records.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO audit_records (id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id,
                                    partner_id, customer_id, before_json, after_json)
         SELECT * FROM UNNEST($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
                              $7::text[], $8::uuid[], $9::uuid[], $10::text[], $11::text[])",
        )
        .bind(records.iter().map(|a| a.id.uuid()).collect::<Vec<_>>())
        .bind(records.iter().map(|a| a.at).collect::<Vec<_>>())
        .bind(
            records
                .iter()
                .map(|a| a.actor_user_id.map(UserId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(
            records
                .iter()
                .map(|a| a.actor_org_id.map(OrgId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(records.iter().map(|a| a.operation.clone()).collect::<Vec<_>>())
        .bind(records.iter().map(|a| a.resource_type.clone()).collect::<Vec<_>>())
        .bind(records.iter().map(|a| a.resource_id.clone()).collect::<Vec<_>>())
        .bind(
            records
                .iter()
                .map(|a| a.partner_id.map(PartnerId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(
            records
                .iter()
                .map(|a| a.customer_id.map(CustomerId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(records.iter().map(|a| a.before.clone()).collect::<Vec<_>>())
        .bind(records.iter().map(|a| a.after.clone()).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_audit(
        &mut self,
        customer: Option<CustomerId>,
        after: Option<AuditId>,
        page: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        let Some(start) = page_start(after.map(AuditId::uuid)) else {
            return Ok(Vec::new());
        };
        // Two statements so each walks its own index: audit_records_customer or the primary key.
        let rows = match customer {
            Some(customer) => {
                sqlx::query(
                    "SELECT id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, partner_id,
                        customer_id, before_json, after_json
                 FROM audit_records WHERE customer_id = $1 AND id >= $2 ORDER BY id LIMIT $3",
                )
                .bind(customer.uuid())
                .bind(start)
                .bind(limit(page))
                .fetch_all(conn)
                .await
            }
            None => {
                sqlx::query(
                    "SELECT id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, partner_id,
                        customer_id, before_json, after_json
                 FROM audit_records WHERE id >= $1 ORDER BY id LIMIT $2",
                )
                .bind(start)
                .bind(limit(page))
                .fetch_all(conn)
                .await
            }
        }
        .map_err(db_err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn insert_event(&mut self, e: &OutboxEvent) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "INSERT INTO outbox_events (id, at, event_type, partner_id, customer_id, payload)
         VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.id.uuid())
        .bind(e.at)
        .bind(e.event_type.as_str())
        .bind(e.partner_id.map(PartnerId::uuid))
        .bind(e.customer_id.map(CustomerId::uuid))
        .bind(e.payload.as_str())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    // Many outbox events in one statement: one array per column, unnested into rows.
    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        if events.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO outbox_events (id, at, event_type, partner_id, customer_id, payload)
         SELECT * FROM UNNEST($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::uuid[], $6::text[])",
        )
        .bind(events.iter().map(|e| e.id.uuid()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.at).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.event_type.clone()).collect::<Vec<_>>())
        .bind(
            events
                .iter()
                .map(|e| e.partner_id.map(PartnerId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| e.customer_id.map(CustomerId::uuid))
                .collect::<Vec<_>>(),
        )
        .bind(events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_pending_events(&mut self, page: u32) -> StoreResult<Vec<OutboxEvent>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "SELECT id, at, event_type, partner_id, customer_id, payload
         FROM outbox_events WHERE delivered_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(limit(page))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(event_from_row)
        .collect()
    }
}
