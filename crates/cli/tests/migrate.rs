//! `partnerdesk migrate` and how the binary reports a database it cannot use.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with a clean environment.
fn partnerdesk(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    for var in ["PARTNERDESK_DATABASE_URL", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd.args(args).output().expect("run partnerdesk")
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("pd.db").display())
}

/// The one line the binary prints on failure.
fn failure_line(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure, got {}", output.status);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("partnerdesk: ")).collect();
    assert_eq!(lines.len(), 1, "one error line expected; stderr: {stderr}");
    lines[0].to_string()
}

#[test]
fn an_unsupported_database_url_names_the_supported_ones() {
    let line = failure_line(&partnerdesk(&["--database-url", "mysql://x", "migrate"]));
    assert!(line.contains("sqlite://") && line.contains("postgres://"), "{line}");
}

#[test]
fn an_unreachable_database_is_a_clear_error_that_hides_the_password() {
    let line = failure_line(&partnerdesk(&[
        "--database-url",
        "postgres://pd:s3cret@127.0.0.1:1/pd",
        "migrate",
    ]));
    assert!(line.contains("cannot open the database"), "{line}");
    assert!(!line.contains("s3cret"), "{line}");
}

#[test]
fn migrate_creates_the_sqlite_file_and_can_run_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path());
    for _ in 0..2 {
        let output = partnerdesk(&["--database-url", &url, "migrate"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("sqlite") && stdout.contains("done"), "{stdout}");
    }
    assert!(dir.path().join("pd.db").exists());
}

#[test]
fn help_teaches_the_options_their_defaults_and_examples() {
    let output = partnerdesk(&["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for expected in [
        "partner center",
        "PARTNERDESK_DATABASE_URL",
        "sqlite://partnerdesk.db",
        "partnerdesk serve --demo",
        "partnerdesk --database-url postgres://postgres@127.0.0.1/partnerdesk migrate",
    ] {
        assert!(help.contains(expected), "--help lacks {expected:?}:\n{help}");
    }
    let output = partnerdesk(&["serve", "--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "PARTNERDESK_LISTEN",
        "127.0.0.1:8080",
        "PARTNERDESK_PUBLIC_URL",
        "PARTNERDESK_ADMIN_EMAIL",
    ] {
        assert!(help.contains(expected), "serve --help lacks {expected:?}:\n{help}");
    }
}
