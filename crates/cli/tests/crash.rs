//! A server killed (SIGKILL) while it handles POSTs with an `MS-RequestId`, then restarted on
//! the same database: the retry of each POST either replays the answer that committed or
//! runs now. It is never refused as "still running", and never applied twice.

mod common;

use std::net::TcpStream;
use std::time::Duration;

use common::{access_token, partnerdesk, read_answer, Server};
use serde_json::Value;

const ADMIN_EMAIL: &str = "ops@crash.example";
const ADMIN_PASSWORD: &str = "long enough 1";

/// `partnerdesk serve` over `database_url` with an operator admin to sign in as.
fn start(database_url: &str, log: &std::path::Path) -> Server {
    let mut cmd = partnerdesk();
    cmd.args(["--database-url", database_url])
        .env("PARTNERDESK_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("PARTNERDESK_ADMIN_PASSWORD", ADMIN_PASSWORD)
        // Tokens name the server they were issued by: the same one across restarts.
        .env("PARTNERDESK_PUBLIC_URL", "http://partnerdesk.test");
    Server::start(cmd, log.to_path_buf())
}

/// An access token of the operator admin.
fn sign_in(server: &Server) -> String {
    access_token(server, ADMIN_EMAIL, ADMIN_PASSWORD)
}

/// When the server is killed, relative to the POST.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// As soon as the request is sent.
    Sent,
    /// This many milliseconds after it is sent.
    After(u64),
    /// Once the answer has arrived.
    Answered,
}

const MOMENTS: [Moment; 12] = [
    Moment::Sent,
    Moment::After(1),
    Moment::After(2),
    Moment::Sent,
    Moment::After(3),
    Moment::After(5),
    Moment::Answered,
    Moment::After(0),
    Moment::After(8),
    Moment::After(13),
    Moment::Answered,
    Moment::After(1),
];

/// POSTs in flight at each kill: the more there are, the more of them the kill catches
/// half-way (before, during or after their transaction).
const IN_FLIGHT: usize = 8;

fn kills_never_leave_a_request_id_stuck(backend: &str, database_url: &str) {
    let logs = tempfile::tempdir().expect("a directory for the server's log");
    let log = logs.path().join("stderr.log");
    let mut server = start(database_url, &log);
    let bearer = format!("Bearer {}", sign_in(&server));
    let mut replays = 0;
    for (round, moment) in MOMENTS.iter().enumerate() {
        let posts: Vec<(String, String)> = (0..IN_FLIGHT)
            .map(|n| (format!("crash-{round}-{n}"), format!("crash token {round}-{n}")))
            .collect();
        let headers = |request_id: &str| {
            [
                ("Authorization".to_string(), bearer.clone()),
                ("Content-Type".to_string(), "application/json".to_string()),
                ("MS-RequestId".to_string(), request_id.to_string()),
            ]
        };
        let send = |server: &Server, (request_id, name): &(String, String)| {
            let headers = headers(request_id);
            let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            server.send("POST", "/v1/me/tokens", &headers, &format!(r#"{{"name":"{name}"}}"#))
        };
        let streams: Vec<TcpStream> = posts.iter().map(|post| send(&server, post)).collect();
        let answered: Vec<Option<(u16, Value)>> = match moment {
            Moment::Sent => vec![None; IN_FLIGHT],
            Moment::After(ms) => {
                std::thread::sleep(Duration::from_millis(*ms));
                vec![None; IN_FLIGHT]
            }
            Moment::Answered => streams.into_iter().map(read_answer).collect(),
        };
        server.kill();
        server = start(database_url, &log);

        for (post, first) in posts.iter().zip(&answered) {
            let (status, retried) = read_answer(send(&server, post)).expect("an answer");
            let what = format!("{backend}, round {round} ({moment:?}), {}", post.0);
            assert_eq!(status, 201, "{what}: the retry replays or runs, never 409: {retried}");
            if retried["tokenSecret"].is_null() {
                replays += 1;
            }
            if let Some((first_status, first)) = first {
                assert_eq!(*first_status, 201, "{what}: {first}");
                assert_eq!(retried["id"], first["id"], "{what}: a replay of the committed answer");
                assert_eq!(retried["tokenSecret"], Value::Null, "{what}");
            }
        }
        let (_, listed) = server.call("GET", "/v1/me/tokens", &[("Authorization", bearer.as_str())], "");
        let names: Vec<&str> = listed["items"]
            .as_array()
            .expect("a list of tokens")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        for (request_id, name) in &posts {
            let made = names.iter().filter(|n| **n == name.as_str()).count();
            assert_eq!(
                made, 1,
                "{backend}, round {round} ({moment:?}), {request_id}: made once"
            );
        }
    }
    // The kills did catch requests that had committed: their retries were replays.
    assert!(replays >= 2 * IN_FLIGHT, "{backend}: only {replays} replays");
}

#[cfg(unix)]
#[test]
fn a_post_retried_after_the_server_was_killed_replays_or_runs_and_never_twice() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let databases = runtime.block_on(partnerdesk_testkit::backends());
    for db in &databases {
        kills_never_leave_a_request_id_stuck(db.backend, &db.url);
    }
}
