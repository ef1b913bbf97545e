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
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }

    async fn rollback(self: Box<Self>) -> StoreResult<()> {
        self.tx.rollback().await.map_err(db_err)
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
