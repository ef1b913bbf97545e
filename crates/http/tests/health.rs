//! `/healthz` and `/readyz`, served by the router over a fresh database.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use partnerdesk_app::{App, AppConfig};
use partnerdesk_testkit::TestDb;
use tower::ServiceExt;

fn router_on(db: &TestDb) -> Router {
    partnerdesk_http::router(
        App::new(db.store.clone(), AppConfig::default()),
        partnerdesk_http::HttpConfig::default(),
    )
}

async fn get(router: Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = router.oneshot(request).await.expect("router answers");
    let status = response.status();
    let content_type = response.headers().get("content-type").cloned();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .expect("body");
    if status != StatusCode::NOT_FOUND {
        assert_eq!(
            content_type.as_ref().and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{uri}"
        );
    }
    let is_json = content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let json = if is_json {
        serde_json::from_slice(&bytes).expect("JSON body")
    } else {
        serde_json::Value::Null
    };
    (status, json)
}

#[tokio::test]
async fn healthz_answers_ok() {
    let db = partnerdesk_testkit::sqlite().await;
    let (status, body) = get(router_on(&db), "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn readyz_names_the_sqlite_backend_when_the_database_answers() {
    let db = partnerdesk_testkit::sqlite().await;
    let (status, body) = get(router_on(&db), "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({"status": "ready", "database": "sqlite"}));
}

#[tokio::test]
async fn readyz_names_the_postgres_backend_when_the_database_answers() {
    let Some(db) = partnerdesk_testkit::postgres().await else {
        return;
    };
    let (status, body) = get(router_on(&db), "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({"status": "ready", "database": "postgres"}));
}

#[tokio::test]
async fn an_unknown_path_is_not_found() {
    let db = partnerdesk_testkit::sqlite().await;
    let (status, _) = get(router_on(&db), "/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = get(router_on(&db), "/v1/no-such-resource").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errorName"], "route_not_found");
}
