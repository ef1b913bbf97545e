//! `partnerdesk backup` and `partnerdesk restore`, the real binary: a backup taken while the
//! application keeps adding and removing customers restores to a database whose audit chains
//! hold and where every removal is whole; and the refusals that keep a database safe.

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{partnerdesk, partnerdesk_in, Server};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::TestApp;

fn run(mut cmd: std::process::Command, args: &[&str]) -> Output {
    cmd.args(args).output().expect("run partnerdesk")
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}; stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The error the binary printed, after checking it failed with exit code 1 and no panic.
fn refused(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("partnerdesk: "), "{stderr}");
    stderr
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Closed relationships with no removal record, removal records with no closed relationship,
/// and relationships in all.
fn removal_invariant(db: &Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).expect("open the restored database");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    (
        count(
            "SELECT count(*) FROM relationships r WHERE r.state = 'closed' AND NOT EXISTS (SELECT 1 FROM \
             audit_records a WHERE a.operation = 'remove_partner_customer_relationship' AND a.resource_id = r.id)",
        ),
        count(
            "SELECT count(*) FROM audit_records a WHERE a.operation = 'remove_partner_customer_relationship' AND NOT \
             EXISTS (SELECT 1 FROM relationships r WHERE r.state = 'closed' AND r.id = a.resource_id)",
        ),
        count("SELECT count(*) FROM relationships"),
    )
}

#[test]
fn a_backup_taken_while_customers_are_added_and_removed_restores_whole() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let db = runtime.block_on(partnerdesk_testkit::sqlite());
    let url = db.url.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicUsize::new(0));
    let load = {
        let (stop, rounds) = (Arc::clone(&stop), Arc::clone(&rounds));
        runtime.spawn(async move {
            let t = TestApp::on(db).await;
            let partner = t.partner(PartnerType::Direct).await;
            while !stop.load(Ordering::SeqCst) {
                let kept = t.customer_of(&partner).await;
                t.buy(&partner, kept.id, 1).await;
                let gone = t.customer_of(&partner).await;
                t.app
                    .remove_relationship(&partner.admin, gone.id, Some("moved on"), None)
                    .await
                    .expect("remove the customer");
                rounds.fetch_add(1, Ordering::SeqCst);
            }
            t
        })
    };
    while rounds.load(Ordering::SeqCst) < 2 {
        std::thread::sleep(Duration::from_millis(50));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut backups = Vec::new();
    for i in 0..3 {
        let file = dir.path().join(format!("backup-{i}.db"));
        let out = succeeded(&run(partnerdesk(), &["--database-url", &url, "backup", path(&file)]));
        assert!(
            out.contains("backup written") && out.contains("schema version") && out.contains("bytes"),
            "{out}"
        );
        backups.push(file);
    }
    stop.store(true, Ordering::SeqCst);
    let _t = runtime.block_on(load).expect("the writing task");

    for (i, backup) in backups.iter().enumerate() {
        let home = dir.path().join(format!("restored-{i}"));
        std::fs::create_dir_all(&home).expect("a directory");
        let out = succeeded(&run(partnerdesk_in(&home), &["restore", path(backup)]));
        assert!(out.contains("restored") && out.contains("audit log holds"), "{out}");
        let out = succeeded(&run(partnerdesk_in(&home), &["audit", "verify"]));
        assert!(out.contains("audit log holds"), "{out}");
        let (unrecorded, unapplied, relationships) = removal_invariant(&home.join("pd.db"));
        assert_eq!((unrecorded, unapplied), (0, 0), "backup {i}: half-done removals");
        assert!(relationships >= 4, "backup {i} has {relationships} relationships");
    }
}

#[test]
fn backup_and_restore_refuse_what_would_lose_or_break_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    succeeded(&run(partnerdesk_in(dir.path()), &["migrate"]));
    let backup = dir.path().join("backup.db");
    succeeded(&run(partnerdesk_in(dir.path()), &["backup", path(&backup)]));

    // An existing file is kept, unless --force.
    let before = std::fs::read(&backup).expect("read the backup");
    let err = refused(&run(partnerdesk_in(dir.path()), &["backup", path(&backup)]));
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&backup).expect("read the backup"), before);
    succeeded(&run(partnerdesk_in(dir.path()), &["backup", "--force", path(&backup)]));

    // A database that holds data is not replaced without --force.
    let err = refused(&run(partnerdesk_in(dir.path()), &["restore", path(&backup)]));
    assert!(err.contains("already holds a database"), "{err}");

    // Not a database, or another program's SQLite database.
    let junk = dir.path().join("notes.txt");
    std::fs::write(
        &junk,
        "not a database, just some text that is long enough to look like a header",
    )
    .expect("write");
    let err = refused(&run(partnerdesk_in(dir.path()), &["restore", "--force", path(&junk)]));
    assert!(err.contains("not a partnerdesk database"), "{err}");
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (a INTEGER)"))
        .expect("another SQLite database");
    let err = refused(&run(partnerdesk_in(dir.path()), &["restore", "--force", path(&other)]));
    assert!(err.contains("not a partnerdesk database"), "{err}");

    // A schema newer than this binary's.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .and_then(|c| c.execute_batch("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"))
        .expect("a newer schema");
    let err = refused(&run(partnerdesk_in(dir.path()), &["restore", "--force", path(&newer)]));
    assert!(err.contains("schema version 9999") && err.contains("newer"), "{err}");

    // A running server keeps its database.
    let server = Server::start(partnerdesk_in(dir.path()), dir.path().join("serve.log"));
    let err = refused(&run(partnerdesk_in(dir.path()), &["restore", "--force", path(&backup)]));
    assert!(err.contains("open in another process"), "{err}");
    server.kill();

    // Stopped, it is replaced.
    let out = succeeded(&run(partnerdesk_in(dir.path()), &["restore", "--force", path(&backup)]));
    assert!(out.contains("restored"), "{out}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list the directory")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.starts_with(".pd.db."))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

#[test]
fn on_postgresql_both_commands_name_the_postgresql_tools_without_the_password() {
    for command in ["backup", "restore"] {
        let output = run(
            partnerdesk(),
            &[
                "--database-url",
                "postgres://pd:s3cret@127.0.0.1:5432/test",
                command,
                "x.db",
            ],
        );
        let err = refused(&output);
        assert!(err.contains(&format!("{command} works on SQLite databases")), "{err}");
        assert!(
            err.contains("pg_dump --format=custom")
                && err.contains("pg_restore")
                && err.contains("'postgres://pd@127.0.0.1:5432/test'"),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
    }
}
