//! A POST repeated with the same `MS-RequestId` returns the first answer and changes nothing.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_post_repeated_with_the_same_request_id_returns_the_first_answer_and_creates_one_token() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let create = || {
        Call::post("/v1/me/tokens")
            .bearer(&token)
            .header("MS-RequestId", "0b6a4c1e-retry-me")
            .json(json!({"name": "exporter"}))
    };
    let first = create().send(&router).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
    let again = create().send(&router).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json, first.json, "the same token and secret, not a new one");
    assert_eq!(again.header("content-type"), Some("application/json"));
    assert_eq!(again.header("MS-RequestId"), Some("0b6a4c1e-retry-me"));

    let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router).await;
    assert_eq!(listed.json["totalCount"], json!(2), "the test token and one exporter");
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
    let first = Call::post("/v1/me/tokens")
        .bearer(&token)
        .header("MS-RequestId", "shared-id")
        .json(json!({"name": "one"}))
        .send(&router)
        .await;
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
        let answer = Call::post("/v1/me/tokens")
            .bearer(token)
            .header("MS-RequestId", "same-id")
            .json(json!({"name": "mine"}))
            .send(&router)
            .await;
        assert_eq!(answer.status, StatusCode::CREATED);
        secrets.push(answer.json["tokenSecret"].clone());
    }
    assert_ne!(secrets[0], secrets[1]);
}

#[tokio::test]
async fn a_refused_post_is_replayed_too() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let bad = || {
        Call::post("/v1/me/tokens")
            .bearer(&token)
            .header("MS-RequestId", "bad-one")
            .json(json!({"name": ""}))
    };
    let first = bad().send(&router).await;
    assert_eq!(first.status, StatusCode::BAD_REQUEST);
    let again = bad().send(&router).await;
    assert_eq!((again.status, &again.json), (first.status, &first.json));
}

#[tokio::test]
async fn two_concurrent_posts_with_one_request_id_create_one_token() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let t = partnerdesk_testkit::TestApp::on(db).await;
        let token = t.token_for(&t.operator).await;
        let router = router(&t);
        let create = || {
            Call::post("/v1/me/tokens")
                .bearer(&token)
                .header("MS-RequestId", "concurrent-id")
                .json(json!({"name": "racer"}))
                .send(&router)
        };
        let (first, second) = tokio::join!(create(), create());
        let statuses = [first.status, second.status];
        assert!(statuses.contains(&StatusCode::CREATED), "{b}: {statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
            "{b}: {statuses:?}"
        );
        let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router).await;
        assert_eq!(listed.json["totalCount"], json!(2), "{b}: the test token and one racer");
    }
}
