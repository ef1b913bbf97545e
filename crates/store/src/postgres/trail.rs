//! The append-only trail: audit records and outbox events.

use partnerdesk_domain::audit::{AuditRecord, ChainHead, ChainLink, OutboxEvent};
use partnerdesk_domain::audit_chain::GENESIS;
use partnerdesk_domain::values::fold_case;
use partnerdesk_domain::{AuditId, CustomerId, OrgId, PartnerId, UserId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::rows::Cols;
use super::PgTx;
use super::{db_err, limit, page_start};
use crate::{AuditQuery, AuditScope, StoreError, StoreResult, TrailStore};
use async_trait::async_trait;

/// The columns of an audit record, as a literal so statements can be built with `concat!`.
macro_rules! audit_select {
    () => {
        "SELECT id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id, \
    partner_id, customer_id, before_json, after_json, customer_name, actor_upn, application, correlation_id, status, \
    chain_id, seq, prev_hash, hash FROM audit_records"
    };
}
const AUDIT_SELECT: &str = audit_select!();

fn audit_from_row(row: &PgRow) -> StoreResult<AuditRecord> {
    let r = Cols::new(row, "audit_records");
    let link = match r.id_opt::<OrgId>("chain_id")? {
        None => None,
        Some(chain_id) => Some(ChainLink {
            chain_id,
            seq: r.get("seq")?,
            prev_hash: r.get("prev_hash")?,
            hash: r.get("hash")?,
        }),
    };
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
        customer_name: r.get("customer_name")?,
        actor_upn: r.get("actor_upn")?,
        application: r.get("application")?,
        correlation_id: r.get("correlation_id")?,
        status: r.get("status")?,
        link,
    })
}

fn head_from_row(row: &PgRow) -> StoreResult<ChainHead> {
    let r = Cols::new(row, "audit_chains");
    Ok(ChainHead {
        chain_id: r.id("chain_id")?,
        seq: r.get("seq")?,
        hash: r.get("head_hash")?,
    })
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

/// The columns of an outbox event, in the order [`event_from_row`] reads.
pub(super) const EVENT_COLUMNS: &str =
    "id, at, event_type, partner_id, customer_id, payload, resource_type, resource_id, audit_id";

pub(super) fn event_from_row(row: &PgRow) -> StoreResult<OutboxEvent> {
    let r = Cols::new(row, "outbox_events");
    Ok(OutboxEvent {
        id: r.id("id")?,
        at: r.get("at")?,
        event_type: r.get("event_type")?,
        partner_id: r.id_opt("partner_id")?,
        customer_id: r.id_opt("customer_id")?,
        payload: r.get("payload")?,
        resource_type: r.get("resource_type")?,
        resource_id: r.get("resource_id")?,
        audit_id: r.id_opt("audit_id")?,
    })
}

#[async_trait]
impl TrailStore for PgTx {
    async fn insert_audit(&mut self, a: &AuditRecord) -> StoreResult<()> {
        self.insert_audits(std::slice::from_ref(a)).await
    }

    // Many audit records in one statement: one array per column, unnested into rows.
    async fn insert_audits(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        if records.is_empty() {
            return Ok(());
        }
        fn col<T>(records: &[AuditRecord], f: impl Fn(&AuditRecord) -> T) -> Vec<T> {
            records.iter().map(f).collect()
        }
        sqlx::query(
            "INSERT INTO audit_records (id, at, actor_user_id, actor_org_id, operation, resource_type, resource_id,
                 partner_id, customer_id, before_json, after_json, customer_name, customer_name_key, actor_upn,
                 application, correlation_id, status, chain_id, seq, prev_hash, hash)
             SELECT * FROM UNNEST($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
                 $7::text[], $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                 $15::text[], $16::text[], $17::text[], $18::uuid[], $19::int8[], $20::text[], $21::text[])",
        )
        .bind(col(records, |a| a.id.uuid()))
        .bind(col(records, |a| a.at))
        .bind(col(records, |a| a.actor_user_id.map(UserId::uuid)))
        .bind(col(records, |a| a.actor_org_id.map(OrgId::uuid)))
        .bind(col(records, |a| a.operation.clone()))
        .bind(col(records, |a| a.resource_type.clone()))
        .bind(col(records, |a| a.resource_id.clone()))
        .bind(col(records, |a| a.partner_id.map(PartnerId::uuid)))
        .bind(col(records, |a| a.customer_id.map(CustomerId::uuid)))
        .bind(col(records, |a| a.before.clone()))
        .bind(col(records, |a| a.after.clone()))
        .bind(col(records, |a| a.customer_name.clone()))
        .bind(col(records, |a| a.customer_name.as_deref().map(fold_case)))
        .bind(col(records, |a| a.actor_upn.clone()))
        .bind(col(records, |a| a.application.clone()))
        .bind(col(records, |a| a.correlation_id.clone()))
        .bind(col(records, |a| a.status.clone()))
        .bind(col(records, |a| a.link.as_ref().map(|l| l.chain_id.uuid())))
        .bind(col(records, |a| a.link.as_ref().map(|l| l.seq)))
        .bind(col(records, |a| a.link.as_ref().map(|l| l.prev_hash.clone())))
        .bind(col(records, |a| a.link.as_ref().map(|l| l.hash.clone())))
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
                sqlx::query(concat!(
                    audit_select!(),
                    " WHERE customer_id = $1 AND id >= $2 ORDER BY id LIMIT $3"
                ))
                .bind(customer.uuid())
                .bind(start)
                .bind(limit(page))
                .fetch_all(conn)
                .await
            }
            None => {
                sqlx::query(concat!(audit_select!(), " WHERE id >= $1 ORDER BY id LIMIT $2"))
                    .bind(start)
                    .bind(limit(page))
                    .fetch_all(conn)
                    .await
            }
        }
        .map_err(db_err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn find_audit(&mut self, id: AuditId) -> StoreResult<Option<AuditRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(concat!(audit_select!(), " WHERE id = $1"))
            .bind(id.uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(audit_from_row)
            .transpose()
    }

    async fn query_audit(&mut self, q: &AuditQuery) -> StoreResult<Vec<AuditRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        let mut sql = QueryBuilder::<Postgres>::new(AUDIT_SELECT);
        sql.push(" WHERE at >= ")
            .push_bind(q.from)
            .push(" AND at < ")
            .push_bind(q.to);
        match q.scope {
            AuditScope::All => {}
            AuditScope::Partner(p) => {
                sql.push(" AND partner_id = ").push_bind(p.uuid());
            }
            AuditScope::Customer(c) => {
                sql.push(" AND customer_id = ").push_bind(c.uuid());
            }
        }
        if let Some(c) = q.customer {
            sql.push(" AND customer_id = ").push_bind(c.uuid());
        }
        if let Some(t) = &q.resource_type {
            sql.push(" AND resource_type = ").push_bind(t.clone());
        }
        if let Some(text) = &q.company_contains {
            sql.push(" AND customer_name_key LIKE ")
                .push_bind(format!("%{}%", like_escaped(&text.folded())))
                .push(" ESCAPE '\\'");
        }
        if let Some((at, id)) = &q.after {
            sql.push(" AND (at, id) > (")
                .push_bind(*at)
                .push(", ")
                .push_bind(id.uuid())
                .push(")");
        }
        sql.push(" ORDER BY at, id LIMIT ").push_bind(limit(q.limit));
        sql.build()
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(audit_from_row)
            .collect()
    }

    // Made when missing (a concurrent maker's insert is waited for, then skipped), then
    // locked: writers of one chain follow one another from here to their commit.
    async fn lock_audit_chains(&mut self, chains: &[OrgId]) -> StoreResult<Vec<ChainHead>> {
        let conn: &mut PgConnection = &mut self.tx;
        let ids: Vec<uuid::Uuid> = chains.iter().map(|c| c.uuid()).collect();
        sqlx::query(
            "INSERT INTO audit_chains (chain_id, seq, head_hash)
             SELECT c, 0, $2 FROM UNNEST($1::uuid[]) AS c ORDER BY c ON CONFLICT (chain_id) DO NOTHING",
        )
        .bind(&ids)
        .bind(GENESIS)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
        let rows = sqlx::query(
            "SELECT chain_id, seq, head_hash FROM audit_chains WHERE chain_id = ANY($1)
             ORDER BY chain_id FOR UPDATE",
        )
        .bind(&ids)
        .fetch_all(conn)
        .await
        .map_err(db_err)?;
        let heads: Vec<ChainHead> = rows.iter().map(head_from_row).collect::<StoreResult<_>>()?;
        chains
            .iter()
            .map(|c| {
                heads
                    .iter()
                    .find(|h| h.chain_id == *c)
                    .cloned()
                    .ok_or(StoreError::NotFound("audit chain"))
            })
            .collect()
    }

    async fn update_audit_chains(&mut self, heads: &[ChainHead]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(
            "UPDATE audit_chains AS h SET seq = n.seq, head_hash = n.hash
             FROM UNNEST($1::uuid[], $2::int8[], $3::text[]) AS n(chain_id, seq, hash)
             WHERE h.chain_id = n.chain_id",
        )
        .bind(heads.iter().map(|h| h.chain_id.uuid()).collect::<Vec<_>>())
        .bind(heads.iter().map(|h| h.seq).collect::<Vec<_>>())
        .bind(heads.iter().map(|h| h.hash.clone()).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_audit_chains(&mut self) -> StoreResult<Vec<ChainHead>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query("SELECT chain_id, seq, head_hash FROM audit_chains ORDER BY chain_id")
            .fetch_all(conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(head_from_row)
            .collect()
    }

    async fn list_chained_audit(&mut self, after: Option<(OrgId, i64)>, page: u32) -> StoreResult<Vec<AuditRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        let (chain, seq) = after.map_or((uuid::Uuid::nil(), 0), |(c, s)| (c.uuid(), s));
        sqlx::query(concat!(
            audit_select!(),
            " WHERE chain_id IS NOT NULL AND (chain_id, seq) > ($1, $2) ORDER BY chain_id, seq LIMIT $3"
        ))
        .bind(chain)
        .bind(seq)
        .bind(limit(page))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    async fn list_unchained_audit(&mut self, page: u32) -> StoreResult<Vec<AuditRecord>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(concat!(
            audit_select!(),
            " WHERE chain_id IS NULL ORDER BY at, id LIMIT $1"
        ))
        .bind(limit(page))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    async fn link_audit(&mut self, records: &[AuditRecord]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        let linked: Vec<_> = records
            .iter()
            .filter_map(|r| r.link.as_ref().map(|l| (r.id, l)))
            .collect();
        sqlx::query(
            "UPDATE audit_records AS a SET chain_id = n.chain_id, seq = n.seq, prev_hash = n.prev_hash, hash = n.hash
             FROM UNNEST($1::uuid[], $2::uuid[], $3::int8[], $4::text[], $5::text[])
                  AS n(id, chain_id, seq, prev_hash, hash)
             WHERE a.id = n.id",
        )
        .bind(linked.iter().map(|(id, _)| id.uuid()).collect::<Vec<_>>())
        .bind(linked.iter().map(|(_, l)| l.chain_id.uuid()).collect::<Vec<_>>())
        .bind(linked.iter().map(|(_, l)| l.seq).collect::<Vec<_>>())
        .bind(linked.iter().map(|(_, l)| l.prev_hash.clone()).collect::<Vec<_>>())
        .bind(linked.iter().map(|(_, l)| l.hash.clone()).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn insert_event(&mut self, e: &OutboxEvent) -> StoreResult<()> {
        self.insert_events(std::slice::from_ref(e)).await
    }

    // Many outbox events in one statement: one array per column, unnested into rows.
    async fn insert_events(&mut self, events: &[OutboxEvent]) -> StoreResult<()> {
        let conn: &mut PgConnection = &mut self.tx;
        if events.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO outbox_events (id, at, event_type, partner_id, customer_id, payload, resource_type,
                                        resource_id, audit_id)
         SELECT * FROM UNNEST($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                              $7::text[], $8::text[], $9::uuid[])",
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
        .bind(events.iter().map(|e| e.resource_type.clone()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.resource_id.clone()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.audit_id.map(AuditId::uuid)).collect::<Vec<_>>())
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn list_pending_events(&mut self, page: u32) -> StoreResult<Vec<OutboxEvent>> {
        let conn: &mut PgConnection = &mut self.tx;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM outbox_events WHERE delivered_at IS NULL ORDER BY id LIMIT $1"
        )))
        .bind(limit(page))
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(event_from_row)
        .collect()
    }
}
