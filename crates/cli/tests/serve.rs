//! `partnerdesk serve`, run as a real process on a free port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server, killed when dropped so a failing test leaves nothing behind.
struct Server {
    child: Child,
    addr: String,
    stderr_log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `partnerdesk serve` on port 0 over a SQLite file in `dir` and waits for the
    /// line that says where it listens.
    fn start(dir: &Path) -> Server {
        let stderr_log = dir.join("stderr.log");
        let stderr = std::fs::File::create(&stderr_log).expect("create stderr log");
        let mut child = partnerdesk(dir)
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

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }

    /// One HTTP/1.1 GET; returns the status code and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("set read timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

/// The binary with a clean environment and its database in `dir`.
fn partnerdesk(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    for var in [
        "PARTNERDESK_DATABASE_URL",
        "PARTNERDESK_LISTEN",
        "PARTNERDESK_PUBLIC_URL",
        "PARTNERDESK_ADMIN_EMAIL",
        "PARTNERDESK_ADMIN_PASSWORD",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("pd.db").display()));
    cmd
}

#[test]
fn serve_prints_its_address_and_answers_health_checks_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path());

    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "body: {body}\nstderr:\n{}", server.stderr());
    assert_eq!(body, r#"{"status":"ok"}"#);

    let (status, body) = server.get("/readyz");
    assert_eq!(status, 200, "body: {body}\nstderr:\n{}", server.stderr());
    assert_eq!(body, r#"{"status":"ready","database":"sqlite"}"#);
    assert!(dir.path().join("pd.db").exists(), "serve creates the SQLite file");
}

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(dir.path());
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait for the server") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 30 s after SIGTERM; stderr:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}; stderr:\n{}", server.stderr());
}

#[test]
fn an_admin_email_without_a_password_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = partnerdesk(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("PARTNERDESK_ADMIN_EMAIL", "admin@example.com")
        .output()
        .expect("run partnerdesk");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("PARTNERDESK_ADMIN_PASSWORD"), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}
