//! The sign-in limits, shared by `POST /signin` and `POST /oauth2/token`'s password grant:
//! five failures per account and client in 15 minutes, 100 per account in 24 hours, kept in
//! the database so that every node counts the same failures.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::Router;
use partnerdesk_app::{App, AppConfig, PasswordCost, V7Ids};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::sign_in::{ACCOUNT_MAX_FAILURES, CLIENT_MAX_FAILURES};
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, PASSWORD};
use serde_json::json;

use crate::dashboard::Visitor;
use crate::support::*;

const EMAIL: &str = "admin0@partner0.example";
const WRONG: &str = "wrong-password-1";

fn password_grant(username: &str, password: &str) -> Call {
    Call::post("/oauth2/token").form(&[
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
    ])
}

/// A test app with one partner (whose admin is [`EMAIL`]) on every backend.
async fn worlds() -> Vec<(TestApp, Router)> {
    let mut out = Vec::new();
    for (t, router) in apps().await {
        t.partner(PartnerType::Direct).await;
        out.push((t, router));
    }
    out
}

/// Asserts a refusal of the token endpoint for too many failures.
fn assert_held_back(answer: &Answer, what: &str) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{what}: {}", answer.json);
    assert_eq!(answer.json["error"], json!("invalid_grant"), "{what}");
    let description = answer.json["error_description"].as_str().unwrap_or_default();
    assert!(
        description.contains("too many failed sign-ins"),
        "{what}: {description}"
    );
    assert!(answer.header("retry-after").is_some(), "{what}: Retry-After");
    assert_eq!(answer.header("cache-control"), Some("no-store"), "{what}");
}

#[tokio::test]
async fn the_sixth_wrong_password_at_the_token_endpoint_is_refused_even_with_the_right_one() {
    for (t, router) in worlds().await {
        for n in 0..CLIENT_MAX_FAILURES {
            let answer = password_grant(EMAIL, WRONG).peer("203.0.113.9").send(&router).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "failure {n}");
            assert_eq!(answer.json["error"], json!("invalid_grant"));
            assert!(
                answer.header("retry-after").is_none(),
                "failure {n} is an ordinary refusal"
            );
        }
        let checks = t.app.password_checks();
        let right = password_grant(EMAIL, PASSWORD).peer("203.0.113.9").send(&router).await;
        assert_held_back(&right, "the right password after five wrong ones");
        // The clock stands still in tests: the wait is the whole 15-minute window.
        assert_eq!(right.header("retry-after"), Some("900"));
        assert_eq!(
            t.app.password_checks(),
            checks,
            "no password is checked while held back"
        );

        // Once the window has passed, the right password works again.
        t.clock.advance(chrono::Duration::minutes(15));
        let later = password_grant(EMAIL, PASSWORD).peer("203.0.113.9").send(&router).await;
        assert_eq!(later.status, StatusCode::OK, "{}", later.json);
    }
}

#[tokio::test]
async fn failures_at_the_dashboard_count_toward_the_token_endpoint_and_back() {
    for (t, router) in worlds().await {
        // Three at the dashboard and two at the token endpoint, from one client.
        let mut browser = Visitor::from_ip(&router, "198.51.100.4");
        for _ in 0..3 {
            let page = browser.sign_in_to(EMAIL, WRONG, "/home").await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        for _ in 0..2 {
            let answer = password_grant(EMAIL, WRONG).peer("198.51.100.4").send(&router).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        }
        let api = password_grant(EMAIL, PASSWORD).peer("198.51.100.4").send(&router).await;
        assert_held_back(&api, "the API after failures at the dashboard");
        let page = browser.sign_in_to(EMAIL, PASSWORD, "/home").await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.body.contains("Too many failed sign-ins"), "{}", page.body);
        assert_eq!(
            page.headers.get("retry-after").and_then(|v| v.to_str().ok()),
            Some("900")
        );
        assert!(browser.cookie("pd_session").is_none());

        // And the other way round, from another client: five at the API hold the
        // dashboard back, in the page's language.
        t.clock.advance(chrono::Duration::minutes(16));
        for _ in 0..CLIENT_MAX_FAILURES {
            password_grant(EMAIL, WRONG).peer("198.51.100.77").send(&router).await;
        }
        let mut russian = Visitor::from_ip(&router, "198.51.100.77");
        russian.cookies.push(("pd_lang".into(), "ru".into()));
        let page = russian.sign_in_to(EMAIL, PASSWORD, "/home").await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            page.body.contains("Слишком много неудачных попыток входа"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Too many"), "no English on a Russian page");
    }
}

#[tokio::test]
async fn an_attackers_failures_from_one_client_do_not_stop_the_owner_from_another() {
    for (_t, router) in worlds().await {
        let mut attacker = Visitor::from_ip(&router, "192.0.2.66");
        for _ in 0..3 * CLIENT_MAX_FAILURES {
            attacker.sign_in_to(EMAIL, WRONG, "/home").await;
        }
        let guessed = attacker.sign_in_to(EMAIL, PASSWORD, "/home").await;
        assert_eq!(
            guessed.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the attacker is held back"
        );

        // The owner, elsewhere, signs in to the dashboard and the API as usual.
        let mut owner = Visitor::from_ip(&router, "198.51.100.20");
        let page = owner.sign_in_to(EMAIL, PASSWORD, "/home").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(owner.cookie("pd_session").is_some());
        let api = password_grant(EMAIL, PASSWORD)
            .peer("198.51.100.20")
            .send(&router)
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.json);
        // An IPv6 neighbour in another /64 is another client too.
        let v6 = password_grant(EMAIL, PASSWORD)
            .peer("2001:db8:5::1")
            .send(&router)
            .await;
        assert_eq!(v6.status, StatusCode::OK, "{}", v6.json);
    }
}

#[tokio::test]
async fn a_patient_attacker_from_one_client_does_not_reach_the_account_cap() {
    for (t, router) in worlds().await {
        // Five guesses every quarter hour for nearly a day: 20 of them are checked, then the
        // client waits for the day to pass.
        for _ in 0..95 {
            for _ in 0..CLIENT_MAX_FAILURES {
                password_grant(EMAIL, WRONG).peer("192.0.2.66").send(&router).await;
            }
            t.clock.advance(chrono::Duration::minutes(15));
        }
        let attacker = password_grant(EMAIL, PASSWORD).peer("192.0.2.66").send(&router).await;
        assert_held_back(&attacker, "the attacker after a day of guessing");
        let owner = password_grant(EMAIL, PASSWORD)
            .peer("198.51.100.20")
            .send(&router)
            .await;
        assert_eq!(owner.status, StatusCode::OK, "{}", owner.json);
    }
}

#[tokio::test]
async fn the_account_cap_stops_every_client_once_many_clients_have_failed() {
    for (_t, router) in worlds().await {
        let clients = ACCOUNT_MAX_FAILURES / CLIENT_MAX_FAILURES;
        for c in 0..clients {
            let ip = format!("10.0.{}.{}", c / 200, c % 200 + 1);
            for _ in 0..CLIENT_MAX_FAILURES {
                let answer = password_grant(EMAIL, WRONG).peer(&ip).send(&router).await;
                assert_eq!(answer.status, StatusCode::BAD_REQUEST);
                assert!(answer.header("retry-after").is_none(), "{ip} is not held back yet");
            }
        }
        // A client that never failed is held back now, at the API and at the dashboard.
        let api = password_grant(EMAIL, PASSWORD)
            .peer("198.51.100.20")
            .send(&router)
            .await;
        assert_held_back(&api, "a fresh client past the account cap");
        let retry: u64 = api.header("retry-after").unwrap_or_default().parse().expect("seconds");
        assert_eq!(retry, 24 * 3600, "the cap lasts until the oldest failure is a day old");
        let mut owner = Visitor::from_ip(&router, "198.51.100.20");
        let page = owner.sign_in_to(EMAIL, PASSWORD, "/home").await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        // Other accounts are not affected.
        let other = password_grant("operator@vendor.example", PASSWORD)
            .peer("198.51.100.20")
            .send(&router)
            .await;
        assert_eq!(other.status, StatusCode::OK, "{}", other.json);
    }
}

#[tokio::test]
async fn two_nodes_over_one_database_share_the_count() {
    for (t, node_a) in worlds().await {
        let config = AppConfig {
            password_cost: PasswordCost::Fast,
            ..AppConfig::default()
        };
        let second = App::with_clock(t.db.store.clone(), config, t.clock.clone(), Arc::new(V7Ids));
        let node_b = partnerdesk_http::router(second, HttpConfig::default());
        for (n, node) in [&node_a, &node_b, &node_a, &node_b, &node_a].into_iter().enumerate() {
            let answer = password_grant(EMAIL, WRONG).peer("203.0.113.50").send(node).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "failure {n}");
            assert!(answer.header("retry-after").is_none(), "failure {n}");
        }
        for node in [&node_a, &node_b] {
            let answer = password_grant(EMAIL, PASSWORD).peer("203.0.113.50").send(node).await;
            assert_held_back(&answer, "the sixth try, on either node");
        }
    }
}

#[tokio::test]
async fn unknown_emails_get_the_same_password_check_and_the_same_limit_as_known_ones() {
    for (t, router) in worlds().await {
        // Each refused try runs the password hash once, whether or not the e-mail exists.
        for username in [EMAIL, "nobody@partner0.example", "not an e-mail"] {
            let before = t.app.password_checks();
            let answer = password_grant(username, WRONG).peer("192.0.2.1").send(&router).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{username}");
            assert_eq!(t.app.password_checks(), before + 1, "{username}: one password check");
        }
        // An unknown e-mail is held back after as many failures as a known one, with the
        // same answer, so the limit does not tell which e-mails have an account.
        let mut held = Vec::new();
        for username in [EMAIL, "nobody@partner0.example"] {
            for _ in 0..CLIENT_MAX_FAILURES {
                password_grant(username, WRONG).peer("192.0.2.200").send(&router).await;
            }
            let answer = password_grant(username, WRONG).peer("192.0.2.200").send(&router).await;
            assert_held_back(&answer, username);
            let retry_after = answer.header("retry-after").map(str::to_string);
            held.push((answer.json, retry_after));
        }
        assert_eq!(held[0], held[1]);
    }
}

#[tokio::test]
async fn failures_older_than_a_day_are_forgotten() {
    for (t, router) in worlds().await {
        for c in 0..3 {
            password_grant(&format!("someone{c}@example.com"), WRONG)
                .peer("192.0.2.7")
                .send(&router)
                .await;
        }
        // How many failures are stored, all accounts together (counted by a delete that is
        // rolled back).
        let stored = |t: &TestApp| {
            let store = t.db.store.clone();
            let far = t.app.now() + chrono::Duration::days(3650);
            async move {
                let mut tx = store.begin().await.expect("begin");
                let n = tx.delete_sign_in_failures_before(far).await.expect("count");
                tx.rollback().await.expect("rollback");
                n
            }
        };
        assert_eq!(stored(&t).await, 3);
        // The next sign-in attempt, a day later, purges them.
        t.clock
            .advance(chrono::Duration::hours(24) + chrono::Duration::seconds(1));
        let answer = password_grant(EMAIL, PASSWORD).peer("192.0.2.7").send(&router).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(stored(&t).await, 0);
    }
}

/// Posts a password grant to a running server and returns the status and the
/// `Retry-After` header.
async fn post_over_tcp(addr: std::net::SocketAddr, password: &str) -> (u16, Option<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = format!(
        "grant_type=password&username={}&password={password}",
        EMAIL.replace('@', "%40")
    );
    let request = format!(
        "POST /oauth2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let retry_after = answer.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("retry-after:")
            .map(|v| v.trim().to_string())
    });
    (status, retry_after)
}

#[tokio::test]
async fn the_server_counts_sign_ins_by_the_connections_peer_address() {
    for (_t, router) in worlds().await {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(partnerdesk_http::serve(listener, router.clone(), async {
            let _ = stopped.await;
        }));
        for n in 0..CLIENT_MAX_FAILURES {
            assert_eq!(post_over_tcp(addr, WRONG).await, (400, None), "failure {n}");
        }
        assert_eq!(post_over_tcp(addr, PASSWORD).await, (400, Some("900".into())));
        // The failures were counted against 127.0.0.1, not against "unknown".
        let elsewhere = password_grant(EMAIL, PASSWORD).send(&router).await;
        assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.json);
        let _ = stop.send(());
        server.await.expect("server task").expect("server");
    }
}
