//! The ceiling for load figures: a plain axum handler that returns a fixed JSON body, with
//! no database, no middleware and no authentication. `bench/load.sh` measures it next to the
//! real routes, on the same machine, so their figures can be read against it.
//!
//! Run: `cargo run --release -p partnerdesk-http --example ceiling -- 127.0.0.1:0`

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

#[derive(Serialize)]
struct Fixed {
    status: &'static str,
    items: [u32; 8],
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("ceiling listening on http://{}", listener.local_addr()?);
    let app = Router::new().route(
        "/",
        get(|| async {
            Json(Fixed {
                status: "ok",
                items: [1, 2, 3, 4, 5, 6, 7, 8],
            })
        }),
    );
    axum::serve(listener, app).await
}
