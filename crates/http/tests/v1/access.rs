//! `POST /v1/access/check`: who may ask, bad bodies with stable codes, and the answers.

use axum::http::StatusCode;
use chrono::Duration;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use serde_json::json;

use crate::support::apis;

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

#[tokio::test]
async fn a_partner_checks_access_for_itself_and_its_users() {
    for api in apis().await {
        let b = api.t.db.backend;
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_with_dap(&partner).await;
        let agent = api.t.user_with_role(&partner.admin, "admin_agent").await;
        let token = api.token(&partner.admin).await;
        let dap = api
            .post(
                "/v1/access/check",
                &token,
                json!({"customerId": customer.id.to_string(), "partnerUserId": agent.user_id.to_string(), "role": HELPDESK}),
            )
            .await.expect(StatusCode::OK);
        assert_eq!(dap.json, json!({"allowed": true, "via": "dap"}), "{b}");

        let other = api.t.customer_of(&partner).await;
        let ends = api.t.app.now() + Duration::days(10);
        let gdap = api.t.gdap(partner.id, other.id, GdapStatus::Active, Some(ends)).await;
        let via_gdap = api
            .post(
                "/v1/access/check",
                &token,
                // Property names are read case-insensitively, as everywhere in /v1.
                json!({"CustomerId": other.id.to_string(), "partnerid": partner.id.to_string(), "role": HELPDESK}),
            )
            .await;
        assert_eq!(
            via_gdap.json,
            json!({"allowed": true, "via": "gdap", "relationshipId": gdap.to_string(), "expiresAt": ends.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
            "{b}"
        );
        api.t.clock.advance(Duration::days(10));
        let expired = api
            .post(
                "/v1/access/check",
                &token,
                json!({"customerId": other.id.to_string(), "partnerId": partner.id.to_string(), "role": HELPDESK}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(expired.json, json!({"allowed": false}), "{b}");
    }
}

#[tokio::test]
async fn another_partners_user_and_a_customer_are_refused() {
    for api in apis().await {
        let b = api.t.db.backend;
        let partner = api.t.partner(PartnerType::Direct).await;
        let other = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let stranger = api.t.user_with_role(&other.admin, "admin_agent").await;
        let token = api.token(&partner.admin).await;
        api
            .post(
                "/v1/access/check",
                &token,
                json!({"customerId": customer.id.to_string(), "partnerUserId": stranger.user_id.to_string(), "role": HELPDESK}),
            )
            .await.expect(StatusCode::NOT_FOUND);
        api.post(
            "/v1/access/check",
            &token,
            json!({"customerId": customer.id.to_string(), "partnerId": other.id.to_string(), "role": HELPDESK}),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
        let customer_token = api.token(&customer.admin).await;
        let as_customer = api
            .post(
                "/v1/access/check",
                &customer_token,
                json!({"customerId": customer.id.to_string(), "partnerId": partner.id.to_string(), "role": HELPDESK}),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        assert_eq!(
            as_customer.json["errorName"], "forbidden_role",
            "{b}: {:?}",
            as_customer.json
        );
    }
}

#[tokio::test]
async fn bad_bodies_are_refused_naming_the_property() {
    for api in apis().await {
        let b = api.t.db.backend;
        let (partner, customer, token) = api.seller().await;
        let (c, p, u) = (
            customer.id.to_string(),
            partner.id.to_string(),
            partner.admin.user_id.to_string(),
        );
        let cases = [
            (
                json!({"customerId": c, "partnerId": p, "partnerUserId": u, "role": HELPDESK}),
                "partnerId",
            ),
            (json!({"customerId": c, "role": HELPDESK}), "partnerId"),
            (json!({"customerId": c, "partnerId": p, "role": "not-a-role"}), "role"),
            (json!({"customerId": c, "partnerId": p}), "role"),
            (json!({"partnerId": p, "role": HELPDESK}), "customerId"),
            (
                json!({"customerId": "nope", "partnerId": p, "role": HELPDESK}),
                "customerId",
            ),
            (
                json!({"customerId": c, "partnerUserId": "nope", "role": HELPDESK}),
                "partnerUserId",
            ),
        ];
        for (body, property) in cases {
            let reply = api.post("/v1/access/check", &token, body.clone()).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{b}: {body}: {:?}", reply.json);
            assert_eq!(
                reply.json["errorName"], "invalid_property",
                "{b}: {body}: {:?}",
                reply.json
            );
            assert_eq!(reply.json["code"], 3000, "{b}: {body}");
            assert!(
                reply.json.to_string().contains(property),
                "{b}: {body}: names {property}: {:?}",
                reply.json
            );
        }
    }
}
