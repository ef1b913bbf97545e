//! SQLite backend: one writer connection and a few readers, each used from blocking threads.
//!
//! A write transaction holds the writer and runs `BEGIN IMMEDIATE`, so it excludes every other
//! writer from its start (which is why `lock_*` needs nothing more than `find_*` here). A read
//! transaction holds a reader (opened `query_only`) and runs a deferred `BEGIN`; in WAL mode it
//! sees a consistent snapshot and never waits for the writer.
//!
//! A connection lives in a slot. A transaction leases the slot and moves the connection onto a
//! blocking thread for each call and back. When a transaction is dropped, or its future is
//! cancelled mid-call, the lease still comes back to the slot once the blocking call ends; the
//! next user of the slot rolls back whatever was left open, or opens a fresh connection if the
//! old one was lost.

mod access;
mod auth;
mod bulk;
mod commerce;
pub mod file;
mod gdap;
mod mail;
mod orgs;
mod relationships;
mod rows;
mod trail;
mod tx;
mod webhooks;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, TransactionBehavior};
use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

use crate::migrations::{Migration, SQLITE};
use partnerdesk_domain::ConflictKind;

use crate::{StoreError, StoreResult, Tx};

/// How many read transactions may run at once.
const READERS: usize = 4;
/// How long a statement waits on a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Enough cached statements for every query of the backend.
const STATEMENT_CACHE: usize = 128;

/// A SQLite database file with its connections. Cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    pool: Arc<Pool>,
}

struct Pool {
    path: Arc<PathBuf>,
    writer: Arc<Mutex<Option<Connection>>>,
    readers: Vec<Arc<Mutex<Option<Connection>>>>,
    /// One permit per reader slot: whoever holds a permit finds a free slot.
    reader_permits: Arc<Semaphore>,
}

impl SqliteStore {
    /// Opens the database file, creating it (and its directory) if needed, in WAL mode.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let path = Arc::new(path.to_path_buf());
        let writer = {
            let path = Arc::clone(&path);
            blocking(move || {
                create_parent_dir(&path)?;
                open_connection(&path, true)
            })
            .await?
        };
        let readers = (0..READERS).map(|_| Arc::new(Mutex::new(None))).collect();
        let pool = Pool {
            path,
            writer: Arc::new(Mutex::new(Some(writer))),
            readers,
            reader_permits: Arc::new(Semaphore::new(READERS)),
        };
        Ok(Self { pool: Arc::new(pool) })
    }

    /// Applies every migration not yet recorded in `schema_migrations`, each in its own
    /// transaction.
    pub async fn migrate(&self) -> StoreResult<()> {
        let mut lease = self.pool.writer().await;
        blocking(move || {
            let conn = lease.ready()?;
            apply_migrations(conn)?;
            let filled = orgs::fill_customer_keys(conn)?;
            if filled > 0 {
                tracing::info!(customers = filled, "filled customer search keys");
            }
            Ok(())
        })
        .await
    }

    /// Starts a write (`BEGIN IMMEDIATE` on the writer) or read (`BEGIN` on a reader)
    /// transaction.
    pub async fn begin(&self, write: bool) -> StoreResult<Box<dyn Tx>> {
        Ok(self.begin_tx(write).await?)
    }

    /// A write transaction, as its own type (for the bulk loader's single call).
    pub(crate) async fn begin_write(&self) -> StoreResult<Box<tx::SqliteTx>> {
        self.begin_tx(true).await
    }

    async fn begin_tx(&self, write: bool) -> StoreResult<Box<tx::SqliteTx>> {
        let mut lease = if write {
            self.pool.writer().await
        } else {
            self.pool.reader().await?
        };
        let begin = if write { "BEGIN IMMEDIATE" } else { "BEGIN" };
        let lease = blocking(move || {
            lease.ready()?.execute_batch(begin).map_err(db_err)?;
            Ok(lease)
        })
        .await?;
        Ok(Box::new(tx::SqliteTx::new(lease)))
    }
}

impl Pool {
    async fn writer(&self) -> Lease {
        let slot = Arc::clone(&self.writer).lock_owned().await;
        Lease {
            slot,
            _permit: None,
            path: Arc::clone(&self.path),
            write: true,
        }
    }

    async fn reader(&self) -> StoreResult<Lease> {
        let permit = Arc::clone(&self.reader_permits)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite reader pool is closed".into()))?;
        // A lease releases its slot before its permit, so a permit always finds a free slot.
        for slot in &self.readers {
            if let Ok(slot) = Arc::clone(slot).try_lock_owned() {
                return Ok(Lease {
                    slot,
                    _permit: Some(permit),
                    path: Arc::clone(&self.path),
                    write: false,
                });
            }
        }
        Err(StoreError::Unavailable("no SQLite reader connection is free".into()))
    }
}

/// Exclusive use of one connection slot, for one transaction.
pub(crate) struct Lease {
    // Field order matters: the slot must be released before the permit.
    slot: OwnedMutexGuard<Option<Connection>>,
    _permit: Option<OwnedSemaphorePermit>,
    path: Arc<PathBuf>,
    write: bool,
}

impl Lease {
    /// The slot's connection, idle and ready for `BEGIN`: a transaction left open by an
    /// abandoned user is rolled back, and a lost or broken connection is replaced.
    fn ready(&mut self) -> StoreResult<&mut Connection> {
        if let Some(conn) = self.slot.as_ref() {
            if !conn.is_autocommit() && conn.execute_batch("ROLLBACK").is_err() {
                *self.slot = None;
            }
        }
        if self.slot.is_none() {
            *self.slot = Some(open_connection(&self.path, self.write)?);
        }
        self.slot
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("no SQLite connection".into()))
    }

    /// The connection of the transaction in progress.
    fn conn(&self) -> StoreResult<&Connection> {
        self.slot
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the transaction's connection was lost".into()))
    }

    /// Ends the transaction in progress, if any. A connection that cannot roll back is closed
    /// (which rolls back) and replaced on next use.
    fn rollback(mut self) {
        if let Some(conn) = self.slot.as_ref() {
            if !conn.is_autocommit() {
                if let Err(e) = conn.execute_batch("ROLLBACK") {
                    tracing::warn!(error = %e, "SQLite rollback failed; closing the connection");
                    *self.slot = None;
                }
            }
        }
    }
}

/// Runs SQLite work on a blocking thread.
async fn blocking<T, F>(f: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> StoreResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Database(format!("a SQLite call did not finish: {e}")))?
}

fn create_parent_dir(path: &Path) -> StoreResult<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Unavailable(format!("cannot create directory {}: {e}", dir.display()))),
        _ => Ok(()),
    }
}

fn open_connection(path: &Path, write: bool) -> StoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if write {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db_err)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if write {
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), mode, "SQLite did not switch to WAL mode");
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(db_err)?;
    } else {
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA query_only = ON;")
            .map_err(db_err)?;
    }
    Ok(conn)
}

fn apply_migrations(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)",
    )
    .map_err(db_err)?;
    for m in SQLITE {
        apply_migration(conn, m).map_err(|e| match e {
            StoreError::Database(msg) => StoreError::Database(format!("migration {:04}_{}: {msg}", m.version, m.name)),
            other => other,
        })?;
    }
    Ok(())
}

fn apply_migration(conn: &mut Connection, m: &Migration) -> StoreResult<()> {
    // Checked inside the transaction, so two processes migrating at once apply it once.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_err)?;
    let applied: bool = tx
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [m.version],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    if applied {
        return Ok(());
    }
    tx.execute_batch(m.sql).map_err(db_err)?;
    tx.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
        params![m.version, m.name, rows::ts(&Utc::now())],
    )
    .map_err(db_err)?;
    tx.commit().map_err(db_err)?;
    tracing::info!(version = m.version, name = m.name, "applied SQLite migration");
    Ok(())
}

/// Maps a SQLite failure to the store's error, once for the whole backend.
pub(crate) fn db_err(e: rusqlite::Error) -> StoreError {
    let msg = e.to_string();
    match e.sqlite_error() {
        Some(f)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::Conflict(conflict_kind(&msg))
        }
        Some(f)
            if matches!(
                f.code,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen
            ) =>
        {
            StoreError::Unavailable(msg)
        }
        _ => StoreError::Database(msg),
    }
}

/// What a uniqueness failure means, in words that name no table: SQLite says
/// `UNIQUE constraint failed: table.column`, which is for the log, not for a client.
fn conflict_kind(sqlite_message: &str) -> ConflictKind {
    let what = sqlite_message.rsplit(": ").next().unwrap_or_default();
    match what {
        "users.email" => ConflictKind::EmailTaken,
        "organizations.domain" => ConflictKind::DomainTaken,
        "relationships.partner_id, relationships.customer_id" => ConflictKind::RelationshipActive,
        "reseller_links.reseller_id" => ConflictKind::ResellerHasProvider,
        "idempotency_keys.user_id, idempotency_keys.request_id" => ConflictKind::RequestAlreadyHandled,
        _ => {
            tracing::debug!(error = sqlite_message, "uniqueness failure");
            ConflictKind::Duplicate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path() -> PathBuf {
        std::env::temp_dir()
            .join(format!("partnerdesk-sqlite-{}", uuid::Uuid::now_v7()))
            .join("unit.db")
    }

    fn remove(path: &Path) {
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// The plan of a page of a partner's customers under `filter`, on an empty database.
    fn plan(filter: &crate::CustomerFilter) -> String {
        let conn = Connection::open_in_memory().expect("open in-memory database");
        for m in SQLITE {
            conn.execute_batch(m.sql).expect("apply migration");
        }
        let partner = partnerdesk_domain::PartnerId(uuid::Uuid::nil());
        relationships::explain_partner_customers(&conn, partner, filter).expect("query plan")
    }

    fn text(q: &str) -> partnerdesk_domain::values::SearchText {
        partnerdesk_domain::values::SearchText::parse("q", q)
            .expect("search text")
            .expect("not blank")
    }

    #[test]
    fn a_page_of_a_partners_customers_is_one_range_scan_of_its_list_rows() {
        for filter in [crate::CustomerFilter::All, crate::CustomerFilter::Contains(text("x"))] {
            let plan = plan(&filter);
            assert_eq!(
                plan, "SEARCH l USING PRIMARY KEY (partner_id=? AND customer_id>?)",
                "one range scan and nothing else (no lookup per row, no sort)"
            );
        }
    }

    #[test]
    fn a_prefix_search_is_a_range_of_the_partners_entries_in_its_key_index() {
        for (filter, index) in [
            (
                crate::CustomerFilter::NameStartsWith(text("ромашка")),
                "customer_list_name_key (partner_id=? AND name_key>? AND name_key<?)",
            ),
            (
                crate::CustomerFilter::DomainStartsWith(text("contoso")),
                "customer_list_domain_key (partner_id=? AND domain_key>? AND domain_key<?)",
            ),
        ] {
            let plan = plan(&filter);
            assert!(plan.contains(index), "{plan}");
        }
    }

    #[tokio::test]
    async fn a_row_that_does_not_parse_is_reported_as_corrupt_naming_table_and_column() {
        let path = temp_path();
        let store = SqliteStore::open(&path).await.expect("open");
        store.migrate().await.expect("migrate");
        let id = uuid::Uuid::now_v7();
        {
            let conn = Connection::open(&path).expect("open raw connection");
            conn.execute(
                "INSERT INTO organizations (id, kind, name, partner_type, created_at) \
                 VALUES (?1, 'partner', 'Fabrikam', 'direct', 'yesterday')",
                [id.to_string()],
            )
            .expect("insert a bad row");
        }
        let mut tx = store.begin(false).await.expect("read");
        let err = tx
            .find_partner(partnerdesk_domain::PartnerId(id))
            .await
            .expect_err("bad timestamp");
        assert!(
            matches!(&err, StoreError::Corrupt(m) if m.contains("organizations.created_at")),
            "{err:?}"
        );
        drop(tx);
        drop(store);
        remove(&path);
    }

    #[tokio::test]
    async fn customers_written_before_the_search_keys_get_them_when_the_store_migrates() {
        use crate::CustomerFilter;
        use partnerdesk_domain::PartnerId;

        let path = temp_path();
        create_parent_dir(&path).expect("dir");
        let (partner, customer) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        {
            // A database as the release before the keys left it, with a customer in it.
            let mut conn = Connection::open(&path).expect("open raw connection");
            conn.execute_batch(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)",
            )
            .expect("schema_migrations");
            for m in SQLITE.iter().filter(|m| m.version < 7) {
                apply_migration(&mut conn, m).expect("old migration");
            }
            conn.execute_batch(&format!(
                "INSERT INTO organizations (id, kind, name, partner_type, created_at) \
                 VALUES ('{partner}', 'partner', 'Fabrikam', 'direct', '2026-01-01T00:00:00.000000Z'); \
                 INSERT INTO organizations (id, kind, name, search_text, domain, country, culture, billing_contact, \
                 billing_email, billing_address, created_at) VALUES ('{customer}', 'customer', 'ΟΔΟΣ Ромашка', \
                 'οδος ромашка odos.example', 'odos.example', 'GR', 'el-GR', 'Anna', 'anna@odos.example', '', \
                 '2026-01-01T00:00:00.000000Z'); \
                 INSERT INTO relationships (id, partner_id, customer_id, state, created_at) \
                 VALUES ('{}', '{partner}', '{customer}', 'active', '2026-01-01T00:00:00.000000Z');",
                uuid::Uuid::now_v7()
            ))
            .expect("old rows");
        }
        let store = SqliteStore::open(&path).await.expect("open");
        store.migrate().await.expect("migrate");
        let mut tx = store.begin(false).await.expect("read");
        for filter in [
            CustomerFilter::NameStartsWith(text("οδοσ ром")),
            CustomerFilter::NameStartsWith(text("ΟΔΟΣ")),
            CustomerFilter::DomainStartsWith(text("ODOS.")),
        ] {
            let found = tx
                .list_partner_customers(PartnerId(partner), &filter, None, 10)
                .await
                .expect("search");
            assert_eq!(
                found.iter().map(|c| c.id.0).collect::<Vec<_>>(),
                vec![customer],
                "{filter:?}"
            );
        }
        drop(tx);
        drop(store);
        remove(&path);
    }

    #[tokio::test]
    async fn migrating_twice_applies_each_migration_once() {
        let path = temp_path();
        let store = SqliteStore::open(&path).await.expect("open");
        store.migrate().await.expect("first migrate");
        store.migrate().await.expect("second migrate");
        let conn = Connection::open(&path).expect("open raw connection");
        let applied: i64 = conn
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .expect("count migrations");
        assert_eq!(applied, i64::try_from(SQLITE.len()).expect("few migrations"));
        drop(store);
        remove(&path);
    }
}
