//! `/openapi.json` and `/docs`: the document is snapshotted, is the route table the router
//! is built from (every operation it names is served, every other method on its paths is
//! refused), and the docs page lists the operations.

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

/// An address of `path` with every parameter an id nothing has.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("closed parameter") + open;
        out.push_str("0190a5b2-0000-7000-8000-00000000dead");
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `body` is the API's answer for an address no route has.
fn is_route_not_found(status: StatusCode, body: &[u8]) -> bool {
    status == StatusCode::NOT_FOUND
        && serde_json::from_slice::<Value>(body).is_ok_and(|v| v["errorName"] == "route_not_found")
}

#[tokio::test]
async fn the_router_serves_exactly_the_operations_of_the_document() {
    let doc = document().await;
    let documented = documented_routes(&doc);
    assert_eq!(
        documented,
        registered_routes(),
        "the document served is the route table"
    );
    assert!(documented.len() > 40, "the table was read: {documented:?}");
    let db = partnerdesk_testkit::sqlite().await;
    let router = router_on(&db);
    let paths: BTreeSet<&String> = documented.iter().map(|(_, path)| path).collect();
    let mut failures = Vec::new();
    for path in paths {
        let uri = concrete(path);
        for method in METHODS {
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .expect("request");
            let response = router.clone().oneshot(request).await.expect("router answers");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1024 * 1024)
                .await
                .expect("body");
            let served = status != StatusCode::METHOD_NOT_ALLOWED && !is_route_not_found(status, &body);
            if served != documented.contains(&(method.to_string(), path.clone())) {
                failures.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "served and documented differ: {failures:#?}");
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
