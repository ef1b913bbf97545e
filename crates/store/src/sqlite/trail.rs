//! Rows of the audit log and the event outbox (both append-only here).

use partnerdesk_domain::audit::{AuditRecord, ChainHead, ChainLink, OutboxEvent};
use partnerdesk_domain::values::fold_case;
use partnerdesk_domain::{AuditId, CustomerId, OrgId};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, Row};

use super::db_err;
use super::rows::{after, execute, opt_id, query_all, query_opt, ts, Cols};
use super::tx::SqliteTx;
use crate::{AuditQuery, AuditScope, StoreResult, TrailStore};
use async_trait::async_trait;

const AUDIT_COLUMNS: &str = "id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
                             partner_id, customer_id, before_json, after_json, customer_name, customer_name_key, \
                             actor_upn, application, correlation_id, status, chain_id, seq, prev_hash, hash";
const AUDIT_WIDTH: usize = 21;

const AUDIT_SELECT: &str = "SELECT id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
                            partner_id, customer_id, before_json, after_json, customer_name, actor_upn, application, \
                            correlation_id, status, chain_id, seq, prev_hash, hash FROM audit_records";

fn read_audit(row: &Row<'_>) -> StoreResult<AuditRecord> {
    let c = Cols::new(row, "audit_records");
    let link = match c.opt_id::<OrgId>("chain_id")? {
        None => None,
        Some(chain_id) => Some(ChainLink {
            chain_id,
            seq: c.int("seq")?,
            prev_hash: c.text("prev_hash")?,
            hash: c.text("hash")?,
        }),
    };
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
        customer_name: c.opt_text("customer_name")?,
        actor_upn: c.opt_text("actor_upn")?,
        application: c.opt_text("application")?,
        correlation_id: c.opt_text("correlation_id")?,
        status: c.text("status")?,
        link,
    })
}

/// A record's columns, in [`AUDIT_COLUMNS`] order.
fn audit_values(a: &AuditRecord) -> [Value; AUDIT_WIDTH] {
    let link = a.link.as_ref();
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
        Value::from(a.customer_name.clone()),
        Value::from(a.customer_name.as_deref().map(fold_case)),
        Value::from(a.actor_upn.clone()),
        Value::from(a.application.clone()),
        Value::from(a.correlation_id.clone()),
        Value::from(a.status.clone()),
        Value::from(link.map(|l| l.chain_id.to_string())),
        Value::from(link.map(|l| l.seq)),
        Value::from(link.map(|l| l.prev_hash.clone())),
        Value::from(link.map(|l| l.hash.clone())),
    ]
}

pub(super) fn insert_audit(conn: &Connection, a: &AuditRecord) -> StoreResult<()> {
    insert_audits(conn, std::slice::from_ref(a))
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
    let values = records.iter().flat_map(audit_values).collect();
    insert_rows(
        conn,
        &format!("INSERT INTO audit_records ({AUDIT_COLUMNS}) VALUES "),
        AUDIT_WIDTH,
        values,
    )
}

pub(super) fn find_audit(conn: &Connection, id: AuditId) -> StoreResult<Option<AuditRecord>> {
    query_opt(
        conn,
        &format!("{AUDIT_SELECT} WHERE id = ?1"),
        [id.to_string()],
        read_audit,
    )
}

/// Adds a parameter; its placeholder.
fn push(values: &mut Vec<Value>, v: Value) -> String {
    values.push(v);
    format!("?{}", values.len())
}

/// A page of audit records. The scope picks the index whose range the page reads: the
/// partner's (by resource type when filtered so), the customer's, or every record's.
pub(super) fn query_audit(conn: &Connection, q: &AuditQuery) -> StoreResult<Vec<AuditRecord>> {
    let mut sql = String::from(AUDIT_SELECT);
    let mut values: Vec<Value> = Vec::new();
    let index = match (q.scope, &q.resource_type, q.customer) {
        (AuditScope::Partner(_), _, Some(_)) | (AuditScope::Customer(_), ..) | (AuditScope::All, _, Some(_)) => {
            "audit_records_customer_at"
        }
        (AuditScope::Partner(_), Some(_), None) => "audit_records_partner_type_at",
        (AuditScope::Partner(_), None, None) => "audit_records_partner_at",
        (AuditScope::All, _, None) => "audit_records_at",
    };
    sql.push_str(&format!(" INDEXED BY {index} WHERE at >= "));
    let mut clauses = Vec::new();
    let from = push(&mut values, Value::from(ts(&q.from)));
    let to = push(&mut values, Value::from(ts(&q.to)));
    clauses.push(format!("{from} AND at < {to}"));
    match q.scope {
        AuditScope::All => {}
        AuditScope::Partner(p) => {
            let v = push(&mut values, Value::from(p.to_string()));
            clauses.push(format!("partner_id = {v}"));
        }
        AuditScope::Customer(c) => {
            let v = push(&mut values, Value::from(c.to_string()));
            clauses.push(format!("customer_id = {v}"));
        }
    }
    if let Some(c) = q.customer {
        let v = push(&mut values, Value::from(c.to_string()));
        clauses.push(format!("customer_id = {v}"));
    }
    if let Some(t) = &q.resource_type {
        let v = push(&mut values, Value::from(t.clone()));
        clauses.push(format!("resource_type = {v}"));
    }
    if let Some(text) = &q.company_contains {
        let v = push(&mut values, Value::from(format!("%{}%", like_escaped(&text.folded()))));
        clauses.push(format!("customer_name_key LIKE {v} ESCAPE '\\'"));
    }
    if let Some((at, id)) = &q.after {
        let a = push(&mut values, Value::from(ts(at)));
        let i = push(&mut values, Value::from(id.to_string()));
        clauses.push(format!("(at, id) > ({a}, {i})"));
    }
    let limit = push(&mut values, Value::from(i64::from(q.limit)));
    sql.push_str(&clauses.join(" AND "));
    sql.push_str(&format!(" ORDER BY at, id LIMIT {limit}"));
    query_all(conn, &sql, params_from_iter(values), read_audit)
}

/// `%`, `_` and `\` escaped for `LIKE ... ESCAPE '\'`.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn read_head(row: &Row<'_>) -> StoreResult<ChainHead> {
    let c = Cols::new(row, "audit_chains");
    Ok(ChainHead {
        chain_id: c.id("chain_id")?,
        seq: c.int("seq")?,
        hash: c.text("head_hash")?,
    })
}

// The write transaction (BEGIN IMMEDIATE) already excludes every other writer.
pub(super) fn lock_audit_chains(conn: &Connection, chains: &[OrgId]) -> StoreResult<Vec<ChainHead>> {
    chains
        .iter()
        .map(|chain| {
            let found = query_opt(
                conn,
                "SELECT chain_id, seq, head_hash FROM audit_chains WHERE chain_id = ?1",
                [chain.to_string()],
                read_head,
            )?;
            match found {
                Some(head) => Ok(head),
                None => {
                    let head = ChainHead::empty(*chain);
                    execute(
                        conn,
                        "INSERT INTO audit_chains (chain_id, seq, head_hash) VALUES (?1, ?2, ?3)",
                        params![chain.to_string(), head.seq, head.hash],
                    )?;
                    Ok(head)
                }
            }
        })
        .collect()
}

pub(super) fn update_audit_chains(conn: &Connection, heads: &[ChainHead]) -> StoreResult<()> {
    for head in heads {
        execute(
            conn,
            "UPDATE audit_chains SET seq = ?2, head_hash = ?3 WHERE chain_id = ?1",
            params![head.chain_id.to_string(), head.seq, head.hash],
        )?;
    }
    Ok(())
}

pub(super) fn list_audit_chains(conn: &Connection) -> StoreResult<Vec<ChainHead>> {
    query_all(
        conn,
        "SELECT chain_id, seq, head_hash FROM audit_chains ORDER BY chain_id",
        [],
        read_head,
    )
}

pub(super) fn list_chained_audit(
    conn: &Connection,
    after: Option<(OrgId, i64)>,
    limit: u32,
) -> StoreResult<Vec<AuditRecord>> {
    let (chain, seq) = after.map_or((String::new(), 0), |(c, s)| (c.to_string(), s));
    query_all(
        conn,
        &format!(
            "{AUDIT_SELECT} INDEXED BY audit_records_chain WHERE chain_id IS NOT NULL AND (chain_id, seq) > (?1, ?2) \
             ORDER BY chain_id, seq LIMIT ?3"
        ),
        params![chain, seq, limit],
        read_audit,
    )
}

pub(super) fn list_unchained_audit(conn: &Connection, limit: u32) -> StoreResult<Vec<AuditRecord>> {
    query_all(
        conn,
        &format!("{AUDIT_SELECT} WHERE chain_id IS NULL ORDER BY at, id LIMIT ?1"),
        [limit],
        read_audit,
    )
}

pub(super) fn link_audit(conn: &Connection, records: &[AuditRecord]) -> StoreResult<()> {
    for r in records {
        let Some(l) = &r.link else { continue };
        execute(
            conn,
            "UPDATE audit_records SET chain_id = ?2, seq = ?3, prev_hash = ?4, hash = ?5 WHERE id = ?1",
            params![r.id.to_string(), l.chain_id.to_string(), l.seq, l.prev_hash, l.hash],
        )?;
    }
    Ok(())
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
                Value::from(e.resource_type.clone()),
                Value::from(e.resource_id.clone()),
                Value::from(opt_id(&e.audit_id)),
            ]
        })
        .collect();
    insert_rows(
        conn,
        &format!("INSERT INTO outbox_events ({EVENT_COLUMNS}) VALUES "),
        9,
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

/// The columns of an outbox event, in the order [`read_event`] and [`insert_events`] use.
pub(super) const EVENT_COLUMNS: &str =
    "id, at, event_type, partner_id, customer_id, payload, resource_type, resource_id, audit_id";

pub(super) fn read_event(row: &Row<'_>) -> StoreResult<OutboxEvent> {
    let c = Cols::new(row, "outbox_events");
    Ok(OutboxEvent {
        id: c.id("id")?,
        at: c.time("at")?,
        event_type: c.text("event_type")?,
        partner_id: c.opt_id("partner_id")?,
        customer_id: c.opt_id("customer_id")?,
        payload: c.text("payload")?,
        resource_type: c.text("resource_type")?,
        resource_id: c.text("resource_id")?,
        audit_id: c.opt_id("audit_id")?,
    })
}

pub(super) fn insert_event(conn: &Connection, e: &OutboxEvent) -> StoreResult<()> {
    insert_events(conn, std::slice::from_ref(e))
}

pub(super) fn list_pending_events(conn: &Connection, limit: u32) -> StoreResult<Vec<OutboxEvent>> {
    query_all(
        conn,
        &format!("SELECT {EVENT_COLUMNS} FROM outbox_events WHERE delivered_at IS NULL ORDER BY id LIMIT ?1"),
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

    async fn find_audit(&mut self, id: AuditId) -> StoreResult<Option<AuditRecord>> {
        self.call(move |c| find_audit(c, id)).await
    }

    async fn query_audit(&mut self, query: &AuditQuery) -> StoreResult<Vec<AuditRecord>> {
        let query = query.clone();
        self.call(move |c| query_audit(c, &query)).await
    }

    async fn lock_audit_chains(&mut self, chains: &[OrgId]) -> StoreResult<Vec<ChainHead>> {
        let chains = chains.to_vec();
        self.call(move |c| lock_audit_chains(c, &chains)).await
    }

    async fn update_audit_chains(&mut self, heads: &[ChainHead]) -> StoreResult<()> {
        let heads = heads.to_vec();
        self.call(move |c| update_audit_chains(c, &heads)).await
    }

    async fn list_audit_chains(&mut self) -> StoreResult<Vec<ChainHead>> {
        self.call(list_audit_chains).await
    }

    async fn list_chained_audit(&mut self, after: Option<(OrgId, i64)>, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.call(move |c| list_chained_audit(c, after, limit)).await
    }

    async fn list_unchained_audit(&mut self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.call(move |c| list_unchained_audit(c, limit)).await
    }

    async fn link_audit(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        let records = records.to_vec();
        self.call(move |c| link_audit(c, &records)).await
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
