//! `/v1/auditrecords` and `/auditactivity/v1/auditrecords/{id}`: the audit log as Partner
//! Center serves it.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::{json, Value};

use crate::support::{apis, url_encode, Api, Reply};

async fn add_customer(api: &Api, token: &str, name: &str, domain: &str, correlation: &str) -> String {
    let created = api
        .send(
            Method::POST,
            "/v1/customers",
            Some(token),
            &[("MS-CorrelationId", correlation)],
            Some(json!({"companyProfile": {"domain": domain}, "billingProfile": {"email": format!("b@{domain}"), "companyName": name, "defaultAddress": {"country": "US"}}})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    created.str("/id")
}

fn items(reply: &Reply) -> Vec<Value> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    reply.json["items"].as_array().expect("items").clone()
}

fn query(filter: Value) -> String {
    let encoded: String = url_encode(&filter.to_string());
    format!("/v1/auditrecords?filter={encoded}")
}

#[tokio::test]
async fn a_change_made_through_the_api_is_read_back_as_partner_centers_audit_record() {
    for api in apis().await {
        let b = api.t.db.backend;
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let customer = add_customer(&api, &token, "Ёлка Trading", "elka.example", "corr-4711").await;

        let listed = items(&api.get("/v1/auditrecords", &token).await);
        let record = listed
            .iter()
            .find(|r| r["operationType"] == "add_customer")
            .unwrap_or_else(|| panic!("{b}: no add_customer in {listed:#?}"));
        assert_eq!(record["partnerId"], partner.id.to_string(), "{b}");
        assert_eq!(record["customerId"], customer, "{b}");
        assert_eq!(record["customerName"], "Ёлка Trading", "{b}");
        assert_eq!(record["userPrincipalName"], partner.admin.upn, "{b}");
        assert!(
            record["applicationId"]
                .as_str()
                .is_some_and(|a| a.starts_with("api_token:")),
            "{b}: {record}"
        );
        assert_eq!(record["resourceType"], "customer", "{b}");
        assert_eq!(record["operationStatus"], "succeeded", "{b}");
        assert_eq!(record["originalCorrelationId"], "corr-4711", "{b}");
        assert_eq!(record["attributes"]["objectType"], "AuditRecord", "{b}");
        assert!(record["resourceOldValue"].is_null(), "{b}");
        let new_value: Value =
            serde_json::from_str(record["resourceNewValue"].as_str().expect("a string holding JSON")).expect("JSON");
        assert!(new_value.to_string().contains("Ёлка Trading"), "{b}: {new_value}");

        let id = record["id"].as_str().expect("id");
        let one = api.get(&format!("/auditactivity/v1/auditrecords/{id}"), &token).await;
        assert_eq!(one.status, StatusCode::OK, "{b}: {}", one.json);
        assert_eq!(&one.json, record, "{b}");

        // Another partner is told it does not exist, as for an id nobody has.
        let other = api.t.partner(PartnerType::Direct).await;
        let other_token = api.token(&other.admin).await;
        let hidden = api
            .get(&format!("/auditactivity/v1/auditrecords/{id}"), &other_token)
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(hidden.json["errorName"], "not_found", "{b}");
        assert!(
            items(&api.get("/v1/auditrecords", &other_token).await)
                .iter()
                .all(|r| r["partnerId"] == other.id.to_string()),
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_filters_dates_and_pages_narrow_the_records_and_a_bad_filter_is_refused() {
    for api in apis().await {
        let b = api.t.db.backend;
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let elka = add_customer(&api, &token, "Ёлка Trading", "elka.example", "c1").await;
        let zebra = add_customer(&api, &token, "Zebra Ltd", "zebra.example", "c2").await;

        let by_name = items(
            &api.get(
                &query(json!({"Field": "CompanyName", "Value": "ЁЛКА", "Operator": "substring"})),
                &token,
            )
            .await,
        );
        assert_eq!(by_name.len(), 1, "{b}: {by_name:#?}");
        assert_eq!(by_name[0]["customerId"], elka, "{b}");
        let by_id = items(
            &api.get(
                &query(json!({"Field": "CustomerId", "Value": zebra, "Operator": "equals"})),
                &token,
            )
            .await,
        );
        assert_eq!(by_id.len(), 1, "{b}");
        assert_eq!(by_id[0]["customerName"], "Zebra Ltd", "{b}");
        let by_type = items(
            &api.get(
                &query(json!({"Field": "ResourceType", "Value": "Customer", "Operator": "equals"})),
                &token,
            )
            .await,
        );
        assert_eq!(by_type.len(), 2, "{b}");
        assert!(by_type.iter().all(|r| r["resourceType"] == "customer"), "{b}");

        // The test clock stands at 2026-03-01: without dates, the last 30 days.
        let all = items(&api.get("/v1/auditrecords", &token).await);
        assert!(all.len() >= 2, "{b}");
        let today = items(
            &api.get("/v1/auditrecords?startDate=2026-03-01&endDate=2026-03-01", &token)
                .await,
        );
        assert_eq!(today, all, "{b}");
        let before = items(
            &api.get("/v1/auditrecords?startDate=2026-01-01&endDate=2026-02-28", &token)
                .await,
        );
        assert!(before.is_empty(), "{b}");

        // Pages of one, followed by `links.next` as a client would.
        let pages = api.pages("/v1/auditrecords?size=1", &token).await;
        let seen: Vec<_> = pages.iter().flat_map(items).collect();
        assert_eq!(seen, all, "{b}");

        for (uri, property) in [
            (
                query(json!({"Field": "Domain", "Value": "x", "Operator": "equals"})),
                "filter.Field",
            ),
            (
                query(json!({"Field": "CompanyName", "Value": "x", "Operator": "starts_with"})),
                "filter.Operator",
            ),
            (
                query(json!({"Field": "CustomerId", "Value": "nope", "Operator": "equals"})),
                "filter.Value",
            ),
            (
                query(json!({"Field": "ResourceType", "Value": "partner_customer", "Operator": "equals"})),
                "filter.Value",
            ),
            ("/v1/auditrecords?startDate=2026-13-01".to_string(), "startDate"),
            // Years chrono reads but no one writes: 30 days before this one is no date (it
            // was a panic), and the databases keep no such timestamps.
            ("/v1/auditrecords?endDate=-262143-01-05".to_string(), "endDate"),
            (
                "/v1/auditrecords?startDate=%2B20000-01-01&endDate=%2B20000-01-02".to_string(),
                "startDate",
            ),
            (
                "/v1/auditrecords?startDate=2026-03-02&endDate=2026-03-01".to_string(),
                "startDate",
            ),
        ] {
            let refused = api.get(&uri, &token).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{b} {uri}: {}", refused.json);
            assert_eq!(refused.json["errorName"], "invalid_property", "{b} {uri}");
            assert!(
                refused.json.to_string().contains(property),
                "{b} {uri}: {}",
                refused.json
            );
        }
    }
}
