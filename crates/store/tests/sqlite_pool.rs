//! SQLite only: the writer and reader pool survive abandoned transactions and cancelled calls.

use std::time::Duration;

use partnerdesk_domain::org::{Partner, PartnerType};
use partnerdesk_domain::values::Name;
use partnerdesk_domain::PartnerId;

fn partner(name: &str) -> Partner {
    Partner {
        id: PartnerId(uuid::Uuid::now_v7()),
        name: Name::parse("name", name).expect("valid name"),
        partner_type: PartnerType::Direct,
        created_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("valid time"),
        version: 1,
    }
}

/// Fails the test instead of hanging when the pool is wedged.
async fn soon<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .unwrap_or_else(|_| panic!("{what} is stuck"))
}

#[tokio::test]
async fn a_write_cancelled_mid_call_neither_lands_nor_wedges_the_writer() {
    let db = partnerdesk_testkit::sqlite().await;
    for _ in 0..20 {
        let lost = partner("Lost");
        let mut tx = soon("begin", db.store.begin()).await.expect("begin");
        {
            let insert = tx.insert_partner(&lost);
            // Poll the insert once (it starts on a blocking thread), then drop it mid-call.
            tokio::select! {
                biased;
                _ = insert => {}
                _ = std::future::ready(()) => {}
            }
        }
        drop(tx);

        let kept = partner("Kept");
        let mut tx = soon("begin after a cancelled call", db.store.begin())
            .await
            .expect("begin");
        assert_eq!(tx.find_partner(lost.id).await.expect("find"), None);
        tx.insert_partner(&kept).await.expect("insert");
        soon("commit", tx.commit()).await.expect("commit");
        let mut tx = soon("read", db.store.read()).await.expect("read");
        assert_eq!(tx.find_partner(kept.id).await.expect("find"), Some(kept));
    }
}

#[tokio::test]
async fn a_call_after_a_cancelled_one_reports_an_error_instead_of_hanging() {
    let db = partnerdesk_testkit::sqlite().await;
    let lost = partner("Lost");
    let mut tx = db.store.begin().await.expect("begin");
    {
        let insert = tx.insert_partner(&lost);
        tokio::select! {
            biased;
            _ = insert => {}
            _ = std::future::ready(()) => {}
        }
    }
    // The cancelled call may or may not have finished; either way nothing hangs.
    let _ = soon(
        "a call after a cancelled one",
        tx.find_partner(PartnerId(uuid::Uuid::now_v7())),
    )
    .await;
    let _ = soon("commit after a cancelled call", tx.commit()).await;
    let mut tx = soon("begin", db.store.begin()).await.expect("begin");
    tx.insert_partner(&partner("Next")).await.expect("insert");
    tx.commit().await.expect("commit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn more_readers_than_connections_wait_their_turn() {
    let db = partnerdesk_testkit::sqlite().await;
    let p = partner("Everywhere");
    let mut tx = db.store.begin().await.expect("begin");
    tx.insert_partner(&p).await.expect("insert");
    tx.commit().await.expect("commit");

    let readers: Vec<_> = (0..32)
        .map(|_| {
            let store = db.store.clone();
            let id = p.id;
            tokio::spawn(async move {
                let mut tx = store.read().await.expect("read");
                tokio::time::sleep(Duration::from_millis(5)).await;
                tx.find_partner(id).await.expect("find").map(|p| p.id)
            })
        })
        .collect();
    for r in readers {
        assert_eq!(soon("reader", r).await.expect("task"), Some(p.id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_transactions_dropped_on_other_threads_release_the_writer() {
    let db = partnerdesk_testkit::sqlite().await;
    for _ in 0..10 {
        let store = db.store.clone();
        tokio::spawn(async move {
            let mut tx = store.begin().await.expect("begin");
            tx.insert_partner(&partner("Dropped")).await.expect("insert");
        })
        .await
        .expect("task");
    }
    let mut tx = soon("begin", db.store.begin()).await.expect("begin");
    assert!(tx.list_partners(None, 100).await.expect("list").is_empty());
}

#[tokio::test]
async fn a_database_locked_by_another_process_is_reported_as_unavailable_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("locked.db");
    let store = partnerdesk_store::Store::open(&partnerdesk_store::DatabaseUrl::Sqlite(path.clone()))
        .await
        .expect("open");
    // Another program holds the write lock on the same file.
    let other = rusqlite::Connection::open(&path).expect("second connection");
    other.execute_batch("BEGIN EXCLUSIVE").expect("take the lock");

    let outcome = soon("a write against a locked database", async {
        let mut tx = store.begin().await?;
        tx.insert_partner(&partner("Blocked")).await?;
        tx.commit().await
    })
    .await;
    match outcome {
        Err(partnerdesk_store::StoreError::Unavailable(msg)) => {
            assert!(
                msg.to_lowercase().contains("lock") || msg.to_lowercase().contains("busy"),
                "says why: {msg}"
            )
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    other.execute_batch("ROLLBACK").expect("release");
    let mut tx = store.begin().await.expect("the writer works again");
    tx.insert_partner(&partner("After")).await.expect("insert");
    tx.commit().await.expect("commit");
}
