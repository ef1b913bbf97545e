//! SQLite backend (placeholder until the backend lands).
use std::path::Path;

use crate::{StoreError, StoreResult, Tx};

#[derive(Clone)]
pub struct SqliteStore;

impl SqliteStore {
    pub async fn open(_path: &Path) -> StoreResult<Self> {
        Err(StoreError::Unavailable("sqlite backend not built yet".into()))
    }
    pub async fn migrate(&self) -> StoreResult<()> {
        Err(StoreError::Unavailable("sqlite backend not built yet".into()))
    }
    pub async fn begin(&self, _write: bool) -> StoreResult<Box<dyn Tx>> {
        Err(StoreError::Unavailable("sqlite backend not built yet".into()))
    }
}
