//! `partnerdesk backup` and `partnerdesk restore`: a SQLite database copied while a server
//! keeps writing, and put back after its audit chains are checked. PostgreSQL has its own
//! tools; for it both commands print the `pg_dump`/`pg_restore` commands and fail.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use partnerdesk_app::audit_log::Verification;
use partnerdesk_app::App;
use partnerdesk_store::{
    copy_sqlite, sqlite_file_kind, sqlite_in_use, sqlite_schema_version, DatabaseUrl, SqliteFileKind, Store,
};

use crate::cli::{url_without_password, BackupArgs, GlobalArgs, RestoreArgs};
use crate::commands::app_config;

/// `partnerdesk backup PATH`.
pub async fn backup(global: GlobalArgs, args: BackupArgs) -> anyhow::Result<()> {
    let source = sqlite_path(&global, "backup")?;
    let dest = args.path;
    if dest.exists() && !args.force {
        bail!(
            "{} already exists: choose a new file, or pass --force to replace it",
            dest.display()
        );
    }
    let started = Instant::now();
    let partial = beside(&dest, "partial")?;
    let written = {
        let (source, partial) = (source.clone(), partial.clone());
        blocking(move || {
            copy_sqlite(&source, &partial)?;
            Ok(sqlite_file_kind(&partial)?)
        })
        .await
    };
    let kind = match written {
        Ok(kind) => kind,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.context(format!("cannot back up {}", source.display())));
        }
    };
    let SqliteFileKind::Partnerdesk { schema_version } = kind else {
        let _ = std::fs::remove_file(&partial);
        bail!("{} is not a partnerdesk database; nothing written", source.display());
    };
    std::fs::rename(&partial, &dest).with_context(|| format!("cannot write {}", dest.display()))?;
    let size = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written: {} ({size} bytes, schema version {schema_version}) from {} in {} ms",
        dest.display(),
        source.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

/// `partnerdesk restore PATH`.
pub async fn restore(global: GlobalArgs, args: RestoreArgs) -> anyhow::Result<()> {
    let target = sqlite_path(&global, "restore")?;
    let source = args.path;
    let latest = sqlite_schema_version();
    let kind = {
        let source = source.clone();
        blocking(move || Ok(sqlite_file_kind(&source)?)).await
    }
    .with_context(|| format!("cannot read {}", source.display()))?;
    let from_version = match kind {
        SqliteFileKind::Partnerdesk { schema_version } if schema_version > latest => bail!(
            "{} has schema version {schema_version}, newer than this partnerdesk's {latest}: restore it with a newer \
             partnerdesk",
            source.display()
        ),
        SqliteFileKind::Partnerdesk { schema_version } => schema_version,
        SqliteFileKind::OtherSqlite | SqliteFileKind::NotSqlite => {
            bail!("{} is not a partnerdesk database; nothing restored", source.display())
        }
    };
    if std::fs::metadata(&target).is_ok_and(|m| m.len() > 0) && !args.force {
        bail!(
            "{} already holds a database: pass --force to replace it (stop the server first)",
            target.display()
        );
    }
    let in_use = {
        let target = target.clone();
        blocking(move || Ok(sqlite_in_use(&target)?)).await?
    };
    if in_use {
        bail!(
            "{} is open in another process (a running server?): stop it, then restore",
            target.display()
        );
    }

    let staged = beside(&target, "restoring")?;
    let records = match stage(&source, &staged).await {
        Ok(records) => records,
        Err(e) => {
            remove_with_journal(&staged);
            return Err(e);
        }
    };
    // The old database's WAL must not be read as part of the new one.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&target, suffix));
    }
    std::fs::rename(&staged, &target).with_context(|| format!("cannot replace {}", target.display()))?;
    println!(
        "restored {} into {} (schema version {from_version}, now {latest}); audit log holds: {records} chained \
         records checked",
        source.display(),
        target.display()
    );
    Ok(())
}

/// Copies `source` to `staged`, migrates it to this binary's schema and checks its audit
/// chains; then folds its WAL back in so `staged` is one self-contained file.
async fn stage(source: &Path, staged: &Path) -> anyhow::Result<u64> {
    {
        let (source, staged) = (source.to_path_buf(), staged.to_path_buf());
        blocking(move || Ok(copy_sqlite(&source, &staged)?)).await
    }
    .with_context(|| format!("cannot copy {}", source.display()))?;
    let store = Store::open(&DatabaseUrl::Sqlite(staged.to_path_buf()))
        .await
        .with_context(|| format!("cannot open the copy of {}", source.display()))?;
    let app = App::new(store, app_config(String::new()));
    let verification = app.verify_audit().await.context("cannot read the audit log")?;
    drop(app);
    let records = match verification {
        Verification::Holds { records } => records,
        Verification::Broken(broken) => {
            bail!(
                "{} was not restored: its audit chain is broken at {broken}",
                source.display()
            )
        }
    };
    let staged = staged.to_path_buf();
    let left_open = blocking(move || Ok(sqlite_in_use(&staged)?)).await?;
    if left_open {
        bail!("the restored copy is still open; nothing restored");
    }
    Ok(records)
}

/// The SQLite file of `--database-url`, or the PostgreSQL tools to use instead.
fn sqlite_path(global: &GlobalArgs, command: &str) -> anyhow::Result<PathBuf> {
    match DatabaseUrl::parse(global.database_url.expose())? {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(url) => {
            let url = url_without_password(&url);
            bail!(
                "{command} works on SQLite databases; back up PostgreSQL with its own tools:\n  \
                 pg_dump --format=custom --file=partnerdesk.dump '{url}'\n\
                 and restore into an empty database with:\n  \
                 pg_restore --no-owner --dbname='{url}' partnerdesk.dump\n\
                 (give the password in PGPASSWORD or ~/.pgpass)"
            )
        }
    }
}

/// `dir/.NAME.WHAT-PID`: a temporary file beside `path`, so the final rename stays on one
/// file system.
fn beside(path: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} does not name a file", path.display()))?;
    let name = format!(".{}.{what}-{}", name.to_string_lossy(), std::process::id());
    Ok(path.with_file_name(name))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_with_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .context("a file task did not finish")?
}
