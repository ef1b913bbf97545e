//! Fresh databases for tests: a temp-file SQLite database, or a new PostgreSQL schema.

use std::time::{SystemTime, UNIX_EPOCH};

use partnerdesk_store::{DatabaseUrl, Store};

/// Where PostgreSQL tests connect.
pub fn postgres_url() -> String {
    std::env::var("PARTNERDESK_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn in_ci() -> bool {
    std::env::var("CI").map(|v| v == "true" || v == "1").unwrap_or(false)
}

/// A migrated database that lives as long as this value.
pub struct TestDb {
    pub store: Store,
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    /// A `--database-url` at which another process (the binary under test) opens this same
    /// database.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.backend)
    }
}

impl TestDb {
    /// Runs `sql` (statements separated by `;`) on this database over a connection of its
    /// own, outside the store: for tests that change rows behind the application's back.
    pub async fn execute_sql(&self, sql: &str) {
        let sql = sql.to_string();
        match self.url.strip_prefix("sqlite://") {
            Some(path) => {
                let path = path.to_string();
                tokio::task::spawn_blocking(move || {
                    let conn = rusqlite::Connection::open(&path).expect("open the SQLite file");
                    conn.execute_batch(&sql).expect("run SQL on SQLite");
                })
                .await
                .expect("SQLite task");
            }
            None => {
                use sqlx::Connection as _;
                let mut conn = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .expect("run SQL on PostgreSQL");
                conn.close().await.expect("close");
            }
        }
    }
}

/// A fresh SQLite database in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("create temp dir");
    let path = dir.path().join("test.db");
    let url = DatabaseUrl::Sqlite(path.clone());
    let store = Store::open(&url).await.expect("open sqlite test database");
    TestDb {
        store,
        backend: "sqlite",
        url: format!("sqlite://{}", path.display()),
        _dir: Some(dir),
    }
}

/// A fresh PostgreSQL schema, or `None` (with a message) when no server is reachable
/// outside CI. In CI a missing server is a failure.
pub async fn postgres() -> Option<TestDb> {
    let url = postgres_url();
    // A short timeout: without a server, skipping (or failing in CI) should not take 30 s.
    let connect = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(&url);
    let admin = match connect.await {
        Ok(pool) => pool,
        Err(e) if !in_ci() => {
            eprintln!("skipping PostgreSQL test: cannot connect to {url}: {e} (set CI=true to make this a failure)");
            return None;
        }
        Err(e) => panic!("CI=true and PostgreSQL at {url} is unreachable: {e}"),
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    drop_stale_schemas(&admin, now).await;
    let schema = format!("pdtest_{now}_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("create test schema");
    admin.close().await;
    let store = Store::connect_postgres_schema(&url, &schema)
        .await
        .expect("connect to test schema");
    store.migrate().await.expect("migrate test schema");
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(TestDb {
        store,
        backend: "postgres",
        url: format!("{url}{separator}options=-c%20search_path%3D{schema}"),
        _dir: None,
    })
}

/// Schemas of earlier runs are dropped after an hour, so the test database does not grow.
async fn drop_stale_schemas(admin: &sqlx::PgPool, now: u64) {
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'pdtest\\_%'")
            .fetch_all(admin)
            .await
            .unwrap_or_default();
    for (name,) in names {
        let created = name
            .split('_')
            .nth(1)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(now);
        if now.saturating_sub(created) > 3600 {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE")))
                .execute(admin)
                .await;
        }
    }
}

/// Every backend available here: SQLite always, PostgreSQL when reachable (always in CI).
pub async fn backends() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}
