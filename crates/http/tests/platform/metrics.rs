//! `/metrics`: request counts and latency histograms by route template, method and status.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn metrics_count_requests_by_route_template_method_and_status() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    Call::get("/v1/me").bearer(&token).send(&router).await;
    Call::get("/v1/me").send(&router).await;
    Call::delete("/v1/me/tokens/0192f0c1-0000-7000-8000-000000000000")
        .bearer(&token)
        .send(&router)
        .await;

    let answer = Call::get("/metrics").send(&router).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = answer.json.as_str().expect("text");
    for line in [
        r#"partnerdesk_http_requests_total{method="GET",route="/v1/me",status="200"} 1"#,
        r#"partnerdesk_http_requests_total{method="GET",route="/v1/me",status="401"} 1"#,
        r#"partnerdesk_http_requests_total{method="DELETE",route="/v1/me/tokens/{id}",status="404"} 1"#,
        r#"partnerdesk_http_request_duration_seconds_count{method="GET",route="/v1/me",status="200"} 1"#,
        "# TYPE partnerdesk_http_request_duration_seconds histogram",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line}\n{text}");
    }
    assert!(
        text.contains(
            r#"partnerdesk_http_request_duration_seconds_bucket{method="GET",route="/v1/me",status="200",le="+Inf"} 1"#
        ),
        "{text}"
    );
}
