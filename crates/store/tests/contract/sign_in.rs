//! Sign-in state: personal API tokens, refresh tokens, signing keys and idempotency keys.

use chrono::Duration;
use partnerdesk_domain::org::User;
use partnerdesk_domain::token::{ApiToken, RefreshToken};
use partnerdesk_domain::*;
use partnerdesk_store::{IdempotencyRecord, SigningKey, StoreError, StoredResponse};

use crate::support::*;

fn api_token(user: UserId, label: &str) -> ApiToken {
    ApiToken {
        id: new_id(),
        user_id: user,
        name: name(label),
        created_at: now(),
        last_used_at: None,
        expires_at: Some(now() + Duration::days(90)),
        revoked_at: None,
    }
}

fn refresh_token(user: UserId) -> RefreshToken {
    RefreshToken {
        id: new_id(),
        user_id: user,
        created_at: now(),
        expires_at: now() + Duration::days(30),
        revoked_at: None,
        replaced_by: None,
    }
}

#[tokio::test]
async fn api_tokens_are_found_by_id_and_by_hash_and_listed_per_user_oldest_first() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let (first, second) = (api_token(anna.id, "ci"), api_token(anna.id, "Скрипт отчётов"));
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_api_token(&second, "hash-2").await.expect("insert second");
        tx.insert_api_token(&first, "hash-1").await.expect("insert first");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_api_token(first.id).await.expect("find"),
            Some(first.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_api_token_by_hash("hash-2").await.expect("find by hash"),
            Some(second.clone()),
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_api_token_by_hash("no-such-hash").await.expect("find by hash"),
            None,
            "{}",
            db.backend
        );
        let mut expected = vec![first.clone(), second.clone()];
        expected.sort_by_key(|t| t.id);
        assert_eq!(
            tx.list_api_tokens(anna.id).await.expect("list"),
            expected,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.list_api_tokens(new_id()).await.expect("list"),
            vec![],
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_second_api_token_with_the_same_hash_is_a_conflict() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_api_token(&api_token(anna.id, "one"), "same-hash")
            .await
            .expect("insert");
        let err = tx
            .insert_api_token(&api_token(anna.id, "two"), "same-hash")
            .await
            .expect_err("duplicate hash");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
    }
}

#[tokio::test]
async fn revoking_an_api_token_happens_once_and_an_unknown_one_is_not_found() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let token = api_token(anna.id, "ci");
        let at = now();
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_api_token(&token, "hash").await.expect("insert");
        assert!(
            tx.revoke_api_token(token.id, at).await.expect("revoke"),
            "{}",
            db.backend
        );
        assert!(
            !tx.revoke_api_token(token.id, at + Duration::hours(1))
                .await
                .expect("revoke again"),
            "{}",
            db.backend
        );
        let err = tx.revoke_api_token(new_id(), at).await.expect_err("unknown token");
        assert_eq!(err, StoreError::NotFound("API token"), "{}", db.backend);
        tx.touch_api_token(token.id, at).await.expect("touch");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let stored = tx.find_api_token(token.id).await.expect("find").expect("exists");
        assert_eq!(
            stored.revoked_at,
            Some(at),
            "{}: the first revocation stays",
            db.backend
        );
        assert_eq!(stored.last_used_at, Some(at), "{}", db.backend);
    }
}

#[tokio::test]
async fn deleting_a_user_deletes_its_tokens() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let token = api_token(anna.id, "ci");
        let refresh = refresh_token(anna.id);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_api_token(&token, "hash").await.expect("insert");
        tx.insert_refresh_token(&refresh, "refresh-hash").await.expect("insert");
        tx.delete_user(anna.id).await.expect("delete user");
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.find_api_token_by_hash("hash").await.expect("find"),
            None,
            "{}",
            db.backend
        );
        assert_eq!(
            tx.find_refresh_token(refresh.id).await.expect("find"),
            None,
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_refresh_token_is_rotated_once_and_names_its_successor() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let (old, new) = (refresh_token(anna.id), refresh_token(anna.id));
        let at = now();
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_refresh_token(&old, "old-hash").await.expect("insert old");
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_refresh_token(&new, "new-hash").await.expect("insert new");
        assert!(
            tx.revoke_refresh_token(old.id, at, Some(new.id)).await.expect("rotate"),
            "{}",
            db.backend
        );
        assert!(
            !tx.revoke_refresh_token(old.id, at, Some(new_id()))
                .await
                .expect("rotate again"),
            "{}: a rotated token is not rotated twice",
            db.backend
        );
        let err = tx
            .revoke_refresh_token(new_id(), at, None)
            .await
            .expect_err("unknown token");
        assert_eq!(err, StoreError::NotFound("refresh token"), "{}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.read().await.expect("read");
        let stored = tx
            .find_refresh_token_by_hash("old-hash")
            .await
            .expect("find")
            .expect("exists");
        assert_eq!(stored.revoked_at, Some(at), "{}", db.backend);
        assert_eq!(stored.replaced_by, Some(new.id), "{}", db.backend);
        assert_eq!(
            tx.find_refresh_token(new.id).await.expect("find"),
            Some(new.clone()),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn signing_keys_are_listed_oldest_first_and_a_kid_is_unique() {
    for db in partnerdesk_testkit::backends().await {
        let key = |kid: &str, minutes: i64| SigningKey {
            kid: kid.into(),
            algorithm: "EdDSA".into(),
            private_key: "MC4CAQAwBQYDK2VwBCIEI...".into(),
            public_jwk: format!(r#"{{"kty":"OKP","crv":"Ed25519","kid":"{kid}","x":"abc"}}"#),
            created_at: now() - Duration::minutes(minutes),
        };
        let (older, newer) = (key("zz-older", 10), key("aa-newer", 1));
        let mut tx = db.store.begin().await.expect("begin");
        assert_eq!(tx.list_signing_keys().await.expect("list"), vec![], "{}", db.backend);
        tx.insert_signing_key(&newer).await.expect("insert newer");
        tx.insert_signing_key(&older).await.expect("insert older");
        let err = tx.insert_signing_key(&older).await.expect_err("same kid");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_signing_key(&newer).await.expect("insert newer");
        tx.insert_signing_key(&older).await.expect("insert older");
        tx.commit().await.expect("commit");
        let mut tx = db.store.read().await.expect("read");
        assert_eq!(
            tx.list_signing_keys().await.expect("list"),
            vec![older.clone(), newer.clone()],
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn an_idempotency_key_is_reserved_once_per_caller_then_completed_and_expired() {
    for db in partnerdesk_testkit::backends().await {
        let anna = seed_user(&db, "anna@fabrikam.example").await;
        let boris = seed_user(&db, "boris@fabrikam.example").await;
        let record = |user: &User, minutes_ago: i64| IdempotencyRecord {
            user_id: user.id,
            request_id: "8f1c2a7e-0001".into(),
            org_id: user.org_id,
            method: "POST".into(),
            path: "/v1/me/tokens".into(),
            response: None,
            created_at: now() - Duration::minutes(minutes_ago),
        };
        let reserved = record(&anna, 0);
        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_idempotency_key(&reserved).await.expect("reserve");
        let err = tx
            .insert_idempotency_key(&reserved)
            .await
            .expect_err("second reservation");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err:?}", db.backend);
        drop(tx);

        let mut tx = db.store.begin().await.expect("begin");
        tx.insert_idempotency_key(&reserved).await.expect("reserve");
        tx.insert_idempotency_key(&record(&boris, 60 * 25))
            .await
            .expect("another caller may use the same id");
        assert_eq!(
            tx.find_idempotency_key(anna.id, "8f1c2a7e-0001").await.expect("find"),
            Some(reserved.clone()),
            "{}",
            db.backend
        );
        let response = StoredResponse {
            status: 201,
            body: br#"{"id":"t1"}"#.to_vec(),
            content_type: Some("application/json".into()),
            location: Some("/v1/me/tokens/t1".into()),
        };
        tx.complete_idempotency_key(anna.id, "8f1c2a7e-0001", &response)
            .await
            .expect("complete");
        let err = tx
            .complete_idempotency_key(anna.id, "unknown", &response)
            .await
            .expect_err("not reserved");
        assert_eq!(err, StoreError::NotFound("idempotency key"), "{}", db.backend);
        tx.commit().await.expect("commit");

        let mut tx = db.store.begin().await.expect("begin");
        let stored = tx
            .find_idempotency_key(anna.id, "8f1c2a7e-0001")
            .await
            .expect("find")
            .expect("exists");
        assert_eq!(stored.response, Some(response.clone()), "{}", db.backend);
        assert_eq!(stored.path, "/v1/me/tokens", "{}", db.backend);
        assert_eq!(stored.org_id, anna.org_id, "{}", db.backend);
        let pending = tx
            .find_idempotency_key(boris.id, "8f1c2a7e-0001")
            .await
            .expect("find")
            .expect("exists");
        assert_eq!(pending.response, None, "{}: still running", db.backend);

        let purged = tx
            .delete_idempotency_keys_before(now() - Duration::hours(24))
            .await
            .expect("purge");
        assert_eq!(purged, 1, "{}: only the day-old key goes", db.backend);
        assert!(
            tx.delete_idempotency_key(anna.id, "8f1c2a7e-0001")
                .await
                .expect("delete"),
            "{}",
            db.backend
        );
        assert!(
            !tx.delete_idempotency_key(anna.id, "8f1c2a7e-0001")
                .await
                .expect("delete again"),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_server_key_is_made_once_and_the_first_one_stays() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let mut tx = db.store.begin().await.expect("begin");
        assert_eq!(tx.find_server_key("links").await.expect("find"), None, "{b}");
        let first = tx.ensure_server_key("links", "secret-1", now()).await.expect("make");
        assert_eq!(first, "secret-1", "{b}");
        tx.commit().await.expect("commit");
        let mut tx = db.store.begin().await.expect("begin");
        let again = tx.ensure_server_key("links", "secret-2", now()).await.expect("again");
        assert_eq!(again, "secret-1", "{b}: the stored key wins over a new candidate");
        assert_eq!(
            tx.find_server_key("links").await.expect("find"),
            Some("secret-1".to_string()),
            "{b}"
        );
        tx.commit().await.expect("commit");
    }
}
