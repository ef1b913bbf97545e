//! The body size limit (413) and the request time limit (503).

use std::time::Duration;

use axum::http::StatusCode;
use partnerdesk_http::HttpConfig;
use serde_json::json;

use crate::support::*;

fn small_bodies() -> HttpConfig {
    HttpConfig {
        body_limit: 64,
        ..HttpConfig::default()
    }
}

#[tokio::test]
async fn a_body_declared_over_the_limit_is_refused_with_413_and_the_v1_error_body() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let body = json!({"name": "x".repeat(200)}).to_string();
    let answer = Call::post("/v1/me/tokens")
        .bearer(&token)
        .header("Content-Type", "application/json")
        .header("Content-Length", &body.len().to_string())
        .raw_body(body)
        .send(&router_with(&t, small_bodies()))
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.json);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.json["code"], json!(413));
    assert_eq!(answer.json["errorName"], json!("payload_too_large"));
    assert_eq!(answer.json["source"], json!("partnerdesk"));
    assert!(
        answer.json["description"].as_str().is_some_and(|d| d.contains("64")),
        "{}",
        answer.json
    );
}

#[tokio::test]
async fn a_body_over_the_limit_without_a_length_is_refused_with_413_too() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let answer = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"name": "x".repeat(200)}))
        .send(&router_with(&t, small_bodies()))
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.json);
    assert_eq!(answer.json["errorName"], json!("payload_too_large"));
    let listed = Call::get("/v1/me/tokens")
        .bearer(&token)
        .send(&router_with(&t, small_bodies()))
        .await;
    assert_eq!(listed.json["totalCount"], json!(1), "nothing was created");
}

#[tokio::test]
async fn a_request_that_runs_past_the_time_limit_is_answered_503() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let config = HttpConfig {
        request_timeout: Duration::from_millis(200),
        ..HttpConfig::default()
    };
    // Holding SQLite's only writer makes any write wait: this request cannot finish in time.
    let writer = t.db.store.begin().await.expect("hold the writer");
    let answer = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"name": "slow"}))
        .send(&router_with(&t, config))
        .await;
    drop(writer);
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{}", answer.json);
    assert_eq!(answer.json["code"], json!(503));
    assert_eq!(answer.json["errorName"], json!("unavailable"));
    assert!(answer.header("MS-RequestId").is_some());
    let listed = Call::get("/v1/me/tokens").bearer(&token).send(&router(&t)).await;
    assert_eq!(listed.json["totalCount"], json!(1), "nothing was created");
}
