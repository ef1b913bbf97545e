//! Dashboard sessions: started with e-mail and password, looked up by the cookie's secret,
//! ended by sign-out, expiry or the user's deletion, on every backend.

use chrono::Duration;
use partnerdesk_app::auth::{WEB_SESSION_PREFIX, WEB_SESSION_TTL_HOURS};
use partnerdesk_app::{AppError, Clock, SignInClient};
use partnerdesk_domain::audit::Application;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::{backends, TestApp, PASSWORD};

fn is_unauthenticated<T: std::fmt::Debug>(outcome: &Result<T, AppError>) -> bool {
    matches!(outcome, Err(AppError::Unauthenticated(_)))
}

#[tokio::test]
async fn a_started_session_stands_for_its_user_with_its_csrf_token() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let agent = t.user_with_role(&partner.admin, "sales_agent").await;
        let email = t.app.me(&agent).await.expect("me").email;
        let started = t
            .app
            .start_web_session(&SignInClient::unknown(), email.as_str(), PASSWORD)
            .await
            .expect("start");
        assert!(started.secret.starts_with(WEB_SESSION_PREFIX), "{b}");
        assert_eq!(started.session.caller, agent.clone().via(Application::Dashboard), "{b}");
        assert_eq!(
            started.session.expires_at,
            t.clock.now() + Duration::hours(WEB_SESSION_TTL_HOURS),
            "{b}"
        );
        assert!(!started.session.csrf_token.is_empty(), "{b}");
        assert_ne!(
            started.session.csrf_token,
            started.secret.trim_start_matches(WEB_SESSION_PREFIX),
            "{b}"
        );

        let found = t.app.web_session(&started.secret).await.expect("look up");
        assert_eq!(found, started.session, "{b}");

        let other = t
            .app
            .start_web_session(&SignInClient::unknown(), email.as_str(), PASSWORD)
            .await
            .expect("start another");
        assert_ne!(other.secret, started.secret, "{b}");
        assert_ne!(other.session.id, started.session.id, "{b}");
        assert_ne!(other.session.csrf_token, started.session.csrf_token, "{b}");
    }
}

#[tokio::test]
async fn the_secret_is_not_stored_only_its_hash() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let started = t
            .app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("start");
        let mut tx = t.db.store.read().await.expect("read");
        assert_eq!(
            tx.find_web_session_by_hash(&started.secret).await.expect("find"),
            None,
            "{b}: the secret itself is no key"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_start_no_session_alike() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let wrong_password = t
            .app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", "not-the-password")
            .await;
        let unknown_email = t
            .app
            .start_web_session(&SignInClient::unknown(), "nobody@vendor.example", PASSWORD)
            .await;
        let malformed_email = t
            .app
            .start_web_session(&SignInClient::unknown(), "not an e-mail", PASSWORD)
            .await;
        assert!(is_unauthenticated(&wrong_password), "{b}: {wrong_password:?}");
        assert_eq!(
            wrong_password.as_ref().err(),
            unknown_email.as_ref().err(),
            "{b}: the answer does not tell which part was wrong"
        );
        assert_eq!(wrong_password.err(), malformed_email.err(), "{b}");
    }
}

#[tokio::test]
async fn an_unknown_secret_is_no_session() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        for secret in ["", "pds_", "pds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "pd_abc"] {
            let outcome = t.app.web_session(secret).await;
            assert!(is_unauthenticated(&outcome), "{b}: {secret:?}: {outcome:?}");
        }
    }
}

#[tokio::test]
async fn a_session_ended_by_sign_out_no_longer_signs_in_and_ending_it_again_is_fine() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let ended = t
            .app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("start");
        let kept = t
            .app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("start another");
        t.app.end_web_session(&ended.secret).await.expect("end");
        let outcome = t.app.web_session(&ended.secret).await;
        assert!(is_unauthenticated(&outcome), "{b}: {outcome:?}");
        assert_eq!(
            t.app.web_session(&kept.secret).await.as_ref(),
            Ok(&kept.session),
            "{b}: the user's other session stays"
        );
        t.app.end_web_session(&ended.secret).await.expect("end again");
        t.app.end_web_session("pds_unknown").await.expect("end an unknown one");
    }
}

#[tokio::test]
async fn a_session_expires_after_twelve_hours_and_is_deleted_when_found() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let started = t
            .app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("start");
        t.clock
            .advance(Duration::hours(WEB_SESSION_TTL_HOURS) - Duration::seconds(1));
        assert!(t.app.web_session(&started.secret).await.is_ok(), "{b}: not yet");
        t.clock.advance(Duration::seconds(1));
        let outcome = t.app.web_session(&started.secret).await;
        assert!(is_unauthenticated(&outcome), "{b}: {outcome:?}");

        let mut tx = t.db.store.begin().await.expect("begin");
        assert_eq!(
            tx.delete_web_sessions_before(t.clock.now() + Duration::days(365))
                .await
                .expect("purge"),
            0,
            "{b}: the expired session was deleted when it was found"
        );
    }
}

#[tokio::test]
async fn starting_a_session_purges_expired_ones() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        for _ in 0..2 {
            t.app
                .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
                .await
                .expect("start");
        }
        t.clock
            .advance(Duration::hours(WEB_SESSION_TTL_HOURS) + Duration::minutes(1));
        t.app
            .start_web_session(&SignInClient::unknown(), "operator@vendor.example", PASSWORD)
            .await
            .expect("start");
        let mut tx = t.db.store.begin().await.expect("begin");
        assert_eq!(
            tx.delete_web_sessions_before(t.clock.now() + Duration::days(365))
                .await
                .expect("purge"),
            1,
            "{b}: only the new session is left"
        );
    }
}

#[tokio::test]
async fn deleting_a_user_ends_its_sessions() {
    for db in backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let agent = t.user_with_role(&partner.admin, "sales_agent").await;
        let email = t.app.me(&agent).await.expect("me").email;
        let started = t
            .app
            .start_web_session(&SignInClient::unknown(), email.as_str(), PASSWORD)
            .await
            .expect("start");
        t.app
            .delete_user(&partner.admin, partner.id.into(), agent.user_id)
            .await
            .expect("delete user");
        let outcome = t.app.web_session(&started.secret).await;
        assert!(is_unauthenticated(&outcome), "{b}: {outcome:?}");
    }
}
