//! Dashboard sessions: stored by the hash of their cookie secret, ended one by one or when
//! they expire, and gone with their user.

use chrono::{DateTime, Duration, Utc};
use partnerdesk_domain::token::WebSession;
use partnerdesk_domain::*;
use partnerdesk_store::StoreError;

use crate::support::*;

fn web_session(user: UserId, expires_at: DateTime<Utc>) -> WebSession {
    WebSession {
        id: new_id(),
        user_id: user,
        csrf_token: format!("csrf-{}", uuid::Uuid::now_v7()),
        created_at: now(),
        expires_at,
    }
}

#[tokio::test]
async fn a_web_session_is_found_by_the_hash_of_its_secret_only() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let session = web_session(anna.id, now() + Duration::hours(12));
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_web_session(&session, "session-hash").await.expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_web_session_by_hash("session-hash").await.expect("find"),
            Some(session.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_web_session_by_hash("no-such-hash").await.expect("find"),
            None,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_second_web_session_with_the_same_hash_is_a_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let expires = now() + Duration::hours(12);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_web_session(&web_session(anna.id, expires), "same-hash")
            .await
            .expect("insert");
        let err = tx
            .insert_web_session(&web_session(anna.id, expires), "same-hash")
            .await
            .expect_err("duplicate hash");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn deleting_a_web_session_happens_once() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let (ended, kept) = (
            web_session(anna.id, now() + Duration::hours(12)),
            web_session(anna.id, now() + Duration::hours(12)),
        );
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_web_session(&ended, "ended-hash").await.expect("insert");
        tx.insert_web_session(&kept, "kept-hash").await.expect("insert");
        assert!(tx.delete_web_session(ended.id).await.expect("delete"), "{}", db.backend);
        assert!(
            !tx.delete_web_session(ended.id).await.expect("delete again"),
            "{}",
            db.backend
        );
        assert!(
            !tx.delete_web_session(new_id()).await.expect("delete unknown"),
            "{}",
            db.backend
        );
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_web_session_by_hash("ended-hash").await.expect("find"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_web_session_by_hash("kept-hash").await.expect("find"),
            Some(kept.clone()),
            "{}: the user's other session stays",
            db.backend
        );
    }
}

#[tokio::test]
async fn only_web_sessions_that_expired_before_the_given_time_are_purged() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let cutoff = now();
        let expired = web_session(anna.id, cutoff - Duration::minutes(1));
        let at_cutoff = web_session(anna.id, cutoff);
        let live = web_session(anna.id, cutoff + Duration::hours(12));
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_web_session(&expired, "expired-hash").await.expect("insert");
        tx.insert_web_session(&at_cutoff, "cutoff-hash").await.expect("insert");
        tx.insert_web_session(&live, "live-hash").await.expect("insert");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let purged = tx.delete_web_sessions_before(cutoff).await.expect("purge");
        assert_eq!(purged, 1, "{}: only the session that expired before goes", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_web_session_by_hash("expired-hash").await.expect("find"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_web_session_by_hash("cutoff-hash").await.expect("find"),
            Some(at_cutoff.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_web_session_by_hash("live-hash").await.expect("find"),
            Some(live.clone()),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn deleting_a_user_deletes_its_web_sessions() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let boris = seed_user(&db, "boris@fabrikam.example").await;
        let borises = web_session(boris.id, now() + Duration::hours(12));
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_web_session(&web_session(anna.id, now() + Duration::hours(12)), "anna-hash")
            .await
            .expect("insert");
        tx.insert_web_session(&borises, "boris-hash").await.expect("insert");
        tx.delete_user(anna.id).await.expect("delete user");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_web_session_by_hash("anna-hash").await.expect("find"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_web_session_by_hash("boris-hash").await.expect("find"),
            Some(borises.clone()),
            "{}",
            db.backend
        );
    }
}
