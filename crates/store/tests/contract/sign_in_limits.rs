//! Failed sign-ins, credential versions, and ending everything a user holds at once.

use chrono::Duration;
use partnerdesk_domain::sign_in::SignInFailure;
use partnerdesk_domain::token::{ApiToken, RefreshToken, WebSession};
use partnerdesk_domain::values::Email;

use crate::support::*;

fn failure(account: &str, client: &str, at: chrono::DateTime<chrono::Utc>) -> SignInFailure {
    SignInFailure {
        id: new_id::<uuid::Uuid>(),
        account: account.into(),
        client: client.into(),
        failed_at: at,
    }
}

#[tokio::test]
async fn failures_are_read_newest_first_per_account_and_forgotten_by_client_or_age() {
    for db in partnerdesk_testkit::backends().await {
        let t = now();
        let mut tx = db.store.begin().await.expect("begin");
        for (account, client, minutes_ago) in [("a", "x", 30), ("a", "y", 10), ("a", "x", 1), ("b", "x", 5)] {
            let f = failure(account, client, t - Duration::minutes(minutes_ago));
            tx.insert_sign_in_failure(&f).await.expect("insert");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let recent = tx
            .lock_sign_in_failures("a", t - Duration::minutes(20), 10)
            .await
            .expect("lock");
        let seen: Vec<_> = recent.iter().map(|f| f.client.as_str()).collect();
        assert_eq!(seen, ["x", "y"], "{}: newest first, within the window", db.backend);
        let one = tx
            .lock_sign_in_failures("a", t - Duration::hours(1), 1)
            .await
            .expect("lock");
        assert_eq!(one.len(), 1, "{}: limited", db.backend);
        assert_eq!(one[0].failed_at, t - Duration::minutes(1), "{}", db.backend);

        assert_eq!(tx.delete_sign_in_failures_of_client("a", "x").await.expect("delete"), 2);
        assert_eq!(
            tx.delete_sign_in_failures_before(t - Duration::minutes(7))
                .await
                .expect("purge"),
            1
        );
        let left = tx
            .lock_sign_in_failures("b", t - Duration::hours(1), 10)
            .await
            .expect("lock");
        assert_eq!(left.len(), 1, "{}: another account is untouched", db.backend);
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn a_new_password_moves_the_credential_version_on() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let email = Email::parse("anna@fabrikam.example").expect("email");
        let mut tx = db.store.begin().await.expect("begin");
        assert_eq!(tx.find_credential_version(anna.id).await.expect("find"), Some(0));
        tx.set_password_hash(anna.id, "new-hash").await.expect("set");
        assert_eq!(tx.lock_credential_version(anna.id).await.expect("lock"), Some(1));
        let creds = tx.find_user_by_email(&email).await.expect("find").expect("anna");
        assert_eq!(
            (creds.password_hash.as_str(), creds.credential_version),
            ("new-hash", 1)
        );
        assert_eq!(
            tx.find_credential_version(new_id()).await.expect("find"),
            None,
            "{}",
            db.backend
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn a_users_sessions_and_tokens_end_together_and_no_one_elses() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let bob = seed_user(&db, "bob@fabrikam.example").await;
        let t = now();
        let mut tx = db.store.begin().await.expect("begin");
        for (i, user) in [anna.id, anna.id, bob.id].into_iter().enumerate() {
            let api = ApiToken {
                id: new_id(),
                user_id: user,
                name: name("script"),
                created_at: t,
                last_used_at: None,
                expires_at: None,
                revoked_at: None,
            };
            tx.insert_api_token(&api, &format!("api-{i}")).await.expect("api token");
            let refresh = RefreshToken {
                id: new_id(),
                user_id: user,
                created_at: t,
                expires_at: t + Duration::days(30),
                revoked_at: None,
                replaced_by: None,
            };
            tx.insert_refresh_token(&refresh, &format!("refresh-{i}"))
                .await
                .expect("refresh");
            let session = WebSession {
                id: new_id(),
                user_id: user,
                csrf_token: format!("csrf-{i}"),
                created_at: t,
                expires_at: t + Duration::hours(12),
            };
            tx.insert_web_session(&session, &format!("session-{i}"))
                .await
                .expect("session");
        }
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        assert_eq!(tx.revoke_api_tokens_of_user(anna.id, t).await.expect("api"), 2);
        assert_eq!(tx.revoke_refresh_tokens_of_user(anna.id, t).await.expect("refresh"), 2);
        assert_eq!(tx.delete_web_sessions_of_user(anna.id).await.expect("sessions"), 2);
        assert_eq!(
            tx.revoke_api_tokens_of_user(anna.id, t).await.expect("again"),
            0,
            "{}",
            db.backend
        );
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        for (i, still) in [(0, false), (1, false), (2, true)] {
            let api = tx.find_api_token_by_hash(&format!("api-{i}")).await.expect("find");
            assert_eq!(
                api.expect("token").revoked_at.is_none(),
                still,
                "{}: api {i}",
                db.backend
            );
            let refresh = tx
                .find_refresh_token_by_hash(&format!("refresh-{i}"))
                .await
                .expect("find");
            assert_eq!(
                refresh.expect("token").revoked_at.is_none(),
                still,
                "{}: refresh {i}",
                db.backend
            );
            let session = tx
                .find_web_session_by_hash(&format!("session-{i}"))
                .await
                .expect("find");
            assert_eq!(session.is_some(), still, "{}: session {i}", db.backend);
        }
    }
}
