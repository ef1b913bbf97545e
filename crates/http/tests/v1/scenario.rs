//! The core scenario through HTTP: remove a reseller relationship, and come back.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::apis;

#[tokio::test]
async fn a_partner_removes_a_customer_and_is_accepted_back_through_a_new_request() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let mut subs = vec![
            api.t.buy(&partner, customer.id, 3).await.id.to_string(),
            api.t.buy(&partner, customer.id, 4).await.id.to_string(),
        ];
        subs.sort();
        let p = api.token(&partner.admin).await;
        let c = api.token(&customer.admin).await;
        let cid = customer.id.to_string();

        // The customer is listed, with its subscriptions.
        let list = api.get("/v1/customers", &p).await;
        assert_eq!(list.json["items"][0]["id"], cid.as_str());
        let listed = api.get(&format!("/v1/customers/{cid}/subscriptions"), &p).await;
        assert_eq!(listed.json["totalCount"], 2);

        // Removal is refused while subscriptions are active, naming them.
        let remove = json!({"RelationshipToPartner": "none", "Attributes": {"ObjectType": "Customer"}});
        let refused = api
            .patch(&format!("/v1/customers/{cid}"), &p, remove.clone())
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(refused.json["code"], 3101);
        assert_eq!(refused.json["data"], json!(subs));

        // Suspend each, then remove.
        for sid in &subs {
            let r = api
                .patch(
                    &format!("/v1/customers/{cid}/subscriptions/{sid}"),
                    &p,
                    json!({"status": "suspended"}),
                )
                .await;
            assert_eq!(r.json["status"], "suspended");
        }
        let removed = api.patch(&format!("/v1/customers/{cid}"), &p, remove).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(removed.snap(), @r#"
        {
          "body": {
            "allowDelegatedAccess": false,
            "attributes": {
              "objectType": "Customer"
            },
            "id": "[uuid]",
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/customers/[uuid]"
              }
            },
            "relationshipToPartner": "none"
          },
          "status": 200
        }
        "#) }

        // Gone from the list; orders and reactivation refused with 20002.
        let list = api.get("/v1/customers", &p).await;
        assert_eq!(list.json["totalCount"], 0);
        let order = api
            .post(
                &format!("/v1/customers/{cid}/orders"),
                &p,
                json!({"lineItems": [{"lineItemNumber": 0, "offerId": api.t.offer.id.to_string(), "quantity": 1}]}),
            )
            .await;
        order.assert_error(StatusCode::FORBIDDEN, 20002, "no_active_relationship", "The partner has no active reseller relationship with this customer. Request a relationship again to work with it.");
        let reactivate = api
            .patch(
                &format!("/v1/customers/{cid}/subscriptions/{}", subs[0]),
                &p,
                json!({"status": "active"}),
            )
            .await;
        assert_eq!(
            (reactivate.status, reactivate.json["code"].clone()),
            (StatusCode::FORBIDDEN, json!(20002))
        );

        // Support contacts and delegated access are gone, on the customer's side.
        let contacts = api.get(&format!("/v1/customers/{cid}/relationships"), &c).await;
        assert_eq!(contacts.json["totalCount"], 0);
        let partners = api.get("/v1/me/partners?include=closed", &c).await;
        assert_eq!(partners.json["items"][0]["state"], "closed");
        assert_eq!(partners.json["items"][0]["rights"], json!([]));

        // A new request, accepted by the customer's admin: the partner sees it again.
        let request = api.get("/v1/customers/relationshiprequests", &p).await;
        let url = request.str("/url");
        let token = url.rsplit('/').next().unwrap_or_default();
        let view = api.get(&format!("/v1/invitations/{token}"), &c).await;
        assert_eq!(view.json["partnerId"], partner.id.to_string());
        api.post(&format!("/v1/invitations/{token}/accept"), &c, json!({}))
            .await
            .expect(StatusCode::OK);
        let list = api.get("/v1/customers", &p).await;
        assert_eq!(list.json["items"][0]["id"], cid.as_str());
        api.post(&format!("/v1/invitations/{token}/accept"), &c, json!({}))
            .await
            .expect(StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn offboarding_previews_then_suspends_and_removes_in_one_step() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        api.t.buy(&partner, customer.id, 2).await;
        let p = api.token(&partner.admin).await;
        let uri = format!("/v1/customers/{}/offboarding", customer.id);
        let preview = api.get(&uri, &p).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(preview.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "OffboardingPreview"
            },
            "customerId": "[uuid]",
            "dapGrantsToEnd": 0,
            "gdapRelationshipsToTerminate": [],
            "relationshipId": "[uuid]",
            "subscriptionsToSuspend": [
              {
                "friendlyName": "Office Suite",
                "id": "[uuid]",
                "quantity": 2,
                "status": "active"
              }
            ],
            "supportAssignmentsToClear": []
          },
          "status": 200
        }
        "#) }
        let done = api.send(axum::http::Method::POST, &uri, Some(&p), &[], None).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(done.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "RelationshipRemoval"
            },
            "clearedSupportAssignments": [],
            "closedAt": "[time]",
            "customerId": "[uuid]",
            "dapEnded": 0,
            "gdapTerminated": 0,
            "partnerId": "[uuid]",
            "relationshipId": "[uuid]",
            "state": "closed",
            "suspendedSubscriptionIds": [
              "[uuid]"
            ]
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn the_customer_removes_admin_roles_and_then_ends_the_relationship() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let c = api.token(&customer.admin).await;
        let roles = api
            .delete(&format!("/v1/me/partners/{}/adminroles", partner.id), &c)
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(roles.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "AdminRolesRemoval"
            },
            "dapEnded": 0,
            "gdapTerminated": 0,
            "partnerId": "[uuid]"
          },
          "status": 200
        }
        "#) }
        let ended = api
            .delete(&format!("/v1/me/partners/{}", partner.id), &c)
            .await
            .expect(StatusCode::OK);
        assert_eq!(ended.json["state"], "closed");
        let mine = api.get("/v1/me/partners", &c).await;
        assert_eq!(mine.json["totalCount"], 0);
        // A partner user may not answer for the customer.
        let p = api.token(&partner.admin).await;
        let refused = api.get("/v1/me/partners", &p).await;
        refused.assert_error(
            StatusCode::FORBIDDEN,
            2032,
            "forbidden_role",
            "Your role may not view the organisation's partners.",
        );
    }
}
