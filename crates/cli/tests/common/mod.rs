//! `partnerdesk` as a real process, for the tests that need one: a clean environment, a
//! server on port 0 found by the line it prints, and a small HTTP/1.1 client.
//!
//! Each test file uses part of this.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// The binary with none of its settings taken from the test's environment.
pub fn partnerdesk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    for var in [
        "PARTNERDESK_DATABASE_URL",
        "PARTNERDESK_LISTEN",
        "PARTNERDESK_PUBLIC_URL",
        "PARTNERDESK_ADMIN_EMAIL",
        "PARTNERDESK_ADMIN_PASSWORD",
        "PARTNERDESK_WEBHOOK_INTERVAL",
        "PARTNERDESK_WEBHOOK_ALLOW_PRIVATE",
        "PARTNERDESK_WEBHOOK_TIMEOUT",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// The binary over a SQLite file in `dir`.
pub fn partnerdesk_in(dir: &Path) -> Command {
    let mut cmd = partnerdesk();
    cmd.arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("pd.db").display()));
    cmd
}

/// A running `partnerdesk serve`, killed when dropped so a failing test leaves nothing behind.
pub struct Server {
    pub child: Child,
    pub addr: String,
    stderr_log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Runs `cmd serve --listen 127.0.0.1:0`, its standard error going to `stderr_log`, and
    /// waits for the line that says where it listens.
    pub fn start(mut cmd: Command, stderr_log: PathBuf) -> Server {
        let stderr = std::fs::File::create(&stderr_log).expect("create the stderr log");
        let mut child = cmd
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(stderr)
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
            stderr_log,
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(addr) = line.strip_prefix("partnerdesk listening on http://") {
                        server.addr = addr.trim().to_string();
                        return server;
                    }
                }
                Err(e) => panic!("no `partnerdesk listening on` line ({e}); stderr:\n{}", server.stderr()),
            }
        }
    }

    /// What the server wrote to standard error so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }

    /// Sends one request and leaves the connection open for its answer.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the server");
        stream.set_read_timeout(Some(ANSWER_TIMEOUT)).expect("set read timeout");
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

    /// One request; its status and body as text.
    pub fn call_text(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
        read_text(self.send(method, path, headers, body)).expect("an answer")
    }

    /// One request; its status and body as JSON (`Null` when not JSON).
    pub fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
        read_answer(self.send(method, path, headers, body)).expect("an answer")
    }

    /// One GET; its status and body as text.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.call_text("GET", path, &[], "")
    }

    /// Kills the process at once (SIGKILL): nothing of it runs after this.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status and body of an answer; `None` when the connection ended without one.
pub fn read_text(mut stream: TcpStream) -> Option<(u16, String)> {
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
    Some((status, body))
}

/// Status and JSON body of an answer (`Null` when not JSON); `None` when the connection
/// ended without one.
pub fn read_answer(stream: TcpStream) -> Option<(u16, Value)> {
    let (status, body) = read_text(stream)?;
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

/// An access token for `email` and `password` from `POST /oauth2/token`.
pub fn access_token(server: &Server, email: &str, password: &str) -> String {
    let form = format!(
        "grant_type=password&username={}&password={}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
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
