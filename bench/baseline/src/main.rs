//! Baselines for bench/run.sh, on the same machine and in the same run as the product:
//!
//! - `bytes ADDR FILE`: `GET /v1/customers` answers the bytes of FILE (a page the product
//!   served), with the content type the product sends. What axum alone costs.
//! - `keyset ADDR DB`: `GET /v1/customers?size=N&after=ID` reads a page of N rows after ID
//!   from the plain table `customers` (id TEXT PRIMARY KEY, the list columns) of the SQLite
//!   file DB with rusqlite (one connection per worker thread, prepared statement cached) and
//!   answers it as JSON shaped like the product's page, `totalCount` from `count_cache`.

use std::cell::RefCell;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct PageQuery {
    size: Option<u32>,
    after: Option<String>,
}

thread_local! {
    static CONN: RefCell<Option<rusqlite::Connection>> = const { RefCell::new(None) };
}

fn page(db: &str, size: u32, after: &str) -> rusqlite::Result<Value> {
    CONN.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            *slot = Some(conn);
        }
        let conn = slot.as_ref().expect("opened");
        let total: i64 = conn
            .prepare_cached("SELECT n FROM count_cache")?
            .query_row([], |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, domain, country, culture, billing_contact, billing_email, billing_address, \
             created_at, version FROM customers WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let items: Vec<Value> = stmt
            .query_map(rusqlite::params![after, size], |r| {
                let id: String = r.get(0)?;
                Ok(json!({
                    "id": id,
                    "companyProfile": {
                        "tenantId": id,
                        "domain": r.get::<_, String>(2)?,
                        "companyName": r.get::<_, String>(1)?,
                        "attributes": {"objectType": "CustomerCompanyProfile"},
                    },
                    "billingProfile": {
                        "id": id,
                        "email": r.get::<_, String>(6)?,
                        "culture": r.get::<_, String>(4)?,
                        "companyName": r.get::<_, String>(1)?,
                        "defaultAddress": {
                            "country": r.get::<_, String>(3)?,
                            "addressLine1": r.get::<_, String>(7)?,
                            "firstName": r.get::<_, String>(5)?,
                        },
                        "attributes": {"objectType": "CustomerBillingProfile"},
                    },
                    "relationshipToPartner": "reseller",
                    "createdAt": r.get::<_, String>(8)?,
                    "version": r.get::<_, i64>(9)?,
                    "attributes": {"objectType": "Customer"},
                }))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(json!({
            "totalCount": total,
            "items": items,
            "links": {"self": {"uri": format!("/v1/customers?size={size}"), "method": "GET", "headers": []}},
            "attributes": {"objectType": "Collection"},
        }))
    })
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, addr, arg) = match args.as_slice() {
        [_, mode, addr, arg] => (mode.clone(), addr.clone(), arg.clone()),
        _ => {
            eprintln!("usage: partnerdesk-bench-baseline (bytes ADDR FILE | keyset ADDR DB)");
            std::process::exit(2);
        }
    };
    let app = match mode.as_str() {
        "bytes" => {
            let body: Arc<[u8]> = std::fs::read(&arg).expect("read the page").into();
            Router::new().route(
                "/v1/customers",
                get(move || {
                    let body = body.clone();
                    async move { ([(CONTENT_TYPE, "application/json")], body.to_vec()) }
                }),
            )
        }
        "keyset" => Router::new()
            .route(
                "/v1/customers",
                get(|State(db): State<Arc<str>>, Query(q): Query<PageQuery>| async move {
                    let size = q.size.unwrap_or(100).clamp(1, 1000);
                    let after = q.after.unwrap_or_default();
                    let answer = tokio::task::spawn_blocking(move || page(&db, size, &after)).await;
                    match answer {
                        Ok(Ok(v)) => ([(CONTENT_TYPE, "application/json")], v.to_string()).into_response(),
                        _ => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "page failed").into_response(),
                    }
                }),
            )
            .with_state(Arc::<str>::from(arg.as_str())),
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    };
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("listening on http://{}", listener.local_addr().expect("address"));
    axum::serve(listener, app).await.expect("serve");
}
