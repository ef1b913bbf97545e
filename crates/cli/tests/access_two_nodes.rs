//! Two `partnerdesk serve` processes sharing one PostgreSQL database: after one of them
//! answers a DAP termination, the other never answers `allowed` for it, round after round.

mod common;

use std::time::{Duration, Instant};

use common::{partnerdesk, Server};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::TestApp;
use serde_json::json;

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const ROUNDS: usize = 15;

fn start(database_url: &str, log: &std::path::Path) -> Server {
    let mut cmd = partnerdesk();
    cmd.args(["--database-url", database_url]);
    Server::start(cmd, log.to_path_buf())
}

#[test]
fn a_termination_answered_by_one_server_is_never_allowed_by_the_other() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let Some(db) = runtime.block_on(partnerdesk_testkit::postgres()) else {
        return;
    };
    let url = db.url.clone();
    let t = runtime.block_on(TestApp::on(db));
    let (partner, customer, token) = runtime.block_on(async {
        let partner = t.partner(PartnerType::Direct).await;
        let customer = t.customer_with_dap(&partner).await;
        let token = t.token_for(&partner.admin).await;
        (partner, customer, token)
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let a = start(&url, &dir.path().join("a.log"));
    let b = start(&url, &dir.path().join("b.log"));
    let auth = format!("Bearer {token}");
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let check_body =
        json!({"customerId": customer.id.to_string(), "partnerId": partner.id.to_string(), "role": HELPDESK})
            .to_string();
    let check = |server: &Server| -> bool {
        let (status, body) = server.call("POST", "/v1/access/check", &headers, &check_body);
        assert_eq!(status, 200, "check: {body}; stderr:\n{}", server.stderr());
        body["allowed"].as_bool().expect("allowed is a boolean")
    };
    let set_dap = |on: bool| {
        let (status, body) = a.call(
            "PATCH",
            &format!("/v1/customers/{}", customer.id),
            &headers,
            &json!({"allowDelegatedAccess": on}).to_string(),
        );
        assert_eq!(status, 200, "DAP {on}: {body}; stderr:\n{}", a.stderr());
    };
    // Both listen (and trust their memory) shortly after their first check.
    check(&a);
    check(&b);
    std::thread::sleep(Duration::from_secs(2));
    for round in 0..ROUNDS {
        set_dap(true);
        let deadline = Instant::now() + Duration::from_secs(3);
        while !check(&b) {
            assert!(Instant::now() < deadline, "round {round}: B never saw the grant");
            std::thread::sleep(Duration::from_millis(10));
        }
        // Answered from B's memory now; end DAP through A and ask B at once.
        assert!(check(&b), "round {round}");
        set_dap(false);
        for i in 0..10 {
            assert!(
                !check(&b),
                "round {round}, check {i}: B answered allowed after A ended DAP"
            );
        }
    }
    drop(t);
}
