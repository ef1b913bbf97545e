//! Reading columns of a row back into domain values. Every failure is `Corrupt`, naming the
//! table and column, so bad stored data never panics.

use std::fmt::Display;

use sqlx::postgres::PgRow;
use sqlx::{Decode, Postgres, Row, Type};
use uuid::Uuid;

use crate::{StoreError, StoreResult};

/// The columns of one row of `table`.
pub(super) struct Cols<'r> {
    row: &'r PgRow,
    table: &'static str,
}

impl<'r> Cols<'r> {
    pub(super) fn new(row: &'r PgRow, table: &'static str) -> Self {
        Self { row, table }
    }

    /// A column as its native type (`BIGINT` as `i64`, `TIMESTAMPTZ` as `DateTime<Utc>`, ...).
    pub(super) fn get<T: Decode<'r, Postgres> + Type<Postgres>>(&self, column: &'static str) -> StoreResult<T> {
        self.row.try_get(column).map_err(|e| self.corrupt(column, e))
    }

    /// A `UUID` column as a typed id.
    pub(super) fn id<T: From<Uuid>>(&self, column: &'static str) -> StoreResult<T> {
        self.get::<Uuid>(column).map(T::from)
    }

    /// A nullable `UUID` column as a typed id.
    pub(super) fn id_opt<T: From<Uuid>>(&self, column: &'static str) -> StoreResult<Option<T>> {
        self.get::<Option<Uuid>>(column).map(|u| u.map(T::from))
    }

    /// A text column rebuilt with a domain `parse`; `NULL` is corrupt too.
    pub(super) fn parse<T, E: Display>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> StoreResult<T> {
        let raw: Option<&str> = self.get(column)?;
        let raw = raw.ok_or_else(|| self.corrupt(column, "unexpected NULL"))?;
        parse(raw).map_err(|e| self.corrupt(column, e))
    }

    fn corrupt(&self, column: &'static str, e: impl Display) -> StoreError {
        StoreError::Corrupt(format!("{}.{column}: {e}", self.table))
    }
}

/// For the `parse` of enums that return `Option`: names what was not understood.
pub(super) fn known<T>(value: Option<T>, raw: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("unknown value {raw:?}"))
}

/// A comma-separated list column (roles, countries) split into its items.
pub(super) fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').filter(|s| !s.is_empty())
}
