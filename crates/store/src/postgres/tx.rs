//! The PostgreSQL transaction: commit, rollback, savepoints. The queries are implemented
//! on [`PgTx`] in the area files (`orgs.rs`, `relationships.rs`, `commerce.rs`, `auth.rs`,
//! `trail.rs`), one trait each.

use async_trait::async_trait;
use sqlx::Postgres;

use super::db_err;
use crate::{StoreResult, Tx};

/// One PostgreSQL transaction. Dropping it rolls back.
pub struct PgTx {
    pub(super) tx: sqlx::Transaction<'static, Postgres>,
    /// The access check's notification channel.
    pub(super) access_channel: std::sync::Arc<str>,
    /// Run when the transaction ends (dropping them runs them too).
    pub(super) hooks: crate::EndHooks,
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        let PgTx { tx, mut hooks, .. } = *self;
        let out = tx.commit().await.map_err(db_err);
        hooks.run();
        out
    }

    async fn rollback(self: Box<Self>) -> StoreResult<()> {
        let PgTx { tx, mut hooks, .. } = *self;
        let out = tx.rollback().await.map_err(db_err);
        hooks.run();
        out
    }

    async fn begin_step(&mut self) -> StoreResult<()> {
        sqlx::query("SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }

    async fn keep_step(&mut self) -> StoreResult<()> {
        sqlx::query("RELEASE SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }

    async fn undo_step(&mut self) -> StoreResult<()> {
        sqlx::raw_sql("ROLLBACK TO SAVEPOINT pd_step; RELEASE SAVEPOINT pd_step")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }

    async fn ping(&mut self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)
            .map(|_| ())
    }
}
