//! Rows of the audit log and the event outbox (both append-only here).

use partnerdesk_domain::audit::{AuditRecord, OutboxEvent};
use partnerdesk_domain::{AuditId, CustomerId};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, Row};

use super::db_err;
use super::rows::{after, execute, opt_id, query_all, ts, Cols};
use super::tx::SqliteTx;
use crate::StoreResult;
use crate::TrailStore;
use async_trait::async_trait;

const AUDIT_SELECT: &str = "SELECT id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
                            partner_id, customer_id, before_json, after_json FROM audit_records";

fn read_audit(row: &Row<'_>) -> StoreResult<AuditRecord> {
    let c = Cols::new(row, "audit_records");
    Ok(AuditRecord {
        id: c.id("id")?,
        at: c.time("at")?,
        actor_user_id: c.opt_id("actor_user_id")?,
        actor_org_id: c.opt_id("actor_org_id")?,
        operation: c.text("operation")?,
        resource_type: c.text("resource_type")?,
        resource_id: c.text("resource_id")?,
        partner_id: c.opt_id("partner_id")?,
        customer_id: c.opt_id("customer_id")?,
        before: c.opt_text("before_json")?,
        after: c.opt_text("after_json")?,
    })
}

pub(super) fn insert_audit(conn: &Connection, a: &AuditRecord) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO audit_records (id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
         partner_id, customer_id, before_json, after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            a.id.to_string(),
            ts(&a.at),
            opt_id(&a.actor_user_id),
            opt_id(&a.actor_org_id),
            a.operation,
            a.resource_type,
            a.resource_id,
            opt_id(&a.partner_id),
            opt_id(&a.customer_id),
            a.before,
            a.after
        ],
    )
    .map(drop)
}

/// Rows per statement: at 11 parameters a row this stays far below SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 500;

/// Writes `values` (`width` a row) with `head` (`INSERT INTO t (columns) VALUES `), a
/// multi-row statement per [`ROWS_PER_STATEMENT`]. The caller's transaction makes them all
/// or nothing.
fn insert_rows(conn: &Connection, head: &str, width: usize, values: Vec<Value>) -> StoreResult<()> {
    let mut values = values.into_iter();
    let rows = values.len() / width;
    let mut written = 0;
    while written < rows {
        let n = ROWS_PER_STATEMENT.min(rows - written);
        let marks: Vec<String> = (0..n)
            .map(|row| {
                let cells: Vec<String> = (1..=width).map(|k| format!("?{}", row * width + k)).collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!("{head}{}", marks.join(", "));
        let chunk: Vec<Value> = values.by_ref().take(n * width).collect();
        conn.execute(&sql, params_from_iter(chunk)).map_err(db_err)?;
        written += n;
    }
    Ok(())
}

/// Many audit records, in multi-row statements.
pub(super) fn insert_audits(conn: &Connection, records: &[AuditRecord]) -> StoreResult<()> {
    let values = records
        .iter()
        .flat_map(|a| {
            [
                Value::from(a.id.to_string()),
                Value::from(ts(&a.at)),
                Value::from(opt_id(&a.actor_user_id)),
                Value::from(opt_id(&a.actor_org_id)),
                Value::from(a.operation.clone()),
                Value::from(a.resource_type.clone()),
                Value::from(a.resource_id.clone()),
                Value::from(opt_id(&a.partner_id)),
                Value::from(opt_id(&a.customer_id)),
                Value::from(a.before.clone()),
                Value::from(a.after.clone()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO audit_records (id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
         partner_id, customer_id, before_json, after_json) VALUES ",
        11,
        values,
    )
}

/// Many outbox events, in multi-row statements.
pub(super) fn insert_events(conn: &Connection, events: &[OutboxEvent]) -> StoreResult<()> {
    let values = events
        .iter()
        .flat_map(|e| {
            [
                Value::from(e.id.to_string()),
                Value::from(ts(&e.at)),
                Value::from(e.event_type.clone()),
                Value::from(opt_id(&e.partner_id)),
                Value::from(opt_id(&e.customer_id)),
                Value::from(e.payload.clone()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO outbox_events (id, at, event_type, partner_id, customer_id, payload) VALUES ",
        6,
        values,
    )
}

pub(super) fn list_audit(
    conn: &Connection,
    customer: Option<CustomerId>,
    after_id: Option<AuditId>,
    limit: u32,
) -> StoreResult<Vec<AuditRecord>> {
    match customer {
        None => query_all(
            conn,
            &format!("{AUDIT_SELECT} WHERE id > ?1 ORDER BY id LIMIT ?2"),
            params![after(after_id), limit],
            read_audit,
        ),
        Some(customer) => query_all(
            conn,
            &format!("{AUDIT_SELECT} WHERE customer_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"),
            params![customer.to_string(), after(after_id), limit],
            read_audit,
        ),
    }
}

fn read_event(row: &Row<'_>) -> StoreResult<OutboxEvent> {
    let c = Cols::new(row, "outbox_events");
    Ok(OutboxEvent {
        id: c.id("id")?,
        at: c.time("at")?,
        event_type: c.text("event_type")?,
        partner_id: c.opt_id("partner_id")?,
        customer_id: c.opt_id("customer_id")?,
        payload: c.text("payload")?,
    })
}

pub(super) fn insert_event(conn: &Connection, e: &OutboxEvent) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO outbox_events (id, at, event_type, partner_id, customer_id, payload) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            e.id.to_string(),
            ts(&e.at),
            e.event_type,
            opt_id(&e.partner_id),
            opt_id(&e.customer_id),
            e.payload
        ],
    )
    .map(drop)
}

pub(super) fn list_pending_events(conn: &Connection, limit: u32) -> StoreResult<Vec<OutboxEvent>> {
    query_all(
        conn,
        "SELECT id, at, event_type, partner_id, customer_id, payload FROM outbox_events \
         WHERE delivered_at IS NULL ORDER BY id LIMIT ?1",
        [limit],
        read_event,
    )
}

#[async_trait]
impl TrailStore for SqliteTx {
    async fn insert_audit(&mut self, record: &AuditRecord) -> StoreResult<()> {
        let record = record.clone();
        self.call(move |c| insert_audit(c, &record)).await
    }

    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        let records = records.to_vec();
        self.call(move |c| insert_audits(c, &records)).await
    }

    async fn list_audit(
        &mut self,
        customer: Option<CustomerId>,
        after: Option<AuditId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.call(move |c| list_audit(c, customer, after, limit)).await
    }

    async fn insert_event(&mut self, event: &OutboxEvent) -> StoreResult<()> {
        let event = event.clone();
        self.call(move |c| insert_event(c, &event)).await
    }

    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let events = events.to_vec();
        self.call(move |c| insert_events(c, &events)).await
    }

    async fn list_pending_events(&mut self, limit: u32) -> StoreResult<Vec<OutboxEvent>> {
        self.call(move |c| list_pending_events(c, limit)).await
    }
}
