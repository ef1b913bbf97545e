//! `/v1/offers`: the catalog, read by partners and managed by the operator.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::apis;

#[tokio::test]
async fn the_operator_adds_an_offer_and_partners_find_it_by_country() {
    for api in apis().await {
        let op = api.token(&api.t.operator.clone()).await;
        let created = api
            .post(
                "/v1/offers",
                &op,
                json!({"Name": "Backup", "Country": "DE", "MinimumQuantity": 1, "MaximumQuantity": 10, "UnitType": "Licenses", "Price": 4.5, "TermDuration": "P1Y"}),
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(created.snap(), @r#"
        {
          "body": {
            "attributes": {
              "etag": "\"1\"",
              "objectType": "Offer"
            },
            "countries": [
              "DE"
            ],
            "currencyCode": "USD",
            "description": "",
            "id": "[uuid]",
            "isAvailableForPurchase": true,
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/offers/[uuid]"
              }
            },
            "maximumQuantity": 10,
            "minimumQuantity": 1,
            "name": "Backup",
            "termDuration": "P1Y",
            "unitPriceMinor": 450,
            "unitType": "Licenses"
          },
          "status": 201
        }
        "#) }
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let de = api.get("/v1/offers?country=DE", &token).await;
        assert_eq!(de.json["totalCount"], 1);
        assert_eq!(de.json["items"][0]["name"], "Backup");
        let id = created.str("/id");
        let one = api.get(&format!("/v1/offers/{id}"), &token).await;
        assert_eq!(one.json["id"], id.as_str());
    }
}

#[tokio::test]
async fn a_partner_may_not_change_the_catalog() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let reply = api
            .post("/v1/offers", &token, json!({"name": "Mine", "country": "US"}))
            .await;
        reply.assert_error(
            StatusCode::FORBIDDEN,
            2032,
            "forbidden_role",
            "Your role may not manage the offer catalog.",
        );
    }
}

#[tokio::test]
async fn the_operator_patches_an_offer_and_a_stale_etag_is_refused() {
    for api in apis().await {
        let op = api.token(&api.t.operator.clone()).await;
        let uri = format!("/v1/offers/{}", api.t.offer.id);
        let stale = api
            .send(
                Method::PATCH,
                &uri,
                Some(&op),
                &[("If-Match", "\"9\"")],
                Some(json!({"maximumQuantity": 50})),
            )
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.json["errorName"], "etag_mismatch");
        let patched = api
            .patch(&uri, &op, json!({"MaximumQuantity": 50}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(patched.json["maximumQuantity"], 50);
        assert_eq!(patched.json["name"], "Office Suite");
    }
}
