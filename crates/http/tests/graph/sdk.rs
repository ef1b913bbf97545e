//! A real Graph client: the Python `msgraph-sdk` (tests/graph/sdk_client.py) against a
//! served router, signed in with a token from `/oauth2/token`. The script creates, pages,
//! patches and locks a relationship; the customer approves it through the API with its own
//! token; the script then reads it active, reads where the customer is managed
//! (`serviceManagementDetails`) and terminates it.
//!
//! The SDK lives in a virtual environment that `.ci/run` makes; its Python is named by
//! `PARTNERDESK_MSGRAPH_PYTHON`. Without it the test says so and passes, except under
//! `CI=true`, where it fails.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, PASSWORD};
use serde_json::Value;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::{HELPDESK, RELS};

/// The Python of the virtual environment holding `msgraph-sdk`, when there is one.
fn sdk_python() -> Option<PathBuf> {
    let python = PathBuf::from(std::env::var_os("PARTNERDESK_MSGRAPH_PYTHON")?);
    python.exists().then_some(python)
}

/// Runs one phase of the script; its last line of output, as JSON.
async fn phase(python: &Path, phase: &str, env: &[(&str, String)]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/graph/sdk_client.py");
    let output = tokio::process::Command::new(python)
        .arg(&script)
        .arg(phase)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .kill_on_drop(true)
        .output()
        .await
        .expect("run the msgraph-sdk script");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{phase} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{phase} printed {last:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_graph_sdk_creates_pages_patches_locks_and_terminates_a_relationship() {
    let Some(python) = sdk_python() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "PARTNERDESK_MSGRAPH_PYTHON names no Python with msgraph-sdk; .ci/run makes one"
        );
        eprintln!("skipped: set PARTNERDESK_MSGRAPH_PYTHON to a Python with msgraph-sdk (see .ci/run)");
        return;
    };
    for db in partnerdesk_testkit::backends().await {
        let t = TestApp::on(db).await;
        let partner = t.partner(PartnerType::Direct).await;
        let email = t.app.me(&partner.admin).await.expect("me").email.as_str().to_string();
        let customer = t.customer_of(&partner).await;

        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let config = HttpConfig {
            public_url: base.clone(),
            ..HttpConfig::default()
        };
        let router = partnerdesk_http::router(t.app.clone(), config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(partnerdesk_http::serve(listener, router.clone(), async {
            let _ = stopped.await;
        }));

        let env = vec![
            ("PD_BASE_URL", base.clone()),
            ("PD_USERNAME", email),
            ("PD_PASSWORD", PASSWORD.to_string()),
            ("PD_ROLE_ID", HELPDESK.to_string()),
            ("PD_CUSTOMER_ID", customer.id.to_string()),
            ("PD_NAME_PREFIX", "SDK".to_string()),
        ];
        let created = phase(&python, "create", &env).await;
        assert_eq!(created["pages"], 3, "{created}");
        let id = created["id"].as_str().expect("id").to_string();

        // The customer's global admin approves with its own token, through the API.
        let customer_token = t.token_for(&customer.admin).await;
        let approve = Request::post(format!("{RELS}/{id}/requests"))
            .header("authorization", format!("Bearer {customer_token}"))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"action": "approve"}"#))
            .expect("request");
        let approved = router.clone().oneshot(approve).await.expect("router answers");
        assert_eq!(approved.status(), StatusCode::CREATED);

        let mut env = env;
        env.push(("PD_RELATIONSHIP_ID", id.clone()));
        let finished = phase(&python, "finish", &env).await;
        assert_eq!(finished["status"], "terminated");
        assert_eq!(finished["id"], id.as_str());
        assert_eq!(
            finished["services"]["subscriptions"],
            format!("{base}/customers/{}/subscriptions", customer.id),
            "{finished}"
        );

        let _ = stop.send(());
        server.await.expect("server task").expect("server stops cleanly");
    }
}
