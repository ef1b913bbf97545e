//! `partnerdesk demo`, then `partnerdesk serve` over what it seeded: the demo's delegated
//! admin is real, so offboarding one of its customers would end DAP, terminate GDAP
//! relationships and clear support contacts.

mod common;

use common::{partnerdesk_in as partnerdesk, Server};

const PASSWORD: &str = "partnerdesk-demo";

/// A bearer token for `email` from `POST /oauth2/token`.
fn token(server: &Server, email: &str) -> String {
    let body = format!(
        "grant_type=password&username={}&password={PASSWORD}",
        email.replace('@', "%40")
    );
    let (status, answer) = server.call(
        "POST",
        "/oauth2/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );
    assert_eq!(status, 200, "{answer}\nstderr:\n{}", server.stderr());
    answer["access_token"].as_str().expect("an access token").to_string()
}

#[test]
fn the_demo_gives_customers_dap_gdap_and_support_contacts_that_offboarding_would_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seeded = partnerdesk(dir.path())
        .arg("demo")
        .output()
        .expect("run partnerdesk demo");
    assert!(
        seeded.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let printed = String::from_utf8_lossy(&seeded.stdout);
    assert!(
        printed.contains("admin@alpineskihouse.example") && printed.contains("/partners/admin-relationships/"),
        "the demo names a customer admin with GDAP and the approval link of the one waiting: {printed}"
    );
    let server = Server::start(partnerdesk(dir.path()), dir.path().join("stderr.log"));
    let bearer = format!("Bearer {}", token(&server, "admin@contoso-partners.example"));
    let auth = [("Authorization", bearer.as_str())];
    let (status, list) = server.call("GET", "/v1/customers?size=100", &auth, "");
    assert_eq!(status, 200, "{list}");
    let id_of = |domain: &str| -> String {
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|c| c["companyProfile"]["domain"] == domain)
            .and_then(|c| c["id"].as_str())
            .unwrap_or_else(|| panic!("{domain} is a customer of Contoso: {list}"))
            .to_string()
    };
    // Two with an active GDAP relationship for two years, one with one ending in 20 days.
    for domain in ["alpineskihouse.example", "blueyonder.example", "cohowinery.example"] {
        let id = id_of(domain);
        let (status, preview) = server.call("GET", &format!("/v1/customers/{id}/offboarding"), &auth, "");
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["dapGrantsToEnd"], 1, "{domain}: {preview}");
        let gdap = preview["gdapRelationshipsToTerminate"].as_array().expect("a list");
        assert_eq!(gdap.len(), 1, "{domain}: {preview}");
        let support = preview["supportAssignmentsToClear"].as_array().expect("a list");
        assert!(!support.is_empty(), "{domain}: {preview}");
    }
}
