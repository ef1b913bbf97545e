//! `/openapi.json` and `/docs`: the document is snapshotted, names every route that
//! `routes.rs` registers (and no other), and the docs page lists the operations.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use partnerdesk_app::{App, AppConfig};
use partnerdesk_testkit::TestDb;
use serde_json::Value;
use tower::ServiceExt;

#[path = "common/registered_routes.rs"]
mod registered_routes;

use registered_routes::{registered_routes, METHODS};

fn router_on(db: &TestDb) -> Router {
    partnerdesk_http::router(
        App::new(db.store.clone(), AppConfig::default()),
        partnerdesk_http::HttpConfig::default(),
    )
}

async fn get(router: Router, uri: &str) -> (StatusCode, Option<String>, Vec<u8>) {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = router.oneshot(request).await.expect("router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
        .await
        .expect("body");
    (status, content_type, bytes.to_vec())
}

async fn document() -> Value {
    let db = partnerdesk_testkit::sqlite().await;
    let (status, content_type, bytes) = get(router_on(&db), "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    serde_json::from_slice(&bytes).expect("JSON document")
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(*method).is_some() {
                routes.insert((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn the_openapi_document_is_as_snapshotted() {
    let doc = document().await;
    insta::assert_json_snapshot!("openapi", doc, {".info.version" => "[version]"});
}

#[tokio::test]
async fn every_registered_route_is_documented_and_nothing_else() {
    let doc = document().await;
    let registered = registered_routes();
    assert!(registered.len() > 40, "routes.rs was read: {registered:?}");
    let documented = documented_routes(&doc);
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    assert!(undocumented.is_empty(), "routes without docs: {undocumented:?}");
    let unregistered: Vec<_> = documented.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "documented routes the router lacks: {unregistered:?}"
    );
}

#[tokio::test]
async fn every_operation_has_a_tag_a_summary_and_documented_errors() {
    let doc = document().await;
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let tag = op["tags"][0].as_str().unwrap_or_default();
            assert!(tags.contains(tag), "{method} {path}: tag {tag:?}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}: summary"
            );
            if path.starts_with("/v1/") {
                let responses = op["responses"].as_object().expect("responses");
                let error = responses
                    .iter()
                    .find(|(status, _)| status.starts_with('4'))
                    .unwrap_or_else(|| panic!("{method} {path}: no error response"));
                assert_eq!(
                    error.1["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{method} {path}"
                );
            }
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_docs_page_lists_the_operations() {
    let db = partnerdesk_testkit::sqlite().await;
    let (status, content_type, bytes) = get(router_on(&db), "/docs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.as_deref().is_some_and(|c| c.starts_with("text/html")),
        "{content_type:?}"
    );
    let html = String::from_utf8(bytes).expect("UTF-8");
    assert!(html.contains("<code>/v1/customers</code>"), "{html}");
    assert!(html.contains("href=\"/openapi.json\""));
    assert!(html.contains("<h2>customer-side</h2>"));
    assert!(!html.contains("<script"));
}
