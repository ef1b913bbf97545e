//! Personal API tokens, OAuth2 grants, access tokens and idempotent request ids, on every
//! backend.

use partnerdesk_domain::audit::Application;
use std::sync::Arc;

use chrono::Duration;
use partnerdesk_app::{App, AppConfig, AppError, Reservation, SignInClient, StoredResponse, V7Ids};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{backends, TestApp, PASSWORD};

#[tokio::test]
async fn creating_and_revoking_a_token_is_audited_without_its_secret() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let created = t.app.create_api_token(&t.operator, "deploy").await.expect("create");
        t.app
            .revoke_api_token(&t.operator, created.token.id)
            .await
            .expect("revoke");
        let mut tx = t.db.store.read().await.expect("read");
        let records: Vec<_> = tx
            .list_audit(None, None, 100)
            .await
            .expect("audit")
            .into_iter()
            .filter(|r| r.resource_id == created.token.id.to_string())
            .collect();
        let ops: Vec<_> = records.iter().map(|r| r.operation.as_str()).collect();
        assert_eq!(ops, ["create_api_token", "revoke_api_token"], "{b}");
        assert!(
            records.iter().all(|r| {
                let text = format!("{:?}{:?}", r.before, r.after);
                !text.contains(&created.secret)
            }),
            "{b}: the secret is never written down"
        );
        assert_eq!(records[0].actor_user_id, Some(t.operator.user_id), "{b}");
    }
}

#[tokio::test]
async fn a_deleted_users_personal_and_access_tokens_stop_working() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let agent = t.user_with_role(&partner.admin, "sales_agent").await;
        let personal = t.token_for(&agent).await;
        let user = t.app.me(&agent).await.expect("me");
        let issued = t
            .app
            .grant_password(&SignInClient::unknown(), user.email.as_str(), PASSWORD)
            .await
            .expect("password grant");
        assert_eq!(
            t.app.authenticate(&issued.access_token).await,
            Ok(agent.clone().via(Application::OAuth)),
            "{b}"
        );

        // Both tokens authenticated (and are remembered) before the deletion.
        assert!(t.app.authenticate(&personal).await.is_ok(), "{b}");
        t.app
            .delete_user(&partner.admin, partner.admin.org_id, agent.user_id)
            .await
            .expect("delete user");

        for token in [&personal, &issued.access_token] {
            let err = t.app.authenticate(token).await.expect_err("deleted user");
            assert!(matches!(err, AppError::Unauthenticated(_)), "{b}: {err:?}");
        }
        let refresh = issued.refresh_token.expect("refresh token");
        let err = t.app.grant_refresh_token(&refresh).await.expect_err("deleted user");
        assert!(matches!(err, AppError::Unauthenticated(_)), "{b}: {err:?}");
    }
}

#[tokio::test]
async fn an_access_token_signed_by_one_node_is_accepted_by_another_on_the_same_database() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let other_node = App::with_clock(
            t.db.store.clone(),
            AppConfig::default(),
            t.clock.clone(),
            Arc::new(V7Ids),
        );
        let issued = t
            .app
            .grant_password(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("password grant");
        assert_eq!(
            other_node.authenticate(&issued.access_token).await,
            Ok(t.operator.clone().via(Application::OAuth)),
            "{b}"
        );
        assert_eq!(
            other_node.jwks().await.expect("jwks"),
            t.app.jwks().await.expect("jwks"),
            "{b}: both publish the same keys"
        );
    }
}

#[tokio::test]
async fn of_two_concurrent_refreshes_with_one_token_only_one_succeeds() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let issued = t
            .app
            .grant_password(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("password grant");
        let refresh = issued.refresh_token.expect("refresh token");
        let (first, second) = tokio::join!(t.app.grant_refresh_token(&refresh), t.app.grant_refresh_token(&refresh));
        let successes = [&first, &second].iter().filter(|r| r.is_ok()).count();
        assert_eq!(successes, 1, "{b}: {first:?} / {second:?}");
    }
}

#[tokio::test]
async fn a_refresh_token_expires_after_thirty_days() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let issued = t
            .app
            .grant_password(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("password grant");
        t.clock.advance(Duration::days(30));
        let err = t
            .app
            .grant_refresh_token(&issued.refresh_token.expect("refresh token"))
            .await
            .expect_err("expired");
        assert!(matches!(err, AppError::Unauthenticated(_)), "{b}: {err:?}");
    }
}

#[tokio::test]
async fn a_request_id_commits_with_its_change_and_is_replayed_then_refused_for_another_request() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let op = &t.operator;
        let scope = |caller, id, path| t.app.idempotency_scope(caller, id, "POST", path).expect("scope");
        let tokens = || async { t.app.list_api_tokens(op).await.expect("list").len() };
        let response = StoredResponse {
            status: 201,
            body: br#"{"id":"t1"}"#.to_vec(),
            content_type: Some("application/json".into()),
            location: None,
        };

        let first = scope(op, "req-1", "/v1/me/tokens");
        assert_eq!(t.app.check_request(&first).await, Ok(Reservation::Fresh), "{b}");
        t.app
            .within_scope(first.clone(), t.app.create_api_token(op, "a"))
            .await
            .expect("create");
        assert!(first.has_changes(), "{b}");
        assert_eq!(tokens().await, 0, "{b}: nothing is committed before the answer is kept");
        t.app.commit_request(&first, &response).await.expect("commit");
        assert_eq!(tokens().await, 1, "{b}");

        let again = scope(op, "req-1", "/v1/me/tokens");
        assert_eq!(
            t.app.check_request(&again).await,
            Ok(Reservation::Replay(response.clone())),
            "{b}"
        );
        // Even past the check (a repeat racing the first), the write refuses to run twice.
        let err = t
            .app
            .within_scope(again.clone(), t.app.create_api_token(op, "a"))
            .await
            .expect_err("already done");
        assert!(matches!(err, AppError::Conflict(_)), "{b}: {err:?}");
        assert_eq!(again.repeated(), Some(Reservation::Replay(response.clone())), "{b}");
        assert_eq!(tokens().await, 1, "{b}");
        assert_eq!(
            t.app.check_request(&scope(op, "req-1", "/v1/partners")).await,
            Ok(Reservation::Mismatch {
                method: "POST".into(),
                path: "/v1/me/tokens".into()
            }),
            "{b}"
        );
        assert_eq!(
            t.app
                .check_request(&scope(&partner.admin, "req-1", "/v1/me/tokens"))
                .await,
            Ok(Reservation::Fresh),
            "{b}: request ids are per caller"
        );

        // A request that is discarded (refused, failed, dropped) leaves nothing behind.
        let dropped = scope(op, "req-2", "/v1/me/tokens");
        t.app
            .within_scope(dropped.clone(), t.app.create_api_token(op, "b"))
            .await
            .expect("create");
        dropped.discard();
        assert_eq!(tokens().await, 1, "{b}");
        assert_eq!(t.app.check_request(&dropped).await, Ok(Reservation::Fresh), "{b}");

        t.clock.advance(Duration::hours(24) + Duration::seconds(1));
        assert_eq!(
            t.app.check_request(&scope(op, "req-1", "/v1/partners")).await,
            Ok(Reservation::Fresh),
            "{b}: a day later the id is forgotten"
        );
    }
}

#[tokio::test]
async fn a_request_that_writes_twice_and_reads_what_it_wrote_commits_once_as_a_whole() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let op = &t.operator;
        let scope = t
            .app
            .idempotency_scope(op, "req-twice", "POST", "/v1/me/tokens")
            .expect("scope");
        let seen = t
            .app
            .within_scope(scope.clone(), async {
                t.app.create_api_token(op, "one").await.expect("first write");
                // On SQLite a second write transaction would wait for the writer held by
                // the first one: it continues the request's transaction instead.
                t.app.create_api_token(op, "two").await.expect("second write");
                t.app.list_api_tokens(op).await.expect("read").len()
            })
            .await;
        assert_eq!(seen, 2, "{b}: the request reads what it wrote");
        let response = StoredResponse {
            status: 204,
            body: Vec::new(),
            content_type: None,
            location: None,
        };
        t.app.commit_request(&scope, &response).await.expect("commit");
        assert_eq!(t.app.list_api_tokens(op).await.expect("list").len(), 2, "{b}");
    }
}
