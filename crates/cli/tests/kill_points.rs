//! The real `partnerdesk serve` killed (SIGKILL) at random moments while it offboards
//! customers with many subscriptions, places orders, runs the delegated admin job (GDAP
//! expiry) and delivers webhooks, then restarted on the same database, again and again. After
//! each kill, before anything runs again:
//!
//! - each customer being offboarded is either fully removed (every effect of DESIGN.md rule
//!   4, with its one audit record and its one event) or untouched;
//! - no order lacks a subscription of its lines, and each order has one audit record;
//! - each due GDAP relationship is either still active or expired with one audit record;
//! - no audit record has two events, and no request id is left reserved.
//!
//! After the restart the interrupted POSTs are retried with their `MS-RequestId`: each
//! replays or runs (never 409), and none is applied twice. At the end every event due to the
//! webhook registration reaches a real listener on 127.0.0.1, and `partnerdesk audit verify`
//! holds. The kill moments come from a seed, printed with every failure
//! (`PARTNERDESK_KILL_SEED` repeats a run).

mod common;

use std::collections::HashSet;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::routing::post;
use axum::Router;
use common::{partnerdesk, read_answer, Server};
use partnerdesk_app::orders::LineInput;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_domain::{CustomerId, GdapId};
use partnerdesk_testkit::{PartnerActor, TestApp};

/// Kills a backend goes through.
const KILLS: usize = 52;
/// Subscriptions of each customer being offboarded.
const SUBSCRIPTIONS: i64 = 6;
/// Customers the orders are placed for, round after round.
const ORDER_CUSTOMERS: usize = 4;
/// Orders in flight at each kill.
const ORDERS_IN_FLIGHT: usize = 3;
/// GDAP relationships made due (behind the server's back) before each restart.
const DUE_GDAP_PER_ROUND: usize = 1;
/// How long the end may wait for the last deliveries and expiries.
const SETTLE: Duration = Duration::from_secs(60);

/// The kill moments: a xorshift generator from a seed that is printed on failure.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn seed() -> u64 {
    std::env::var("PARTNERDESK_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        })
}

/// A connection of the test's own to the database, for counting rows.
enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(sqlx::PgConnection),
}

impl Db {
    async fn open(url: &str) -> Db {
        match url.strip_prefix("sqlite://") {
            Some(path) => Db::Sqlite(rusqlite::Connection::open(path).expect("open the SQLite file")),
            None => {
                use sqlx::Connection as _;
                Db::Postgres(sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL"))
            }
        }
    }

    async fn count(&mut self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(conn) => conn
                .query_row(sql, [], |row| row.get(0))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            Db::Postgres(conn) => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
        }
    }

    async fn texts(&mut self, sql: &str) -> Vec<String> {
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                let rows = stmt
                    .query_map([], |row| row.get::<_, String>(0))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
                rows.map(|r| r.expect("a row")).collect()
            }
            Db::Postgres(conn) => sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_all(conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
        }
    }
}

/// Event ids a receiver on 127.0.0.1 got.
type Got = Arc<Mutex<HashSet<String>>>;

fn receiver(runtime: &tokio::runtime::Runtime) -> (String, Got) {
    let got: Got = Arc::default();
    let kept = got.clone();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let app = Router::new().route(
        "/hook",
        post(move |body: Bytes| {
            let kept = kept.clone();
            async move {
                let event: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                if let Some(id) = event["EventId"].as_str() {
                    kept.lock().expect("lock").insert(id.to_string());
                }
                "ok"
            }
        }),
    );
    runtime.spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (url, got)
}

fn start(database_url: &str, log: &std::path::Path) -> Server {
    let mut cmd = partnerdesk();
    cmd.args(["--database-url", database_url])
        .env("PARTNERDESK_PUBLIC_URL", "http://partnerdesk.test")
        .env("PARTNERDESK_WEBHOOK_ALLOW_PRIVATE", "true")
        .env("PARTNERDESK_WEBHOOK_INTERVAL", "50");
    Server::start(cmd, log.to_path_buf())
}

/// A POST the test sends with an `MS-RequestId`, and what it expects of it once it ran.
#[derive(Debug, Clone)]
struct Post {
    request_id: String,
    path: String,
    body: String,
    status: u16,
}

fn send(server: &Server, bearer: &str, post: &Post) -> TcpStream {
    let headers = [
        ("Authorization", bearer),
        ("Content-Type", "application/json"),
        ("MS-RequestId", post.request_id.as_str()),
    ];
    server.send("POST", &post.path, &headers, &post.body)
}

/// What the world looks like before the kills: one partner, the customers it offboards
/// (each with DAP, a GDAP relationship, subscriptions and a support assignment), the ones it
/// orders for, and the ones whose GDAP relationships come due.
struct World {
    t: TestApp,
    partner: PartnerActor,
    bearer: String,
    offboarded: Vec<CustomerId>,
    ordered: Vec<CustomerId>,
    gdap_customers: Vec<CustomerId>,
    due: Vec<GdapId>,
}

async fn world(db: partnerdesk_testkit::TestDb) -> World {
    let t = TestApp::on(db).await;
    // Everything here happens 40 days before the server's now: a 30-day GDAP relationship
    // made here is due when the server looks at it.
    use partnerdesk_app::Clock;
    let behind = chrono::Utc::now() - chrono::Duration::days(40) - t.clock.now();
    t.clock.advance(behind);
    let partner = t.partner(PartnerType::Direct).await;
    let bearer = format!("Bearer {}", t.token_for(&partner.admin).await);
    let mut offboarded = Vec::new();
    for _ in 0..KILLS {
        let customer = t.customer_with_dap(&partner).await;
        t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let lines = (0..SUBSCRIPTIONS)
            .map(|_| LineInput {
                offer_id: t.offer.id,
                quantity: 2,
                friendly_name: None,
            })
            .collect();
        let placed = t
            .app
            .create_order(&partner.admin, customer.id, lines, None)
            .await
            .expect("place an order");
        let first = placed.subscriptions[0].id;
        t.app
            .update_subscription_support_contact(&partner.admin, customer.id, first, partner.id)
            .await
            .expect("assign the support contact");
        offboarded.push(customer.id);
    }
    let mut ordered = Vec::new();
    for _ in 0..ORDER_CUSTOMERS {
        ordered.push(t.customer_of(&partner).await.id);
    }
    let mut gdap_customers = Vec::new();
    for _ in 0..2 {
        gdap_customers.push(t.customer_of(&partner).await.id);
    }
    World {
        t,
        partner,
        bearer,
        offboarded,
        ordered,
        gdap_customers,
        due: Vec::new(),
    }
}

impl World {
    /// Makes a GDAP relationship that is due by the server's clock.
    async fn make_due(&mut self, n: usize) {
        let customer = self.gdap_customers[n % self.gdap_customers.len()];
        let ends = {
            use partnerdesk_app::Clock;
            self.t.clock.now() + chrono::Duration::days(30)
        };
        let id = self
            .t
            .gdap(self.partner.id, customer, GdapStatus::Active, Some(ends))
            .await;
        self.due.push(id);
    }
}

/// `customer` fully offboarded by `partner` or untouched; `Err` says what is half done.
async fn removed_or_untouched(db: &mut Db, partner: &str, customer: &str) -> Result<bool, String> {
    let pc = format!("partner_id = '{partner}' AND customer_id = '{customer}'");
    let closed = db
        .count(&format!(
            "SELECT COUNT(*) FROM relationships WHERE {pc} AND state = 'closed'"
        ))
        .await;
    let facts = [
        ("active relationships", format!("SELECT COUNT(*) FROM relationships WHERE {pc} AND state = 'active'")),
        ("rows in the customer list", format!("SELECT COUNT(*) FROM customer_list WHERE {pc}")),
        ("active subscriptions", format!("SELECT COUNT(*) FROM subscriptions WHERE {pc} AND status = 'active'")),
        ("suspended subscriptions", format!("SELECT COUNT(*) FROM subscriptions WHERE {pc} AND status = 'suspended'")),
        (
            "support assignments",
            format!("SELECT COUNT(*) FROM subscriptions WHERE customer_id = '{customer}' AND support_partner_id = '{partner}'"),
        ),
        ("DAP grants in force", format!("SELECT COUNT(*) FROM dap_grants WHERE {pc} AND ended_at IS NULL")),
        (
            "GDAP relationships not ended",
            format!("SELECT COUNT(*) FROM gdap_relationships WHERE {pc} AND status NOT IN ('terminated', 'expired')"),
        ),
        (
            "offboarding audit records",
            format!("SELECT COUNT(*) FROM audit_records WHERE {pc} AND operation = 'offboard_customer'"),
        ),
        (
            "removal events",
            format!(
                "SELECT COUNT(*) FROM outbox_events WHERE {pc} AND event_type = 'reseller-relationship-removed'"
            ),
        ),
    ];
    let (removed, want): (bool, [i64; 9]) = match closed {
        0 => (false, [1, 1, SUBSCRIPTIONS, 0, 1, 1, 1, 0, 0]),
        1 => (true, [0, 0, 0, SUBSCRIPTIONS, 0, 0, 0, 1, 1]),
        n => return Err(format!("{n} closed relationships")),
    };
    let mut wrong = Vec::new();
    for ((what, sql), want) in facts.iter().zip(want) {
        let got = db.count(sql).await;
        if got != want {
            wrong.push(format!("{what}: {got}, not {want}"));
        }
    }
    if wrong.is_empty() {
        Ok(removed)
    } else {
        let state = if removed { "closed" } else { "active" };
        Err(format!("relationship {state}, but {}", wrong.join("; ")))
    }
}

/// What must hold of the whole database after any kill.
async fn whole(db: &mut Db, partner: &str, due: &[GdapId]) -> Vec<String> {
    let mut wrong = Vec::new();
    let zero = [
        (
            "orders without a subscription",
            "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.order_id = o.id)",
        ),
        (
            "order lines without their subscription",
            "SELECT COUNT(*) FROM order_line_items l WHERE NOT EXISTS \
             (SELECT 1 FROM subscriptions s WHERE s.id = l.subscription_id AND s.order_id = l.order_id)",
        ),
        (
            "orders without exactly one audit record",
            "SELECT COUNT(*) FROM orders o WHERE (SELECT COUNT(*) FROM audit_records a \
             WHERE a.operation = 'create_order' AND a.resource_id = CAST(o.id AS TEXT)) <> 1",
        ),
        (
            "audit records with two events",
            "SELECT COUNT(*) FROM (SELECT audit_id FROM outbox_events WHERE audit_id IS NOT NULL \
             GROUP BY audit_id HAVING COUNT(*) > 1) twice",
        ),
        (
            "changes of these kinds without exactly one event",
            "SELECT COUNT(*) FROM audit_records a WHERE a.operation IN ('offboard_customer', 'create_order', \
             'granular_admin_relationship_expired', 'granular_admin_relationship_terminated', \
             'dap_admin_relationship_terminated') \
             AND (SELECT COUNT(*) FROM outbox_events e WHERE e.audit_id = a.id) <> 1",
        ),
        (
            "request ids left reserved",
            "SELECT COUNT(*) FROM idempotency_keys WHERE status IS NULL",
        ),
    ];
    for (what, sql) in zero {
        let n = db.count(sql).await;
        if n != 0 {
            wrong.push(format!("{n} {what}"));
        }
    }
    for id in due {
        let g = format!("'{id}'");
        let status = db
            .texts(&format!("SELECT status FROM gdap_relationships WHERE id = {g}"))
            .await;
        let audits = db
            .count(&format!(
                "SELECT COUNT(*) FROM audit_records WHERE resource_id = {g} \
                 AND operation = 'granular_admin_relationship_expired'"
            ))
            .await;
        let fine = match status.first().map(String::as_str) {
            Some("active") => audits == 0,
            Some("expired") => audits == 1,
            _ => false,
        };
        if !fine {
            wrong.push(format!(
                "due GDAP relationship {id} of {partner}: {status:?} with {audits} expiry audit records"
            ));
        }
    }
    wrong
}

fn survives_kills(runtime: &tokio::runtime::Runtime, db: partnerdesk_testkit::TestDb, seed: u64) {
    let backend = db.backend;
    let url = db.url.clone();
    let began = Instant::now();
    let mut w = runtime.block_on(world(db));
    println!("{backend}: the world made in {:.1} s", began.elapsed().as_secs_f64());
    let partner = w.partner.id.to_string();
    let mut check = runtime.block_on(Db::open(&url));
    let (hook, got) = receiver(runtime);
    let logs = tempfile::tempdir().expect("a directory for the server's log");
    let log = logs.path().join("stderr.log");
    let mut moments = Moments(seed);
    let what = |round: usize| format!("{backend}, seed {seed}, kill {round}");

    let mut server = start(&url, &log);
    let events: Vec<String> = partnerdesk_domain::webhook::EVENT_NAMES
        .iter()
        .map(|e| e.to_string())
        .collect();
    let body = serde_json::json!({ "WebhookUrl": hook, "WebhookEvents": events }).to_string();
    let (status, registration) = server.call(
        "POST",
        "/webhooks/v1/registration",
        &[
            ("Authorization", w.bearer.as_str()),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_eq!(status, 201, "{backend}: {registration}");

    let mut orders_sent = vec![0i64; ORDER_CUSTOMERS];
    let mut removed = 0;
    for round in 0..KILLS {
        let customer = w.offboarded[round];
        let mut posts = vec![Post {
            request_id: format!("offboard-{round}"),
            path: format!("/v1/customers/{customer}/offboarding"),
            body: r#"{"reason":"kill point"}"#.into(),
            status: 200,
        }];
        for n in 0..ORDERS_IN_FLIGHT {
            let c = (round + n) % ORDER_CUSTOMERS;
            orders_sent[c] += 1;
            posts.push(Post {
                request_id: format!("order-{round}-{n}"),
                path: format!("/v1/customers/{}/orders", w.ordered[c]),
                body: format!(
                    r#"{{"lineItems":[{{"offerId":"{}","quantity":1}},{{"offerId":"{}","quantity":3}}]}}"#,
                    w.t.offer.id, w.t.offer.id
                ),
                status: 201,
            });
        }
        let streams: Vec<TcpStream> = posts.iter().map(|p| send(&server, &w.bearer, p)).collect();
        // Mostly within the first 40 ms (the requests' transactions); one time in eight
        // after every answer arrived.
        let roll = moments.next();
        if roll.is_multiple_of(8) {
            for s in streams {
                let _ = read_answer(s);
            }
        } else {
            std::thread::sleep(Duration::from_micros(roll % 40_000));
        }
        server.kill();

        let customer_text = customer.to_string();
        let (half, wrong) = runtime.block_on(async {
            let half = removed_or_untouched(&mut check, &partner, &customer_text).await;
            let wrong = whole(&mut check, &partner, &w.due).await;
            (half, wrong)
        });
        let was_removed = half.unwrap_or_else(|e| panic!("{}: customer {customer} half removed: {e}", what(round)));
        removed += usize::from(was_removed);
        assert!(wrong.is_empty(), "{}: {}", what(round), wrong.join("; "));

        // Work for the delegated admin job when the server comes back.
        runtime.block_on(async {
            for n in 0..DUE_GDAP_PER_ROUND {
                w.make_due(round * DUE_GDAP_PER_ROUND + n).await;
            }
        });
        server = start(&url, &log);
        for post in &posts {
            let (status, answer) = read_answer(send(&server, &w.bearer, post))
                .unwrap_or_else(|| panic!("{}: no answer to the retry of {}", what(round), post.request_id));
            assert_eq!(
                status,
                post.status,
                "{}: the retry of {} replays or runs, never 409: {answer}",
                what(round),
                post.request_id
            );
        }
        let after = runtime.block_on(removed_or_untouched(&mut check, &partner, &customer_text));
        assert_eq!(
            after,
            Ok(true),
            "{}: the retried offboarding removed {customer}",
            what(round)
        );
    }

    // Each order POST was applied once, whatever the kills caught.
    runtime.block_on(async {
        for (c, sent) in w.ordered.iter().zip(&orders_sent) {
            let made = check
                .count(&format!("SELECT COUNT(*) FROM orders WHERE customer_id = '{c}'"))
                .await;
            assert_eq!(made, *sent, "{backend}, seed {seed}: orders for {c}");
        }
    });

    // The last server runs to the end: every due relationship expires and every event
    // taken by the registration since it was made reaches the listener.
    let registration_id = registration["Id"].as_str().expect("a registration id").to_string();
    let names: Vec<String> = events.iter().map(|e| format!("'{e}'")).collect();
    let wanted = format!(
        "SELECT CAST(e.id AS TEXT) FROM outbox_events e, webhook_registrations r \
         WHERE r.id = '{registration_id}' AND (e.partner_id = '{partner}' OR e.customer_id = '{partner}') \
         AND e.event_type IN ({}) AND e.at >= r.created_at",
        names.join(", ")
    );
    let deadline = Instant::now() + SETTLE;
    loop {
        let (missing, wrong, expired) = runtime.block_on(async {
            let wanted = check.texts(&wanted).await;
            let got = got.lock().expect("lock").clone();
            let missing: Vec<String> = wanted.into_iter().filter(|id| !got.contains(id)).collect();
            let wrong = whole(&mut check, &partner, &w.due).await;
            let expired = check
                .count(&format!(
                    "SELECT COUNT(*) FROM gdap_relationships WHERE partner_id = '{partner}' AND status = 'expired'"
                ))
                .await;
            (missing, wrong, expired)
        });
        assert!(
            wrong.is_empty(),
            "{backend}, seed {seed}, at the end: {}",
            wrong.join("; ")
        );
        if missing.is_empty() && expired == w.due.len() as i64 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{backend}, seed {seed}: {} events never delivered ({:?}…), {expired} of {} expired; stderr:\n{}",
            missing.len(),
            missing.first(),
            w.due.len(),
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill();

    let verify = partnerdesk()
        .args(["--database-url", &url, "audit", "verify"])
        .output()
        .expect("run partnerdesk audit verify");
    assert!(
        verify.status.success(),
        "{backend}, seed {seed}: audit verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    // Some kills came after an offboarding committed (at least those after every answer).
    println!(
        "{backend}: {KILLS} kill points survived in {:.1} s (seed {seed}, {removed} offboardings had committed)",
        began.elapsed().as_secs_f64()
    );
    assert!(removed > 0, "{backend}, seed {seed}: no kill came after a commit");
}

#[cfg(unix)]
#[test]
fn kills_at_random_points_leave_nothing_half_done() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let seed = seed();
    println!("PARTNERDESK_KILL_SEED={seed}");
    // The backends side by side: a restart waits mostly on the process, not on the cores.
    std::thread::scope(|scope| {
        for db in runtime.block_on(partnerdesk_testkit::backends()) {
            let runtime = &runtime;
            scope.spawn(move || survives_kills(runtime, db, seed));
        }
    });
}
