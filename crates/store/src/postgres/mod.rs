//! PostgreSQL backend (placeholder until the backend lands).


use crate::{StoreError, StoreResult, Tx};

#[derive(Clone)]
pub struct PgStore;

impl PgStore {
    pub async fn connect(_url: &str, _schema: Option<&str>) -> StoreResult<Self> {
        Err(StoreError::Unavailable("postgres backend not built yet".into()))
    }
    pub async fn migrate(&self) -> StoreResult<()> {
        Err(StoreError::Unavailable("postgres backend not built yet".into()))
    }
    pub async fn begin(&self, _write: bool) -> StoreResult<Box<dyn Tx>> {
        Err(StoreError::Unavailable("postgres backend not built yet".into()))
    }
}
