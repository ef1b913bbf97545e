//! The SQLite transaction: commit, rollback, savepoints, and `SqliteTx::call`, which moves
//! the leased connection onto a blocking thread, runs a row function, and brings the
//! connection back. The queries are implemented on [`SqliteTx`] in the area files
//! (`orgs.rs`, `relationships.rs`, `commerce.rs`, `auth.rs`, `trail.rs`), one trait each.

use async_trait::async_trait;
use rusqlite::Connection;

use super::{db_err, Lease};
use crate::{StoreError, StoreResult, Tx};

/// A transaction on a leased connection. Dropped without `commit`, it rolls back.
pub(crate) struct SqliteTx {
    /// `None` once the transaction has ended, or while a cancelled call still holds it.
    lease: Option<Lease>,
    /// Run when the transaction ends (dropping them runs them too).
    hooks: crate::EndHooks,
}

impl SqliteTx {
    pub(super) fn new(lease: Lease) -> Self {
        Self {
            lease: Some(lease),
            hooks: crate::EndHooks::default(),
        }
    }

    /// The hooks run when the transaction ends.
    pub(super) fn hooks(&mut self) -> &mut crate::EndHooks {
        &mut self.hooks
    }

    /// Runs `f` on the transaction's connection, on a blocking thread.
    pub(super) async fn call<T, F>(&mut self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let lease = self
            .lease
            .take()
            .ok_or_else(|| StoreError::Database("the transaction has already ended or was interrupted".into()))?;
        // If this future is dropped mid-call, the lease goes back to its slot when the closure
        // ends; the slot's next user rolls back what this transaction left open.
        let (lease, out) = tokio::task::spawn_blocking(move || {
            let out = lease.conn().and_then(f);
            (lease, out)
        })
        .await
        .map_err(|e| StoreError::Database(format!("a SQLite call did not finish: {e}")))?;
        self.lease = Some(lease);
        out
    }

    async fn finish(mut self: Box<Self>, sql: &'static str) -> StoreResult<()> {
        let out = self.call(move |c| c.execute_batch(sql).map_err(db_err)).await;
        // On failure `Drop` rolls back whatever is still open.
        if out.is_ok() {
            self.lease = None;
        }
        out
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let Some(lease) = self.lease.take() else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(move || lease.rollback());
            }
            // No runtime to block: roll back here.
            Err(_) => lease.rollback(),
        }
    }
}

#[async_trait]
impl Tx for SqliteTx {
    async fn commit(mut self: Box<Self>) -> StoreResult<()> {
        let mut hooks = std::mem::take(&mut self.hooks);
        let out = self.finish("COMMIT").await;
        hooks.run();
        out
    }

    async fn rollback(mut self: Box<Self>) -> StoreResult<()> {
        let mut hooks = std::mem::take(&mut self.hooks);
        let out = self.finish("ROLLBACK").await;
        hooks.run();
        out
    }

    async fn begin_step(&mut self) -> StoreResult<()> {
        self.call(|c| c.execute_batch("SAVEPOINT pd_step").map_err(db_err))
            .await
    }

    async fn keep_step(&mut self) -> StoreResult<()> {
        self.call(|c| c.execute_batch("RELEASE SAVEPOINT pd_step").map_err(db_err))
            .await
    }

    async fn undo_step(&mut self) -> StoreResult<()> {
        self.call(|c| {
            c.execute_batch("ROLLBACK TO SAVEPOINT pd_step; RELEASE SAVEPOINT pd_step")
                .map_err(db_err)
        })
        .await
    }

    async fn ping(&mut self) -> StoreResult<()> {
        self.call(|c| {
            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                .map(drop)
                .map_err(db_err)
        })
        .await
    }
}
