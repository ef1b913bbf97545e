//! The ceiling for the access check over HTTP: a plain axum handler that reads the same
//! JSON body as `POST /v1/access/check` and answers from a bare `HashMap` of 1,000,000
//! (partner, customer) pairs, checking expiry — no authentication, no middleware, no
//! database. `bench/access_check_http.sh` measures it next to the real route.
//!
//! Run: `cargo run --release -p partnerdesk-http --example access_ceiling -- 127.0.0.1:0 PARTNER CUSTOMER`
//! (the pair given is put in the map among the generated ones, so the script's body hits).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    customer_id: Uuid,
    partner_id: Uuid,
    role: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relationship_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<DateTime<Utc>>,
}

struct Grant {
    id: Uuid,
    roles: Vec<String>,
    ends_at: DateTime<Utc>,
}

type Map = Arc<HashMap<(Uuid, Uuid), Vec<Grant>>>;

async fn check(State(map): State<Map>, Json(body): Json<Body>) -> Json<Answer> {
    let now = Utc::now();
    let grant = map
        .get(&(body.partner_id, body.customer_id))
        .and_then(|grants| grants.iter().find(|g| g.ends_at > now && g.roles.contains(&body.role)));
    Json(match grant {
        Some(g) => Answer {
            allowed: true,
            via: Some("gdap"),
            relationship_id: Some(g.id),
            expires_at: Some(g.ends_at),
        },
        None => Answer {
            allowed: false,
            via: None,
            relationship_id: None,
            expires_at: None,
        },
    })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let partner: Option<Uuid> = args.next().and_then(|s| s.parse().ok());
    let customer: Option<Uuid> = args.next().and_then(|s| s.parse().ok());
    let ends = Utc::now() + Duration::days(365);
    let roles = || {
        vec![
            "729827e3-9c14-49f7-bb1b-9608f156bbb8".to_string(),
            "f2ef992c-3afb-46b9-b7cf-a126ee74c451".to_string(),
        ]
    };
    let mut map = HashMap::with_capacity(1_000_001);
    for _ in 0..1_000 {
        let p = Uuid::now_v7();
        for _ in 0..1_000 {
            map.insert(
                (p, Uuid::now_v7()),
                vec![Grant {
                    id: Uuid::now_v7(),
                    roles: roles(),
                    ends_at: ends,
                }],
            );
        }
    }
    if let (Some(p), Some(c)) = (partner, customer) {
        map.insert(
            (p, c),
            vec![Grant {
                id: Uuid::now_v7(),
                roles: roles(),
                ends_at: ends,
            }],
        );
    }
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("access ceiling listening on http://{}", listener.local_addr()?);
    let app = Router::new()
        .route("/v1/access/check", post(check))
        .with_state(Arc::new(map));
    axum::serve(listener, app).await
}
