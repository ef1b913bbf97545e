//! A SQLite database as a file: copying it while it is in use, reading which schema it has,
//! and telling whether another process has it open. `partnerdesk backup` and `restore` use
//! these; nothing else touches a database file outside the pool.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::db_err;
use crate::migrations::SQLITE;
use crate::{StoreError, StoreResult};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteFileKind {
    /// A partnerdesk database at this schema version (the highest migration applied).
    Partnerdesk { schema_version: i64 },
    /// A SQLite database without partnerdesk's `schema_migrations` table.
    OtherSqlite,
    /// Not a SQLite database at all.
    NotSqlite,
}

/// The schema version this binary migrates to.
pub fn sqlite_schema_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Copies the database at `source` into the new file `dest` as one consistent snapshot
/// (`VACUUM INTO`, a single read transaction). In WAL mode a reader never blocks the writer,
/// so a server on `source` keeps committing while the copy runs; the copy holds every
/// transaction committed before it started and none after. `dest` must not exist.
pub fn copy_sqlite(source: &Path, dest: &Path) -> StoreResult<()> {
    let conn = open_existing(source, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let dest = dest
        .to_str()
        .ok_or_else(|| StoreError::Unavailable(format!("{} is not a UTF-8 path", dest.display())))?;
    conn.execute("VACUUM INTO ?1", [dest]).map_err(db_err)?;
    Ok(())
}

/// What the file at `path` holds, read without changing it.
pub fn sqlite_file_kind(path: &Path) -> StoreResult<SqliteFileKind> {
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let tables = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get::<_, i64>(0),
    );
    match tables {
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => Ok(SqliteFileKind::NotSqlite),
        Err(e) => Err(db_err(e)),
        Ok(0) => Ok(SqliteFileKind::OtherSqlite),
        Ok(_) => {
            let version: Option<i64> = conn
                .query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0))
                .map_err(db_err)?;
            Ok(version.map_or(SqliteFileKind::OtherSqlite, |schema_version| {
                SqliteFileKind::Partnerdesk { schema_version }
            }))
        }
    }
}

/// Whether another connection (a running server) has the WAL-mode database at `path` open.
/// Leaving WAL mode needs every other connection closed, so this asks for that without
/// waiting; when nobody else has it open the file is left in rollback-journal mode, a single
/// file with its WAL folded in, which the next server switches back to WAL.
pub fn sqlite_in_use(path: &Path) -> StoreResult<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(Duration::ZERO).map_err(db_err)?;
    match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0)) {
        Ok(mode) => Ok(!mode.eq_ignore_ascii_case("delete")),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(true)
        }
        Err(e) => Err(db_err(e)),
    }
}

fn open_existing(path: &Path, flags: OpenFlags) -> StoreResult<Connection> {
    if !path.is_file() {
        return Err(StoreError::Unavailable(format!("{} is not a file", path.display())));
    }
    Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database {}: {e}", path.display())))
}
