//! A POST repeated with the same `MS-RequestId` returns the first answer and changes nothing;
//! a kept answer never holds a secret; a POST without an id keeps nothing.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// The answer the store keeps for `request_id` (its body as text), if it keeps a record.
async fn kept(t: &partnerdesk_testkit::TestApp, user: partnerdesk_domain::UserId, request_id: &str) -> Option<String> {
    let mut tx = t.db.store.read().await.expect("read");
    let record = tx.find_idempotency_key(user, request_id).await.expect("find")?;
    let response = record.response.expect("a committed record has its answer");
    Some(String::from_utf8_lossy(&response.body).into_owned())
}

/// `POST /v1/me/tokens` by `bearer` of a token named `name`, with `MS-RequestId: request_id`.
fn new_token(bearer: &str, request_id: &str, name: &str) -> Call {
    Call::post("/v1/me/tokens")
        .bearer(bearer)
        .header("MS-RequestId", request_id)
        .json(json!({ "name": name }))
}

#[tokio::test]
async fn a_repeated_token_creation_runs_once_and_its_replay_says_the_secret_was_shown_once() {
    for (t, router) in apps().await {
        let b = t.db.backend;
        let token = t.token_for(&t.operator).await;
        let create = || new_token(&token, "0b6a4c1e-retry-me", "exporter");
        let first = create().send(&router).await;
        assert_eq!(first.status, StatusCode::CREATED, "{b}: {}", first.json);
        let secret = first.json["tokenSecret"]
            .as_str()
            .expect("the secret, this once")
            .to_string();
        assert!(secret.starts_with("pd_"), "{b}");
        assert_eq!(first.json.get("secretNotice"), None, "{b}");

        let again = create().send(&router).await;
        assert_eq!(again.status, StatusCode::CREATED, "{b}");
        assert_eq!(again.json["id"], first.json["id"], "{b}: the same token, not a new one");
        assert_eq!(
            again.json["tokenSecret"],
            json!(null),
            "{b}: the secret is not replayed"
        );
        assert!(
            again.json["secretNotice"]
                .as_str()
                .is_some_and(|n| n.contains("shown once")),
            "{b}: {}",
            again.json
        );
        assert_eq!(again.header("content-type"), Some("application/json"), "{b}");
        assert_eq!(again.header("MS-RequestId"), Some("0b6a4c1e-retry-me"), "{b}");

        let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router).await;
        assert_eq!(
            listed.json["totalCount"],
            json!(2),
            "{b}: the test token and one exporter"
        );
        let body = kept(&t, t.operator.user_id, "0b6a4c1e-retry-me").await.expect("kept");
        assert!(!body.contains(&secret), "{b}: no secret is stored: {body}");
    }
}

#[tokio::test]
async fn a_repeated_customer_creation_makes_one_customer_and_does_not_replay_the_admin_password() {
    for (t, router) in apps().await {
        let b = t.db.backend;
        let partner = t.partner(partnerdesk_domain::org::PartnerType::Direct).await;
        let token = t.token_for(&partner.admin).await;
        let create = || {
            Call::post("/v1/customers")
                .bearer(&token)
                .header("MS-RequestId", "new-customer-1")
                .json(json!({
                    "companyProfile": {"domain": "wingtip.example", "companyName": "Wingtip Toys"},
                    "billingProfile": {
                        "email": "ap@wingtip.example", "culture": "en-US", "firstName": "Ann", "lastName": "Lee",
                        "defaultAddress": {"country": "US", "addressLine1": "1 Main St"}
                    }
                }))
        };
        let first = create().send(&router).await;
        assert_eq!(first.status, StatusCode::CREATED, "{b}: {}", first.json);
        let password = first.json["userCredentials"]["password"]
            .as_str()
            .expect("the generated password, this once")
            .to_string();
        let again = create().send(&router).await;
        assert_eq!(again.status, StatusCode::CREATED, "{b}: {}", again.json);
        assert_eq!(again.json["id"], first.json["id"], "{b}: the same customer");
        assert_eq!(
            again.json["userCredentials"]["userName"], first.json["userCredentials"]["userName"],
            "{b}"
        );
        assert_eq!(again.json["userCredentials"]["password"], json!(null), "{b}");
        assert!(
            again.json["secretNotice"]
                .as_str()
                .is_some_and(|n| n.contains("shown once")),
            "{b}: {}",
            again.json
        );
        let listed = Call::get("/v1/customers").bearer(&token).send(&router).await;
        assert_eq!(listed.json["totalCount"], json!(1), "{b}: one customer");
        let body = kept(&t, partner.admin.user_id, "new-customer-1").await.expect("kept");
        assert!(!body.contains(&password), "{b}: no password is stored");
    }
}

#[tokio::test]
async fn a_post_without_a_request_id_keeps_nothing() {
    for (t, router) in apps().await {
        let b = t.db.backend;
        let token = t.token_for(&t.operator).await;
        let answer = Call::post("/v1/me/tokens")
            .bearer(&token)
            .json(json!({"name": "n"}))
            .send(&router)
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{b}");
        // The answer names the request by an id made for it; nothing is kept under it.
        let made = answer.header("MS-RequestId").expect("an id is echoed").to_string();
        assert_eq!(kept(&t, t.operator.user_id, &made).await, None, "{b}");
    }
}

#[tokio::test]
async fn posts_without_a_request_id_or_with_different_ids_each_run() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    for request_id in [None, None, Some("a"), Some("b")] {
        let mut call = Call::post("/v1/me/tokens").bearer(&token).json(json!({"name": "n"}));
        if let Some(id) = request_id {
            call = call.header("MS-RequestId", id);
        }
        assert_eq!(call.send(&router).await.status, StatusCode::CREATED);
    }
    let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router).await;
    assert_eq!(listed.json["totalCount"], json!(5));
}

#[tokio::test]
async fn the_same_request_id_on_another_path_is_a_conflict() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let first = new_token(&token, "shared-id", "one").send(&router).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let other = Call::post("/v1/partners")
        .bearer(&token)
        .header("MS-RequestId", "shared-id")
        .json(json!({"name": "Contoso", "partnerType": "direct", "admin": {"email": "a@contoso.example", "password": "long enough 1"}}))
        .send(&router)
        .await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.json);
    assert_eq!(other.json["errorName"], json!("conflict"));
}

#[tokio::test]
async fn request_ids_are_kept_per_caller() {
    let t = test_app().await;
    let operator = t.token_for(&t.operator).await;
    let partner = t.partner(partnerdesk_domain::org::PartnerType::Direct).await;
    let partners = t.token_for(&partner.admin).await;
    let router = router(&t);
    let mut secrets = Vec::new();
    for token in [&operator, &partners] {
        let answer = new_token(token, "same-id", "mine").send(&router).await;
        assert_eq!(answer.status, StatusCode::CREATED);
        secrets.push(answer.json["tokenSecret"].clone());
    }
    assert_ne!(secrets[0], secrets[1]);
}

#[tokio::test]
async fn a_refused_post_keeps_nothing_and_its_retry_runs() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let post = |name: &str| new_token(&token, "bad-one", name);
    let first = post("").send(&router).await;
    assert_eq!(first.status, StatusCode::BAD_REQUEST);
    assert_eq!(kept(&t, t.operator.user_id, "bad-one").await, None);
    let fixed = post("fixed").send(&router).await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.json);
}

#[tokio::test]
async fn concurrent_posts_with_one_request_id_create_one_token() {
    for (t, router) in apps().await {
        let b = t.db.backend;
        let token = t.token_for(&t.operator).await;
        let create = || new_token(&token, "concurrent-id", "racer").send(&router);
        let answers = futures_util::future::join_all((0..5).map(|_| create())).await;
        let statuses: Vec<_> = answers.iter().map(|a| a.status).collect();
        // Each repeat waits for the first to commit, then gets its answer.
        assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{b}: {statuses:?}");
        let secrets = answers.iter().filter(|a| a.json["tokenSecret"].is_string()).count();
        assert_eq!(secrets, 1, "{b}: one run shows the secret, the repeats do not");
        let ids: std::collections::BTreeSet<_> = answers.iter().map(|a| a.json["id"].to_string()).collect();
        assert_eq!(ids.len(), 1, "{b}: every answer names the same token");
        let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router).await;
        assert_eq!(listed.json["totalCount"], json!(2), "{b}: the test token and one racer");
    }
}
