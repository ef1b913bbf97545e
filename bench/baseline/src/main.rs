//! Baselines for bench/run.sh, on the same machine and in the same run as the product:
//!
//! - `bytes ADDR FILE`: `GET /v1/customers` answers the bytes of FILE (a page the product
//!   served), with the content type the product sends. What axum alone costs.
//! - `keyset ADDR DB`: `GET /v1/customers?size=N&after=ID` reads a page of N rows after ID
//!   from the plain table `customers` (id TEXT PRIMARY KEY, the list columns) of the SQLite
//!   file DB and answers it as JSON shaped like the product's page, `totalCount` from
//!   `count_cache`. As lean as a hand-written handler gets: a fixed pool of read
//!   connections, one per runtime worker thread, opened once, with the page's statement
//!   prepared once; the query runs on the worker (no hop to a blocking pool) and each row is
//!   written straight into the response buffer (no JSON value per row).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

#[derive(Deserialize)]
struct PageQuery {
    size: Option<u32>,
    after: Option<String>,
}

const PAGE_SQL: &str = "SELECT id, name, domain, country, culture, billing_contact, billing_email, \
     billing_address, created_at, version FROM customers WHERE id > ?1 ORDER BY id LIMIT ?2";

thread_local! {
    // This worker's connection: the pool is one connection per worker thread.
    static CONN: RefCell<Option<rusqlite::Connection>> = const { RefCell::new(None) };
}

/// `s` as a JSON string (quoted and escaped), appended to `out`.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn page(db: &str, size: u32, after: &str) -> rusqlite::Result<String> {
    CONN.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            conn.prepare_cached(PAGE_SQL)?;
            *slot = Some(conn);
        }
        let conn = slot.as_ref().expect("opened");
        let total: i64 = conn
            .prepare_cached("SELECT n FROM count_cache")?
            .query_row([], |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(PAGE_SQL)?;
        let mut rows = stmt.query(rusqlite::params![after, size])?;
        let mut out = String::with_capacity(1024 * size as usize);
        let _ = write!(out, r#"{{"totalCount":{total},"items":["#);
        let mut first = true;
        while let Some(r) = rows.next()? {
            if !first {
                out.push(',');
            }
            first = false;
            let id = r.get_ref(0)?.as_str()?;
            let name = r.get_ref(1)?.as_str()?;
            out.push_str(r#"{"id":"#);
            string(&mut out, id);
            out.push_str(r#","companyProfile":{"tenantId":"#);
            string(&mut out, id);
            out.push_str(r#","domain":"#);
            string(&mut out, r.get_ref(2)?.as_str()?);
            out.push_str(r#","companyName":"#);
            string(&mut out, name);
            out.push_str(r#","attributes":{"objectType":"CustomerCompanyProfile"}},"billingProfile":{"id":"#);
            string(&mut out, id);
            out.push_str(r#","email":"#);
            string(&mut out, r.get_ref(6)?.as_str()?);
            out.push_str(r#","culture":"#);
            string(&mut out, r.get_ref(4)?.as_str()?);
            out.push_str(r#","companyName":"#);
            string(&mut out, name);
            out.push_str(r#","defaultAddress":{"country":"#);
            string(&mut out, r.get_ref(3)?.as_str()?);
            out.push_str(r#","addressLine1":"#);
            string(&mut out, r.get_ref(7)?.as_str()?);
            out.push_str(r#","firstName":"#);
            string(&mut out, r.get_ref(5)?.as_str()?);
            out.push_str(r#"},"attributes":{"objectType":"CustomerBillingProfile"}},"relationshipToPartner":"reseller","createdAt":"#);
            string(&mut out, r.get_ref(8)?.as_str()?);
            let _ = write!(
                out,
                r#","version":{},"attributes":{{"objectType":"Customer"}}}}"#,
                r.get::<_, i64>(9)?
            );
        }
        let _ = write!(
            out,
            r#"],"links":{{"self":{{"uri":"/v1/customers?size={size}","method":"GET","headers":[]}}}},"attributes":{{"objectType":"Collection"}}}}"#
        );
        Ok(out)
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
                    match page(&db, size, &after) {
                        Ok(body) => ([(CONTENT_TYPE, "application/json")], body).into_response(),
                        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "page failed").into_response(),
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
