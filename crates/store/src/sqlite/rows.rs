//! Encoding domain values into SQLite columns and reading them back.
//!
//! Ids are lower-case hyphenated UUID text, times RFC 3339 UTC text with exactly six
//! fractional digits (so text order is time order), bools 0/1, lists comma-separated. A column
//! that does not read back into its domain value is `StoreError::Corrupt` naming the table and
//! column; nothing here panics on stored data.

use std::fmt::Display;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Params, Row};
use uuid::Uuid;

use super::db_err;
use crate::{StoreError, StoreResult};

/// A time as stored: `2026-11-25T04:30:00.123456Z`.
pub(super) fn ts(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(super) fn opt_ts(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.as_ref().map(ts)
}

/// An id as stored (ids display as lower-case hyphenated UUIDs).
pub(super) fn opt_id<T: Display>(id: &Option<T>) -> Option<String> {
    id.as_ref().map(ToString::to_string)
}

/// The lower bound of a keyset page: every stored id sorts after the empty string.
pub(super) fn after<T: Display>(id: Option<T>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

/// A stored comma-separated list.
pub(super) fn join<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

/// The parts of a stored comma-separated list (an empty text is an empty list).
pub(super) fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|s| !s.is_empty())
}

/// The columns of one row of `table`, read into domain values.
pub(super) struct Cols<'a, 'stmt> {
    row: &'a Row<'stmt>,
    table: &'static str,
}

impl<'a, 'stmt> Cols<'a, 'stmt> {
    pub(super) fn new(row: &'a Row<'stmt>, table: &'static str) -> Self {
        Self { row, table }
    }

    fn corrupt(&self, col: &str, why: impl Display) -> StoreError {
        StoreError::Corrupt(format!("{}.{col}: {why}", self.table))
    }

    pub(super) fn text(&self, col: &str) -> StoreResult<String> {
        self.row.get::<_, String>(col).map_err(|e| self.corrupt(col, e))
    }

    pub(super) fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        self.row.get::<_, Option<String>>(col).map_err(|e| self.corrupt(col, e))
    }

    pub(super) fn int(&self, col: &str) -> StoreResult<i64> {
        self.row.get::<_, i64>(col).map_err(|e| self.corrupt(col, e))
    }

    pub(super) fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        self.row.get::<_, Option<i64>>(col).map_err(|e| self.corrupt(col, e))
    }

    pub(super) fn opt_blob(&self, col: &str) -> StoreResult<Option<Vec<u8>>> {
        self.row
            .get::<_, Option<Vec<u8>>>(col)
            .map_err(|e| self.corrupt(col, e))
    }

    pub(super) fn bool(&self, col: &str) -> StoreResult<bool> {
        match self.int(col)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(col, format!("{other} is not 0 or 1"))),
        }
    }

    /// A text column read by a domain parser.
    pub(super) fn parse<T, E: Display>(&self, col: &str, f: impl FnOnce(&str) -> Result<T, E>) -> StoreResult<T> {
        let raw = self.text(col)?;
        f(&raw).map_err(|e| self.corrupt(col, e))
    }

    /// A text column read by an enum's `parse`, which answers `None` for an unknown name.
    pub(super) fn name<T>(&self, col: &str, f: impl FnOnce(&str) -> Option<T>) -> StoreResult<T> {
        let raw = self.text(col)?;
        f(&raw).ok_or_else(|| self.corrupt(col, format!("unknown value {raw:?}")))
    }

    pub(super) fn id<T: From<Uuid>>(&self, col: &str) -> StoreResult<T> {
        self.parse(col, Uuid::parse_str).map(T::from)
    }

    pub(super) fn opt_id<T: From<Uuid>>(&self, col: &str) -> StoreResult<Option<T>> {
        match self.opt_text(col)? {
            None => Ok(None),
            Some(raw) => Uuid::parse_str(&raw)
                .map(|u| Some(T::from(u)))
                .map_err(|e| self.corrupt(col, e)),
        }
    }

    pub(super) fn time(&self, col: &str) -> StoreResult<DateTime<Utc>> {
        self.parse(col, parse_time)
    }

    pub(super) fn opt_time(&self, col: &str) -> StoreResult<Option<DateTime<Utc>>> {
        match self.opt_text(col)? {
            None => Ok(None),
            Some(raw) => parse_time(&raw).map(Some).map_err(|e| self.corrupt(col, e)),
        }
    }
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc))
}

/// Runs a statement that changes rows; returns how many.
pub(super) fn execute<P: Params>(conn: &Connection, sql: &str, params: P) -> StoreResult<usize> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(params))
        .map_err(db_err)
}

/// Every row of a query, each read by `read`.
pub(super) fn query_all<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    read: impl Fn(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(db_err)?;
    let mut rows = stmt.query(params).map_err(db_err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(db_err)? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// The first row of a query, if any, read by `read`.
pub(super) fn query_opt<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    read: impl FnOnce(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(db_err)?;
    let mut rows = stmt.query(params).map_err(db_err)?;
    match rows.next().map_err(db_err)? {
        Some(row) => read(row).map(Some),
        None => Ok(None),
    }
}

/// After a versioned `UPDATE ... WHERE id = ? AND version = ?` changed `changed` rows: fine if
/// one, `VersionConflict` if the row exists (`exists_sql` takes its id as `?1`), else `NotFound`.
pub(super) fn check_version(
    conn: &Connection,
    changed: usize,
    exists_sql: &str,
    id: &str,
    entity: &'static str,
) -> StoreResult<()> {
    if changed > 0 {
        return Ok(());
    }
    match query_opt(conn, exists_sql, [id], |_| Ok(()))? {
        Some(()) => Err(StoreError::VersionConflict(entity)),
        None => Err(StoreError::NotFound(entity)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_stored_with_six_fractional_digits_and_read_back() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 25, 4, 30, 0)
            .single()
            .expect("valid time")
            + chrono::Duration::microseconds(123_456);
        assert_eq!(ts(&t), "2026-11-25T04:30:00.123456Z");
        assert_eq!(parse_time(&ts(&t)), Ok(t));
        let whole = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("valid time");
        assert_eq!(ts(&whole), "2026-01-02T03:04:05.000000Z");
    }

    #[test]
    fn lists_split_back_into_their_parts() {
        assert_eq!(split(&join(["US", "RU"])).collect::<Vec<_>>(), ["US", "RU"]);
        assert_eq!(split(&join(Vec::<String>::new())).count(), 0);
    }
}
