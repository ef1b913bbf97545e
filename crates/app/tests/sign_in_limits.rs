//! The sign-in limits under concurrency: guesses sent at once, to two apps over one
//! database (two nodes), are counted one by one, so no more passwords are checked than the
//! limit allows.

use std::net::IpAddr;
use std::sync::Arc;

use partnerdesk_app::{App, AppConfig, AppError, PasswordCost, SignInClient, V7Ids};
use partnerdesk_domain::sign_in::CLIENT_MAX_FAILURES;
use partnerdesk_testkit::{TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_to_two_nodes_check_no_more_passwords_than_the_limit() {
    for db in partnerdesk_testkit::backends().await {
        let t = TestApp::on(db).await;
        let config = AppConfig {
            password_cost: PasswordCost::Fast,
            ..AppConfig::default()
        };
        let other_node = App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids));
        let client = SignInClient::from_ip("203.0.113.5".parse::<IpAddr>().expect("ip"));
        let before = t.app.password_checks() + other_node.password_checks();
        let mut guesses = Vec::new();
        for n in 0..20 {
            let app = if n % 2 == 0 { t.app.clone() } else { other_node.clone() };
            let client = client.clone();
            guesses.push(tokio::spawn(async move {
                app.sign_in(&client, "operator@vendor.example", &format!("guess-{n}-wrong"))
                    .await
            }));
        }
        let (mut wrong, mut held_back) = (0, 0);
        for guess in guesses {
            match guess.await.expect("task") {
                Err(AppError::Unauthenticated(_)) => wrong += 1,
                Err(AppError::TooManyFailedSignIns { .. }) => held_back += 1,
                other => panic!("{}: unexpected {other:?}", t.db.backend),
            }
        }
        assert_eq!(
            (wrong, held_back),
            (CLIENT_MAX_FAILURES, 20 - CLIENT_MAX_FAILURES),
            "{}",
            t.db.backend
        );
        let checks = t.app.password_checks() + other_node.password_checks() - before;
        assert_eq!(checks, CLIENT_MAX_FAILURES as u64, "{}", t.db.backend);
        let right = t.app.sign_in(&client, "operator@vendor.example", PASSWORD).await;
        assert!(
            matches!(right, Err(AppError::TooManyFailedSignIns { .. })),
            "{}",
            t.db.backend
        );
    }
}
