//! Transactions: commit, rollback, isolation, and the store's lifecycle.

use partnerdesk_store::Store;

use crate::support::*;

#[tokio::test]
async fn migrating_an_already_migrated_database_changes_nothing() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        db.store.migrate().await.expect("migrate again");
        db.store.ping().await.expect("ping");
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(tx.find_partner(p.id).await.expect("find"), Some(p), "{}", db.backend);
    }
}

#[tokio::test]
async fn a_write_transaction_dropped_without_commit_leaves_nothing_and_the_next_one_works() {
    for db in partnerdesk_testkit::backends().await {
        let forgotten = partner("Forgotten");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&forgotten).await.expect("insert");
        drop(tx);

        let kept = partner("Kept");
        let mut tx = db.store.begin().await.expect("begin after a dropped transaction");
        assert_eq!(
            tx.find_partner(forgotten.id).await.expect("find"),
            None,
            "{}",
            db.backend
        );
        tx.insert_partner(&kept).await.expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_partner(forgotten.id).await.expect("find"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_partner(kept.id).await.expect("find"),
            Some(kept),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_explicit_rollback_discards_the_writes() {
    for db in partnerdesk_testkit::backends().await {
        let p = partner("Rolled Back");
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&p).await.expect("insert");
        tx.rollback().await.expect("rollback");
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(tx.find_partner(p.id).await.expect("find"), None, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_read_transaction_does_not_see_uncommitted_writes() {
    for db in partnerdesk_testkit::backends().await {
        let p = partner("Not Yet");
        let mut writer = db.store.begin().await.expect("begin");
        writer.insert_partner(&p).await.expect("insert");

        let mut reader = db.store.read().await.expect("read while a write is open");
        assert_eq!(reader.find_partner(p.id).await.expect("find"), None, "{}", db.backend);
        writer.commit().await.expect("commit");
        assert_eq!(
            reader.find_partner(p.id).await.expect("find"),
            None,
            "{}: a consistent view",
            db.backend
        );
        reader.commit().await.expect("end read");

        let mut reader = db.store.read().await.expect("read");
        assert_eq!(
            reader.find_partner(p.id).await.expect("find"),
            Some(p),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_read_transaction_refuses_writes() {
    for db in partnerdesk_testkit::backends().await {
        let p = partner("Sneaky");
        let mut tx = db.store.read().await.expect("read");
        assert!(tx.insert_partner(&p).await.is_err(), "{}", db.backend);
        drop(tx);
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(tx.find_partner(p.id).await.expect("find"), None, "{}", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_write_transactions_all_commit() {
    for db in partnerdesk_testkit::backends().await {
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let store: Store = db.store.clone();
                tokio::spawn(async move {
                    let p = partner(&format!("Concurrent {i}"));
                    let mut tx = store.begin().await.expect("begin");
                    tx.insert_partner(&p).await.expect("insert");
                    tx.commit().await.expect("commit");
                    p.id
                })
            })
            .collect();
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.expect("task"));
        }
        ids.sort();
        let mut tx = db.store.read().await.expect("read");
        let listed: Vec<_> = tx
            .list_partners(None, 100)
            .await
            .expect("list")
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(listed, ids, "{}", db.backend);
    }
}
