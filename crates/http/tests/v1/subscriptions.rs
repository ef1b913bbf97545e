//! `/v1/customers/{id}/subscriptions`: read, PATCH (as SDKs send it), If-Match, support
//! contacts and the bulk status change.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::subscription::SubscriptionStatus;
use serde_json::json;

use crate::support::apis;

#[tokio::test]
async fn a_subscription_is_read_with_its_etag() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let reply = api
            .get(
                &format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id),
                &token,
            )
            .await;
        assert_eq!(reply.headers.get("etag").and_then(|v| v.to_str().ok()), Some("\"1\""));
        insta::allow_duplicates! { insta::assert_json_snapshot!(reply.snap(), @r#"
        {
          "body": {
            "attributes": {
              "etag": "\"1\"",
              "objectType": "Subscription"
            },
            "autoRenewEnabled": true,
            "billingType": "license",
            "commitmentEndDate": "[time]",
            "creationDate": "[time]",
            "effectiveStartDate": "[time]",
            "friendlyName": "Office Suite",
            "id": "[uuid]",
            "links": {
              "offer": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/offers/[uuid]"
              },
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/customers/[uuid]/subscriptions/[uuid]"
              }
            },
            "offerId": "[uuid]",
            "orderId": "[uuid]",
            "quantity": 5,
            "status": "active"
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn an_sdk_style_patch_suspends_without_changing_the_quantity() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        // What the .NET SDK sends for `new Subscription { Status = Suspended }`.
        let body = json!({
            "Id": null, "OfferId": null, "EntitlementId": null, "OfferName": null, "FriendlyName": null,
            "Quantity": 0, "UnitType": null, "ParentSubscriptionId": null, "CreationDate": "0001-01-01T00:00:00",
            "EffectiveStartDate": "0001-01-01T00:00:00", "CommitmentEndDate": "0001-01-01T00:00:00",
            "Status": "suspended", "AutoRenewEnabled": false, "BillingType": "none", "BillingCycle": "unknown",
            "PartnerId": null, "ContractType": "subscription", "OrderId": null,
            "Attributes": {"Etag": null, "ObjectType": "Subscription"}
        });
        let uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
        let reply = api.patch(&uri, &token, body).await.expect(StatusCode::OK);
        assert_eq!(reply.json["status"], "suspended");
        assert_eq!(reply.json["quantity"], 5);
        assert_eq!(reply.json["autoRenewEnabled"], true);
        assert_eq!(reply.json["friendlyName"], "Office Suite");
    }
}

#[tokio::test]
async fn a_stale_if_match_is_refused_with_412() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
        let reply = api
            .send(
                Method::PATCH,
                &uri,
                Some(&token),
                &[("if-match", "\"7\"")],
                Some(json!({"quantity": 6})),
            )
            .await;
        reply.assert_error(
            StatusCode::PRECONDITION_FAILED,
            2055,
            "etag_mismatch",
            "The resource was changed by someone else (the If-Match ETag is no longer valid); reload it and try again.",
        );
        let fresh = api
            .send(
                Method::PATCH,
                &uri,
                Some(&token),
                &[("If-Match", "\"1\"")],
                Some(json!({"quantity": 6})),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(fresh.json["quantity"], 6);
        assert_eq!(fresh.json["attributes"]["etag"], "\"2\"");
    }
}

#[tokio::test]
async fn a_property_named_twice_in_different_case_is_refused_and_nothing_changes() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
        for body in [
            r#"{"quantity":6,"Quantity":99}"#,
            r#"{"Quantity":99,"quantity":6}"#,
            r#"{"quantity":6,"quantity":99}"#,
        ] {
            let reply = api.send_raw(Method::PATCH, &uri, &token, body).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.json);
            assert_eq!(reply.json["errorName"], "invalid_property", "{body}");
            assert_eq!(reply.json["code"], 3000, "{body}");
            assert_eq!(reply.json["data"]["property"], "quantity", "{body}");
            assert_eq!(reply.json["source"], "partnerdesk", "{body}");
        }
        let unchanged = api.get(&uri, &token).await;
        assert_eq!(unchanged.json["quantity"], 5);
        assert_eq!(unchanged.json["attributes"]["etag"], "\"1\"");

        // Nested objects too: one line of an order naming its offer twice.
        let offer = api.t.offer.id.to_string();
        let orders = format!("/v1/customers/{}/orders", customer.id);
        let body =
            format!(r#"{{"lineItems":[{{"offerId":"{offer}","quantity":1,"OfferId":"{offer}","Quantity":90}}]}}"#);
        let reply = api
            .send_raw(Method::POST, &orders, &token, &body)
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert_eq!(reply.json["errorName"], "invalid_property");
        assert_eq!(reply.json["data"]["property"], "lineItems[0].offerId");
        let placed = api.get(&orders, &token).await;
        assert_eq!(
            placed.json["totalCount"], 1,
            "only the purchase made before: {}",
            placed.json
        );
    }
}

#[tokio::test]
async fn a_quantity_outside_the_offer_is_refused_with_its_bounds() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
        let reply = api.patch(&uri, &token, json!({"quantity": 1000})).await;
        reply.assert_error_with(
            StatusCode::BAD_REQUEST,
            3000,
            "quantity_out_of_range",
            "Quantity 1000 is outside the offer's range: at least 1, at most 100.",
            json!({"maximum": 100, "minimum": 1, "quantity": 1000}),
        );
    }
}

#[tokio::test]
async fn an_unknown_subscription_is_subscription_not_found() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let reply = api
            .get(
                &format!(
                    "/v1/customers/{}/subscriptions/00000000-0000-0000-0000-000000000001",
                    customer.id
                ),
                &token,
            )
            .await;
        reply.assert_error(
            StatusCode::NOT_FOUND,
            20003,
            "subscription_not_found",
            "Subscription with id [uuid] not found.",
        );
    }
}

#[tokio::test]
async fn subscriptions_are_listed_and_filtered_by_order() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let first = api.t.buy(&partner, customer.id, 1).await;
        api.t.buy(&partner, customer.id, 2).await;
        let all = api
            .get(&format!("/v1/customers/{}/subscriptions", customer.id), &token)
            .await;
        assert_eq!(all.json["totalCount"], 2);
        let one = api
            .get(
                &format!(
                    "/v1/customers/{}/subscriptions?order_id={}",
                    customer.id, first.order_id
                ),
                &token,
            )
            .await;
        assert_eq!(one.json["totalCount"], 1);
        assert_eq!(one.json["items"][0]["id"], first.id.to_string());
    }
}

#[tokio::test]
async fn a_support_contact_is_assigned_and_read_back() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 1).await;
        let uri = format!("/v1/customers/{}/subscriptions/{}/supportcontact", customer.id, sub.id);
        api.get(&uri, &token).await.expect(StatusCode::NOT_FOUND);
        let put = api
            .put(
                &uri,
                &token,
                json!({"SupportTenantId": partner.id.to_string(), "Name": "ignored"}),
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(put.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "SupportContact"
            },
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/customers/[uuid]/subscriptions/[uuid]/supportcontact"
              }
            },
            "name": "Partner 0",
            "supportMpnId": "[uuid]",
            "supportTenantId": "[uuid]"
          },
          "status": 200
        }
        "#) }
        let read = api.get(&uri, &token).await;
        assert_eq!(read.json, put.json);
    }
}

#[tokio::test]
async fn a_bulk_suspend_answers_one_result_per_subscription() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let a = api.t.buy(&partner, customer.id, 1).await;
        let b = api.t.buy(&partner, customer.id, 1).await;
        let uri = format!("/v1/customers/{}/subscriptions/bulk", customer.id);
        api.t
            .app
            .suspend_subscription(&partner.admin, customer.id, b.id)
            .await
            .expect("suspend");
        let reply = api
            .post(
                &uri,
                &token,
                json!({"status": "suspended", "subscriptionIds": [a.id.to_string(), b.id.to_string(), "00000000-0000-0000-0000-000000000009"]}),
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(reply.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "BulkSubscriptionStatusResult"
            },
            "items": [
              {
                "outcome": "changed",
                "status": "suspended",
                "subscriptionId": "[uuid]"
              },
              {
                "outcome": "unchanged",
                "status": "suspended",
                "subscriptionId": "[uuid]"
              },
              {
                "error": {
                  "code": 20003,
                  "description": "Subscription with id [uuid] not found.",
                  "errorName": "subscription_not_found"
                },
                "outcome": "refused",
                "subscriptionId": "[uuid]"
              }
            ]
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn a_bulk_suspend_with_a_request_id_keeps_the_changes_around_a_refusal_and_replays_its_answer() {
    for api in apis().await {
        let b = api.t.app.backend_name();
        let (partner, customer, token) = api.seller().await;
        let first = api.t.buy(&partner, customer.id, 1).await;
        let last = api.t.buy(&partner, customer.id, 1).await;
        let uri = format!("/v1/customers/{}/subscriptions/bulk", customer.id);
        let ids = [
            first.id.to_string(),
            "00000000-0000-0000-0000-000000000009".to_string(),
            last.id.to_string(),
        ];
        let send = || {
            api.send(
                Method::POST,
                &uri,
                Some(&token),
                &[("MS-RequestId", "bulk-1")],
                Some(json!({"status": "suspended", "subscriptionIds": ids})),
            )
        };
        let reply = send().await.expect(StatusCode::OK);
        let outcomes: Vec<_> = reply.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["outcome"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(outcomes, ["changed", "refused", "changed"], "{b}");
        let statuses: Vec<_> = api
            .t
            .app
            .list_subscriptions(&partner.admin, customer.id)
            .await
            .expect("subscriptions")
            .iter()
            .map(|s| s.status)
            .collect();
        assert_eq!(
            statuses,
            [SubscriptionStatus::Suspended, SubscriptionStatus::Suspended],
            "{b}: the refusal in the middle undoes only itself"
        );
        let again = send().await;
        assert_eq!((again.status, &again.json), (reply.status, &reply.json), "{b}");
    }
}

#[tokio::test]
async fn a_bulk_refusal_is_described_in_the_x_locale_language() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let uri = format!("/v1/customers/{}/subscriptions/bulk", customer.id);
        let reply = api
            .send(
                Method::POST,
                &uri,
                Some(&token),
                &[("X-Locale", "ru-RU")],
                Some(json!({"status": "suspended", "subscriptionIds": ["not-a-uuid"]})),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            reply.json["items"][0]["error"]["description"],
            "Подписка с идентификатором not-a-uuid не найдена."
        );
    }
}
