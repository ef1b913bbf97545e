//! `partnerdesk serve`, run as a real process on a free port.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{partnerdesk_in as partnerdesk, Server};

/// `partnerdesk serve` over a SQLite file in `dir`.
fn start(dir: &std::path::Path) -> Server {
    Server::start(partnerdesk(dir), dir.join("stderr.log"))
}

#[test]
fn serve_prints_its_address_and_answers_health_checks_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = start(dir.path());

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
    let mut server = start(dir.path());
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
