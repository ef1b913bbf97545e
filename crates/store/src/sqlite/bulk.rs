//! [`crate::bulk`] on SQLite: every row of a batch in one call on the writer's blocking
//! thread, through the same row functions the per-row methods use (prepared statements,
//! cached), so the customer list's triggers fire as they do for the app.

use partnerdesk_domain::audit_chain::{chain_of, link};
use rusqlite::Connection;

use super::{commerce, gdap, orgs, relationships, trail, tx::SqliteTx, SqliteStore};
use crate::bulk::BulkRows;
use crate::{StoreError, StoreResult, Tx};

impl SqliteStore {
    pub(crate) async fn bulk_load(&self, rows: BulkRows) -> StoreResult<()> {
        let mut tx: Box<SqliteTx> = self.begin_write().await?;
        tx.call(move |c| write(c, rows)).await?;
        tx.commit().await
    }
}

fn write(c: &Connection, mut rows: BulkRows) -> StoreResult<()> {
    for customer in &rows.customers {
        orgs::insert_customer(c, customer)?;
    }
    for rel in &rows.relationships {
        relationships::insert_relationship(c, rel)?;
    }
    for order in &rows.orders {
        commerce::insert_order(c, order)?;
    }
    for sub in &rows.subscriptions {
        commerce::insert_subscription(c, sub)?;
    }
    for g in &rows.gdap {
        gdap::insert_gdap(c, g)?;
    }
    if rows.audits.is_empty() {
        return Ok(());
    }
    let mut chains: Vec<_> = rows.audits.iter().map(chain_of).collect();
    chains.sort();
    chains.dedup();
    let mut heads = trail::lock_audit_chains(c, &chains)?;
    for record in rows.audits.iter_mut() {
        let chain = chain_of(record);
        let head = heads
            .iter_mut()
            .find(|h| h.chain_id == chain)
            .ok_or(StoreError::NotFound("audit chain"))?;
        link(head, record);
    }
    trail::insert_audits(c, &rows.audits)?;
    trail::update_audit_chains(c, &heads)
}
