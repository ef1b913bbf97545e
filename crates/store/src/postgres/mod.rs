//! PostgreSQL backend (scale-out): a `sqlx` pool and migrations guarded by an advisory lock.
//! [`PgTx`] (`tx.rs`) is the transaction; each area file implements its trait on it with the
//! area's SQL; reading a row back into domain values goes through [`rows::Cols`].

mod access;
mod auth;
mod bulk;
mod commerce;
mod gdap;
mod mail;
mod orgs;
mod relationships;
mod rows;
mod trail;
mod tx;
mod webhooks;

use std::time::Duration;

use chrono::Utc;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres};
use uuid::Uuid;

use crate::migrations::{Migration, POSTGRES};
use partnerdesk_domain::ConflictKind;

use crate::{StoreError, StoreResult, Tx};
pub use access::PgAccessListener;
pub(crate) use tx::PgTx;

/// Connections per process; several nodes share one server, so keep it modest.
const MAX_CONNECTIONS: u32 = 8;
/// Connections for the access check's signals: the listener, heartbeats, announcements.
const SIGNAL_CONNECTIONS: u32 = 4;
/// How long to wait for a connection (opening one included) before `Unavailable`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a statement may wait for a row lock before `Unavailable`, like SQLite's busy timeout.
const LOCK_TIMEOUT: &str = "10s";
/// Key of the advisory lock that serialises migrations across nodes ("pdmigrat").
const MIGRATION_LOCK_KEY: i64 = 0x7064_6d69_6772_6174;

/// A pool of connections to one PostgreSQL database (optionally one schema of it).
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Connections for the access check's signals (see `access.rs`).
    signals: PgPool,
    /// The access check's notification channel: one per database, or per schema.
    access_channel: std::sync::Arc<str>,
}

impl PgStore {
    /// Connects to `url`, failing with `Unavailable` within a few seconds when the server cannot
    /// be reached. With `schema`, every connection uses it as its `search_path`.
    pub async fn connect(url: &str, schema: Option<&str>) -> StoreResult<Self> {
        let mut options: PgConnectOptions = url
            .parse()
            .map_err(|e| StoreError::BadUrl(format!("invalid PostgreSQL URL: {e}")))?;
        let mut settings = vec![("lock_timeout", LOCK_TIMEOUT)];
        if let Some(schema) = schema {
            settings.push(("search_path", schema));
        }
        options = options.options(settings);
        let (host, port) = (options.get_host().to_string(), options.get_port());
        // The access check's signals get a small pool of their own: a transaction that holds
        // a connection of the main pool announces on it, so the two must never wait on each
        // other; the listening connection is one of these.
        let signals = PgPoolOptions::new()
            .max_connections(SIGNAL_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.clone());
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut => StoreError::Unavailable(format!(
                    "cannot connect to PostgreSQL at {host}:{port} within {} s (is the server running and reachable?)",
                    ACQUIRE_TIMEOUT.as_secs()
                )),
                other => db_err(other),
            })?;
        // Notifications are database-wide: a channel per schema keeps databases that share a
        // server by schema apart. A channel name is an identifier: at most 63 bytes.
        let current: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
            .fetch_one(&pool)
            .await
            .map_err(db_err)?;
        let access_channel: String = match current.as_deref() {
            None | Some("public") => crate::ACCESS_CHANNEL.to_string(),
            Some(schema) => format!("{}_{schema}", crate::ACCESS_CHANNEL).chars().take(63).collect(),
        };
        Ok(Self {
            pool,
            signals,
            access_channel: access_channel.into(),
        })
    }

    /// Applies the migrations of [`POSTGRES`] not yet recorded in `schema_migrations`, each in
    /// its own transaction under an advisory lock, so nodes starting together do not race.
    pub async fn migrate(&self) -> StoreResult<()> {
        for migration in POSTGRES {
            self.apply(migration).await?;
        }
        let filled = orgs::fill_customer_keys(&self.pool).await?;
        if filled > 0 {
            tracing::info!(customers = filled, "filled customer search keys");
        }
        Ok(())
    }

    async fn apply(&self, migration: &Migration) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Another node may hold the lock for as long as its migration takes.
        sqlx::query("SET LOCAL lock_timeout = 0")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK_KEY)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL
             )",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let applied: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)")
            .bind(migration.version)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        if applied {
            return tx.rollback().await.map_err(db_err);
        }
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Database(msg) => StoreError::Database(format!(
                    "migration {:04}_{} failed: {msg}",
                    migration.version, migration.name
                )),
                other => other,
            })?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied PostgreSQL migration"
        );
        Ok(())
    }

    /// A write transaction, as its own type (for the bulk loader).
    pub(crate) async fn begin_write(&self) -> StoreResult<PgTx> {
        let tx = self.pool.begin().await.map_err(db_err)?;
        Ok(PgTx {
            tx,
            access_channel: self.access_channel.clone(),
            hooks: crate::EndHooks::default(),
        })
    }

    /// Starts a transaction. Writes run at READ COMMITTED and lock what they must; reads are
    /// REPEATABLE READ, READ ONLY, so every statement sees the same snapshot.
    pub async fn begin(&self, write: bool) -> StoreResult<Box<dyn Tx>> {
        let tx = if write {
            self.pool.begin().await
        } else {
            self.pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await
        }
        .map_err(db_err)?;
        Ok(Box::new(PgTx {
            tx,
            access_channel: self.access_channel.clone(),
            hooks: crate::EndHooks::default(),
        }))
    }
}

/// Maps a driver error to the store's: unique violations are conflicts; an unreachable,
/// overloaded or locked database is unavailable; anything else is a database error.
pub(super) fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                "23505" => StoreError::Conflict(conflict_kind(db.constraint())),
                "55P03" => {
                    StoreError::Unavailable(format!("a row stayed locked past the lock timeout: {}", db.message()))
                }
                "40001" => StoreError::Unavailable(format!(
                    "a concurrent update cancelled the transaction: {}",
                    db.message()
                )),
                "40P01" => StoreError::Unavailable(format!("deadlock between transactions: {}", db.message())),
                "57014" => StoreError::Unavailable(format!("the statement was cancelled: {}", db.message())),
                c if c.starts_with("08") || c.starts_with("57P") || c == "53300" => StoreError::Unavailable(format!(
                    "PostgreSQL refused or dropped the connection ({c}): {}",
                    db.message()
                )),
                _ => StoreError::Database(format!("{} (SQLSTATE {code})", db.message())),
            }
        }
        sqlx::Error::PoolTimedOut => StoreError::Unavailable(format!(
            "no database connection within {} s: PostgreSQL is unreachable or every connection is busy",
            ACQUIRE_TIMEOUT.as_secs()
        )),
        sqlx::Error::PoolClosed => StoreError::Unavailable("the connection pool is closed".into()),
        sqlx::Error::Io(e) => StoreError::Unavailable(format!("lost the connection to PostgreSQL: {e}")),
        sqlx::Error::Tls(e) => StoreError::Unavailable(format!("TLS with PostgreSQL failed: {e}")),
        sqlx::Error::WorkerCrashed => StoreError::Unavailable("the connection's background worker crashed".into()),
        other => StoreError::Database(other.to_string()),
    }
}

fn conflict_kind(constraint: Option<&str>) -> ConflictKind {
    match constraint {
        Some("relationships_active_pair") => ConflictKind::RelationshipActive,
        Some("users_email_key") => ConflictKind::EmailTaken,
        Some("organizations_customer_domain") => ConflictKind::DomainTaken,
        Some("reseller_links_one_provider") => ConflictKind::ResellerHasProvider,
        Some(
            "relationship_requests_token_hash_key"
            | "api_tokens_token_hash_key"
            | "refresh_tokens_token_hash_key"
            | "web_sessions_secret_hash_key",
        ) => ConflictKind::SecretTaken,
        Some("idempotency_keys_pkey") => ConflictKind::RequestAlreadyHandled,
        other => {
            tracing::debug!(constraint = ?other, "uniqueness failure");
            ConflictKind::Duplicate
        }
    }
}

/// After an `UPDATE ... WHERE id = $1 AND version = $2` that touched no row: a version
/// conflict when the row exists, else not found. `exists_sql` takes the id as `$1`.
async fn missed_update(
    conn: &mut PgConnection,
    exists_sql: &'static str,
    id: Uuid,
    entity: &'static str,
) -> StoreError {
    match sqlx::query_scalar::<Postgres, bool>(exists_sql)
        .bind(id)
        .fetch_one(conn)
        .await
    {
        Ok(true) => StoreError::VersionConflict(entity),
        Ok(false) => StoreError::NotFound(entity),
        Err(e) => db_err(e),
    }
}

/// Keyset pages ask for ids after `after`; as an inclusive lower bound that is the next UUID
/// (PostgreSQL orders UUIDs bytewise, as big-endian `u128`). One statement then serves the
/// first page too, where `$n IS NULL OR id > $n` would keep a cached plan from using the index
/// range. `None` means nothing can follow `after`.
fn page_start(after: Option<Uuid>) -> Option<Uuid> {
    match after {
        None => Some(Uuid::nil()),
        Some(id) => id.as_u128().checked_add(1).map(Uuid::from_u128),
    }
}

/// A page size as SQL's `LIMIT`.
fn limit(limit: u32) -> i64 {
    i64::from(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyset_page_starts_just_after_the_last_id_seen() {
        assert_eq!(page_start(None), Some(Uuid::nil()));
        assert_eq!(page_start(Some(Uuid::from_u128(41))), Some(Uuid::from_u128(42)));
        assert_eq!(page_start(Some(Uuid::max())), None);
    }

    #[test]
    fn unique_violations_name_what_was_taken() {
        assert_eq!(
            conflict_kind(Some("relationships_active_pair")),
            ConflictKind::RelationshipActive
        );
        assert_eq!(conflict_kind(Some("users_email_key")), ConflictKind::EmailTaken);
        assert_eq!(
            conflict_kind(Some("organizations_customer_domain")),
            ConflictKind::DomainTaken
        );
        assert_eq!(conflict_kind(Some("offers_pkey")), ConflictKind::Duplicate);
    }
}
