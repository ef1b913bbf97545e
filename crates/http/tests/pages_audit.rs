//! The audit log page, on every backend: a partner's admin sees its records filtered by
//! date, company name, customer and resource type, opens one to compare its old and new
//! values, and exports the filtered set; a customer's admin sees its own; a bad date is
//! refused beside its field with what was typed kept.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_http::HttpConfig;
use partnerdesk_testkit::{TestApp, PASSWORD};

#[path = "common/dashboard.rs"]
mod dashboard;

use dashboard::{email_of, Visitor};

#[tokio::test]
async fn an_admin_filters_the_audit_log_opens_a_record_and_exports_the_filtered_set() {
    for db in partnerdesk_testkit::backends().await {
        let b = db.backend;
        let t = TestApp::on(db).await;
        let router = partnerdesk_http::router(t.app.clone(), HttpConfig::default());
        let partner = t.partner(PartnerType::Direct).await;
        let first = t.customer_of(&partner).await;
        let second = t.customer_of(&partner).await;
        let sub = t.buy(&partner, first.id, 2).await;
        t.app
            .suspend_subscription(&partner.admin, first.id, sub.id)
            .await
            .expect("suspend");
        let mut v = Visitor::signed_in(&router, &email_of(&t, &partner.admin).await, PASSWORD).await;

        let home = v.get("/home").await;
        assert!(
            home.body.contains("href=\"/audit\""),
            "{b}: the navigation links the audit log"
        );
        let all = v.get("/audit").await;
        assert_eq!(all.status, StatusCode::OK, "{b}: {}", all.body);
        for op in ["add_customer", "create_order", "update_subscription"] {
            assert!(all.body.contains(op), "{b}: {op} listed");
        }

        // The customer filter keeps the first customer's records only.
        let only_second = v.get(&format!("/audit?customer={}", second.id)).await;
        assert!(only_second.body.contains("add_customer"), "{b}");
        assert!(!only_second.body.contains("create_order"), "{b}");
        // The resource type filter.
        let subscriptions = v.get("/audit?type=subscription").await;
        assert!(subscriptions.body.contains("update_subscription"), "{b}");
        assert!(!subscriptions.body.contains("add_customer"), "{b}");
        // Days before anything happened (the test clock stands at 2026-03-01).
        let before = v.get("/audit?from=2026-01-01&to=2026-02-01").await;
        assert!(before.body.contains("id=\"audit-none\""), "{b}");

        // A record: its old and new values side by side.
        let link = subscriptions
            .between("<td><a href=\"/audit/", "\"")
            .expect("a link to the record");
        let record = v.get(&format!("/audit/{link}")).await;
        assert_eq!(record.status, StatusCode::OK, "{b}");
        let values = record.between("id=\"audit-values\"", "</table>").expect("the values");
        let cells: Vec<&str> = values.split("<pre translate=\"no\">").skip(1).collect();
        assert_eq!(cells.len(), 2, "{b}: before and after");
        assert!(
            cells[0].contains("active") && !cells[0].contains("suspended"),
            "{b}: {}",
            cells[0]
        );
        assert!(cells[1].contains("suspended"), "{b}: {}", cells[1]);

        // The export holds what the filters hold.
        let csv = v.get("/audit/export.csv?type=subscription").await;
        assert_eq!(csv.status, StatusCode::OK, "{b}");
        assert!(csv.body.starts_with('\u{feff}'), "{b}");
        let lines: Vec<&str> = csv.body.lines().skip(1).collect();
        assert!(!lines.is_empty(), "{b}");
        assert!(lines.iter().all(|l| l.contains(",subscription,")), "{b}: {lines:?}");

        // A bad date is refused beside its field, the rest kept.
        let bad = v.get("/audit?from=2026-02-30&type=order").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(bad.body.contains("id=\"from-error\""), "{b}");
        assert!(bad.body.contains("value=\"2026-02-30\""), "{b}");
        assert!(
            bad.body.contains("<option value=\"order\" translate=\"no\" selected>"),
            "{b}"
        );

        // The first customer's admin sees its own records, not the second's.
        let mut c = Visitor::signed_in(&router, &email_of(&t, &first.admin).await, PASSWORD).await;
        let own = c.get("/audit").await;
        assert_eq!(own.status, StatusCode::OK, "{b}");
        assert!(own.body.contains("create_order"), "{b}");
        let other = c.get(&format!("/audit?customer={}", second.id)).await;
        assert!(other.body.contains("id=\"audit-none\""), "{b}");
        let hidden = c
            .get(&format!(
                "/audit/{}",
                only_second
                    .between("<td><a href=\"/audit/", "\"")
                    .expect("the second customer's record")
            ))
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{b}");
    }
}
