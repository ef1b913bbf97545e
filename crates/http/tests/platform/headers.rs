//! What answers say about themselves: caching and sniffing on the API and the CSV export,
//! framing and script on `/docs`, HSTS behind https, and a real answer (with a body) for an
//! address that does not exist or is too long. On every backend.

use axum::http::StatusCode;
use axum::Router;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, PASSWORD};
use serde_json::json;

use crate::dashboard::{Page, Visitor};
use crate::support::*;

/// A partner with a customer, its API token and a signed-in dashboard visitor.
struct World {
    t: TestApp,
    router: Router,
    token: String,
    client: Visitor,
}

impl World {
    async fn all(config: HttpConfig) -> Vec<World> {
        let mut out = Vec::new();
        for db in partnerdesk_testkit::backends().await {
            let t = TestApp::on(db).await;
            let partner = t.partner(PartnerType::Direct).await;
            t.customer_of(&partner).await;
            let token = t.token_for(&partner.admin).await;
            let email = crate::dashboard::email_of(&t, &partner.admin).await;
            let router = router_with(&t, config.clone());
            let client = Visitor::signed_in(&router, &email, PASSWORD).await;
            out.push(World {
                t,
                router,
                token,
                client,
            });
        }
        out
    }
}

fn header<'a>(page: &'a Page, name: &str) -> Option<&'a str> {
    page.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_api_the_csv_export_and_the_docs_say_how_they_may_be_kept_read_and_framed() {
    for w in World::all(HttpConfig::default()).await {
        let backend = w.t.db.backend;
        let json_list = Call::get("/v1/customers").bearer(&w.token).send(&w.router).await;
        let csv_list = Call::get("/v1/customers")
            .bearer(&w.token)
            .header("Accept", "text/csv")
            .send(&w.router)
            .await;
        let refused = Call::get("/v1/customers").send(&w.router).await;
        for (what, answer) in [("json", &json_list), ("csv", &csv_list), ("401", &refused)] {
            assert_eq!(answer.header("cache-control"), Some("no-store"), "{backend} {what}");
            assert_eq!(
                answer.header("x-content-type-options"),
                Some("nosniff"),
                "{backend} {what}"
            );
        }
        assert_eq!(csv_list.status, StatusCode::OK);

        let mut client = w.client;
        let export = client.get("/customers/export.csv").await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(header(&export, "cache-control"), Some("no-store"), "{backend}");
        assert_eq!(header(&export, "x-content-type-options"), Some("nosniff"), "{backend}");
        assert!(export.body.starts_with('\u{feff}'), "the file itself");

        let docs = client.get("/docs").await;
        assert_eq!(docs.status, StatusCode::OK);
        let csp = header(&docs, "content-security-policy").expect("/docs has a policy");
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("style-src 'sha256-"), "its own stylesheet: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"), "{csp}");
        assert_eq!(header(&docs, "x-frame-options"), Some("DENY"));
        assert_eq!(header(&docs, "x-content-type-options"), Some("nosniff"));

        // The dashboard's pages keep their own policy.
        let page = client.get("/customers").await;
        let csp = header(&page, "content-security-policy").expect("a page has a policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"),
            "{csp}"
        );
        assert_eq!(header(&page, "cache-control"), Some("no-store"));
        // Published keys stay cacheable.
        let jwks = Call::get("/.well-known/jwks.json").send(&w.router).await;
        assert_ne!(jwks.header("cache-control"), Some("no-store"));
        assert!(
            jwks.header("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
}

#[tokio::test]
async fn behind_https_every_answer_asks_for_https_next_time() {
    let config = HttpConfig {
        public_url: "https://partners.example".into(),
        ..HttpConfig::default()
    };
    for w in World::all(config).await {
        let backend = w.t.db.backend;
        let mut client = w.client;
        let home = client.get("/home").await;
        let healthz = Call::get("/healthz").send(&w.router).await;
        let api = Call::get("/v1/customers").bearer(&w.token).send(&w.router).await;
        let unknown = Call::get("/v1/nothing-here").send(&w.router).await;
        assert_eq!(
            header(&home, "strict-transport-security"),
            Some("max-age=31536000"),
            "{backend}"
        );
        for answer in [&healthz, &api, &unknown] {
            assert_eq!(
                answer.header("strict-transport-security"),
                Some("max-age=31536000"),
                "{backend} {}",
                answer.status
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_address_is_a_404_with_a_body_the_caller_can_read() {
    for w in World::all(HttpConfig::default()).await {
        let backend = w.t.db.backend;
        // The API: its error body, in the caller's language.
        for path in ["/v1/nothing-here", "/v1", "/oauth2/nothing"] {
            let answer = Call::get(path).bearer(&w.token).send(&w.router).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{backend} {path}");
            assert_eq!(answer.header("content-type"), Some("application/json"), "{path}");
            assert_eq!(answer.json["errorName"], json!("route_not_found"), "{path}");
            assert_eq!(answer.json["code"], json!(404), "{path}");
            assert_eq!(answer.json["source"], json!("partnerdesk"), "{path}");
            assert_eq!(answer.header("cache-control"), Some("no-store"), "{path}");
        }
        // Under Graph's prefix, in Graph's envelope.
        let graph = Call::get("/v1.0/tenantRelationships/x")
            .bearer(&w.token)
            .send(&w.router)
            .await;
        assert_eq!(graph.status, StatusCode::NOT_FOUND, "{backend}");
        assert_eq!(graph.json["error"]["code"], json!("route_not_found"));
        assert_eq!(graph.header("cache-control"), Some("no-store"));
        let russian = Call::get("/v1/nothing-here")
            .header("X-Locale", "ru-RU")
            .send(&w.router)
            .await;
        assert!(
            russian.json["description"]
                .as_str()
                .is_some_and(|d| d.contains("В API нет такого адреса")),
            "{}",
            russian.json
        );

        // The dashboard: a page inside the signed-in frame.
        let mut client = w.client;
        let page = client.get("/no/such/page").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{backend}");
        assert!(page.body.contains("<h1>Not found</h1>"), "{}", page.body);
        assert!(
            page.body.contains("action=\"/signout\""),
            "signed-in frame: {}",
            page.body
        );
        assert!(page.body.contains("href=\"/customers\""), "navigation: {}", page.body);
        assert!(header(&page, "content-security-policy").is_some());
        // In the visitor's language.
        let csrf = page.csrf();
        client
            .post("/language", &[("_csrf", &csrf), ("lang", "ru"), ("back", "/home")])
            .await;
        let page = client.get("/no/such/page").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("<h1>Не найдено</h1>"), "{}", page.body);
        assert!(page.body.contains("lang=\"ru\""));
        // Signed out: the same page, without the frame.
        let mut stranger = Visitor::new(&w.router);
        let page = stranger.get("/no/such/page").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("<h1>Not found</h1>"));
        assert!(!page.body.contains("action=\"/signout\""));
    }
}

#[tokio::test]
async fn an_address_too_long_is_refused_with_414_and_a_body() {
    for w in World::all(HttpConfig::default()).await {
        let backend = w.t.db.backend;
        let long = "x".repeat(9000);
        let answer = Call::get(&format!("/v1/customers?filter={long}"))
            .bearer(&w.token)
            .send(&w.router)
            .await;
        assert_eq!(answer.status, StatusCode::URI_TOO_LONG, "{backend}");
        assert_eq!(answer.json["errorName"], json!("uri_too_long"));
        assert_eq!(answer.json["code"], json!(414));
        assert!(
            answer.json["description"].as_str().is_some_and(|d| d.contains("8192")),
            "{}",
            answer.json
        );

        let mut client = w.client;
        let page = client.get(&format!("/customers?q={long}")).await;
        assert_eq!(page.status, StatusCode::URI_TOO_LONG, "{backend}");
        assert!(page.body.contains("<h1>Address too long</h1>"), "{}", page.body);
        assert!(!page.body.contains(&long), "the address is not written back");
        // Just under the limit is answered as usual.
        let fits = Call::get(&format!("/v1/customers?size=1&filter={}", "%20".repeat(2600)))
            .bearer(&w.token)
            .send(&w.router)
            .await;
        assert_eq!(fits.status, StatusCode::OK, "{}", fits.json);
    }
}
