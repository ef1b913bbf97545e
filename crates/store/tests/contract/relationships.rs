//! Reseller relationships and relationship requests.

use partnerdesk_domain::relationship::RelationshipState;
use partnerdesk_domain::request::RequestState;
use partnerdesk_store::StoreError;

use crate::support::*;

#[tokio::test]
async fn a_relationship_reads_back_as_written_and_is_found_as_the_active_one() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let rel = relationship(p.id, c.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_relationship(&rel).await.expect("insert");
        assert_eq!(
            tx.lock_active_relationship(p.id, c.id).await.expect("lock"),
            Some(rel.clone()),
            "{}",
            db.backend
        );
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_active_relationship(p.id, c.id).await.expect("find"),
            Some(rel.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_customer_relationships(c.id).await.expect("list"),
            vec![rel],
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_active_relationship(p.id, new_id()).await.expect("find"),
            None,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_second_active_relationship_for_the_same_pair_is_a_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_relationship(&relationship(p.id, c.id)).await.expect("first");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let err = tx
            .insert_relationship(&relationship(p.id, c.id))
            .await
            .expect_err("second active");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        drop(tx);

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_customer_relationships(c.id).await.expect("list").len(),
            1,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn closed_relationships_do_not_stop_a_new_active_one_for_the_same_pair() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let old = closed_relationship(p.id, c.id);
        let older_active = relationship(p.id, c.id);
        let new = relationship(p.id, c.id);

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_relationship(&old).await.expect("closed one");
        tx.insert_relationship(&older_active).await.expect("active one");
        // Closing the active one frees the pair for a new active relationship.
        let mut closing = older_active.clone();
        closing.close(new_id(), now(), "customer asked".into()).expect("close");
        tx.update_relationship(&closing).await.expect("close it");
        tx.insert_relationship(&new).await.expect("new active one");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let all = tx.list_customer_relationships(c.id).await.expect("list");
        let states: Vec<_> = all.iter().map(|r| (r.id, r.state)).collect();
        assert_eq!(
            states,
            vec![
                (old.id, RelationshipState::Closed),
                (older_active.id, RelationshipState::Closed),
                (new.id, RelationshipState::Active)
            ],
            "{}: oldest first",
            db.backend
        );
        assert_eq!(all[0], old, "{}", db.backend);
        let closed = &all[1];
        assert_eq!(
            (
                closed.closed_at,
                closed.closed_by,
                closed.close_reason.as_deref(),
                closed.version
            ),
            (closing.closed_at, closing.closed_by, Some("customer asked"), 2),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_active_relationship(p.id, c.id).await.expect("find"),
            Some(new),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_stale_relationship_update_is_a_version_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let rel = relationship(p.id, c.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_relationship(&rel).await.expect("insert");
        let mut closed = rel.clone();
        closed.close(new_id(), now(), "first".into()).expect("close");
        tx.update_relationship(&closed).await.expect("first update");
        let err = tx.update_relationship(&closed).await.expect_err("same version again");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        let err = tx
            .update_relationship(&relationship(p.id, c.id))
            .await
            .expect_err("never inserted");
        assert!(matches!(err, StoreError::NotFound(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn a_request_is_found_by_id_and_by_the_hash_of_its_token() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let req = request(p.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_request(&req, "sha256:abc").await.expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_request(req.id).await.expect("find"),
            Some(req.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_request_by_token_hash("sha256:abc").await.expect("by hash"),
            Some(req),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_request_by_token_hash("sha256:abd").await.expect("by hash"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(tx.find_request(new_id()).await.expect("find"), None, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_token_hash_belongs_to_one_request() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_request(&request(p.id), "same-hash").await.expect("first");
        let err = tx
            .insert_request(&request(p.id), "same-hash")
            .await
            .expect_err("second");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn an_accepted_request_reads_back_with_its_answer_and_a_stale_answer_conflicts() {
    for db in partnerdesk_testkit::backends().await {
        let (p, c) = seed_pair(&db).await;
        let req = request(p.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_request(&req, "hash-1").await.expect("insert");
        let mut accepted = req.clone();
        accepted.accept(c.id, new_id(), now()).expect("accept");
        tx.update_request(&accepted).await.expect("update");
        let mut declined = req.clone();
        declined.decline(c.id, new_id(), now()).expect("decline");
        let err = tx.update_request(&declined).await.expect_err("stale");
        assert!(matches!(err, StoreError::VersionConflict(_)), "{}: {err:?}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let stored = tx.find_request(req.id).await.expect("find").expect("exists");
        accepted.version = 2;
        assert_eq!(stored, accepted, "{}", db.backend);
        assert_eq!(stored.state, RequestState::Accepted);
    }
}

#[tokio::test]
async fn a_partners_requests_are_listed_newest_first() {
    for db in partnerdesk_testkit::backends().await {
        let (p, _) = seed_pair(&db).await;
        let other = partner("Other Partner");
        let mut first = request(p.id);
        first.created_at = now() - chrono::Duration::minutes(2);
        let second = request(p.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_partner(&other).await.expect("other partner");
        tx.insert_request(&first, "h1").await.expect("first");
        tx.insert_request(&second, "h2").await.expect("second");
        tx.insert_request(&request(other.id), "h3").await.expect("other's");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let ids: Vec<_> = tx
            .list_partner_requests(p.id)
            .await
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, vec![second.id, first.id], "{}", db.backend);
    }
}
