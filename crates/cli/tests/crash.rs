//! A server killed (SIGKILL) while it handles POSTs with an `MS-RequestId`, then restarted on
//! the same database: the retry of each POST either replays the answer that committed or
//! runs now. It is never refused as "still running", and never applied twice.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const ADMIN_EMAIL: &str = "ops@crash.example";
const ADMIN_PASSWORD: &str = "long enough 1";

/// `partnerdesk serve` on port 0 over `database_url`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(database_url: &str) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
        for var in ["PARTNERDESK_LISTEN", "RUST_LOG"] {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .args(["--database-url", database_url, "serve", "--listen", "127.0.0.1:0"])
            .env("PARTNERDESK_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("PARTNERDESK_ADMIN_PASSWORD", ADMIN_PASSWORD)
            // Tokens name the server they were issued by: the same one across restarts.
            .env("PARTNERDESK_PUBLIC_URL", "http://partnerdesk.test")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start partnerdesk");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines_tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
        };
        loop {
            match lines.recv_timeout(STARTUP_TIMEOUT) {
                Ok(line) => {
                    if let Some(addr) = line.strip_prefix("partnerdesk listening on http://") {
                        server.addr = addr.trim().to_string();
                        return server;
                    }
                }
                Err(e) => panic!("no `partnerdesk listening on` line: {e}"),
            }
        }
    }

    /// Sends one request and leaves the connection open for its answer.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("set read timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("send head");
        stream.write_all(body.as_bytes()).expect("send body");
        stream
    }

    fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
        read_answer(self.send(method, path, headers, body)).expect("an answer")
    }

    /// Kills the process at once (SIGKILL): nothing of it runs after this.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status and JSON body of an answer; `None` when the connection ended without one.
fn read_answer(mut stream: TcpStream) -> Option<(u16, Value)> {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    Some((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// An access token of the operator admin.
fn sign_in(server: &Server) -> String {
    let form = format!(
        "grant_type=password&username={}&password={}",
        ADMIN_EMAIL.replace('@', "%40"),
        ADMIN_PASSWORD.replace(' ', "+")
    );
    let (status, body) = server.call(
        "POST",
        "/oauth2/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(status, 200, "sign-in: {body}");
    body["access_token"].as_str().expect("an access token").to_string()
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
    let mut server = Server::start(database_url);
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
        server = Server::start(database_url);

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
