//! `MS-RequestId` and `MS-CorrelationId` on every answer.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn request_and_correlation_ids_are_echoed_whatever_the_case_of_their_names() {
    let t = test_app().await;
    let router = router(&t);
    let answer = Call::get("/healthz")
        .header("ms-requestid", "7d5c1a52-5bd3-4cc5-9f8e-1b2c3d4e5f60")
        .header("MS-CORRELATIONID", "client-operation-42")
        .send(&router)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("MS-RequestId"),
        Some("7d5c1a52-5bd3-4cc5-9f8e-1b2c3d4e5f60")
    );
    assert_eq!(answer.header("MS-CorrelationId"), Some("client-operation-42"));
}

#[tokio::test]
async fn missing_ids_are_generated_even_for_refusals_and_unknown_paths() {
    let t = test_app().await;
    let router = router(&t);
    for uri in ["/healthz", "/v1/me", "/no-such-page"] {
        let answer = Call::get(uri).send(&router).await;
        let request_id = answer.header("MS-RequestId").expect("a request id");
        let correlation_id = answer.header("MS-CorrelationId").expect("a correlation id");
        assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{uri}: {request_id}");
        assert!(uuid::Uuid::parse_str(correlation_id).is_ok(), "{uri}: {correlation_id}");
        assert_ne!(request_id, correlation_id, "{uri}");
    }
}
