//! `POST /v1/gdap/bulkUpdate`, one change across many relationships with a result per
//! item, and the Graph routes that read one request or one operation by id.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::{json, Value};

use crate::support::apis;
use crate::{act, create, send, stranger, GLOBAL_READER, HELPDESK, RELS};

const BULK: &str = "/v1/gdap/bulkUpdate";

fn statuses(reply: &Value) -> Vec<String> {
    reply["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["status"].as_str().expect("status").to_string())
        .collect()
}

#[tokio::test]
async fn a_bulk_change_answers_each_item_and_changes_only_those_that_succeed() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let first = api.t.customer_of(&partner).await;
        let second = api.t.customer_of(&partner).await;
        let token = api.token(&partner.admin).await;
        let customer_token = api.token(&second.admin).await;
        let (draft, _) = create(&api, &token, "Draft", &first.id.to_string(), &[HELPDESK]).await;
        let (live, _) = create(&api, &token, "Live", &second.id.to_string(), &[HELPDESK]).await;
        assert_eq!(
            act(&api, &token, &live, "lockForApproval").await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            act(&api, &customer_token, &live, "approve").await.status,
            StatusCode::CREATED
        );
        let (other_token, theirs) = stranger(&api).await;

        let reply = api
            .post(
                BULK,
                &token,
                json!({"items": [
                    {"id": draft, "displayName": "Draft renamed", "roles": [HELPDESK, GLOBAL_READER]},
                    {"id": live, "autoExtendDuration": "P180D"},
                    {"id": theirs, "autoExtendDuration": "P180D"},
                    {"id": "not-an-id", "autoExtendDuration": "P180D"},
                    {"id": live, "roles": ["no-such-role"]},
                    {"autoExtendDuration": "P180D"},
                ]}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            statuses(&reply.json),
            ["succeeded", "succeeded", "failed", "failed", "failed", "failed"]
        );
        let items = &reply.json["items"];
        assert_eq!(items[0]["id"], draft.as_str());
        assert_eq!(items[0]["relationship"]["displayName"], "Draft renamed");
        assert_eq!(
            items[0]["relationship"]["accessDetails"]["unifiedRoles"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(items[1]["relationship"]["autoExtendDuration"], "P180D");
        assert!(items[1].get("error").is_none());
        // Another partner's relationship and a malformed id are the same `not_found`.
        for i in [2, 3] {
            assert_eq!(items[i]["error"]["errorName"], "not_found", "{:?}", items[i]);
            assert_eq!(items[i]["error"]["code"], 1000);
            assert!(items[i].get("relationship").is_none());
        }
        assert_eq!(items[3]["id"], "not-an-id");
        assert_eq!(items[4]["error"]["errorName"], "invalid_property");
        assert!(items[4]["error"]["message"]
            .as_str()
            .expect("message")
            .contains("no-such-role"));
        assert_eq!(items[5]["id"], "");
        assert_eq!(items[5]["error"]["errorName"], "invalid_property");

        // What succeeded is kept; what failed changed nothing.
        let read = api.get(&format!("{RELS}/{draft}"), &token).await;
        assert_eq!(read.json["displayName"], "Draft renamed");
        let read = api.get(&format!("{RELS}/{live}"), &token).await;
        assert_eq!(read.json["autoExtendDuration"], "P180D");
        assert_eq!(
            read.json["accessDetails"]["unifiedRoles"].as_array().map(Vec::len),
            Some(1)
        );
        let read = api.get(&format!("{RELS}/{theirs}"), &other_token).await;
        assert_eq!(read.json["autoExtendDuration"], "PT0S");
    }
}

#[tokio::test]
async fn a_bulk_change_speaks_the_callers_language_and_refuses_a_bad_request_whole() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let (id, _) = create(&api, &token, "Kept", &customer.id.to_string(), &[HELPDESK]).await;

        let russian = send(
            &api,
            Method::POST,
            BULK,
            &token,
            &[("X-Locale", "ru-RU")],
            Some(json!({"items": [{"id": id, "duration": "P9999D"}, {"id": "5e1d8a4c-0000-4000-8000-00000000beef".to_string()}]})),
        )
        .await.expect(StatusCode::OK);
        assert_eq!(statuses(&russian.json), ["failed", "failed"]);
        let missing = russian.json["items"][1]["error"]["message"].as_str().expect("message");
        assert!(missing.starts_with("Не найдено"), "{missing}");

        // Over the limit, an empty list or no list: a 400 and nothing changed.
        let many: Vec<Value> = (0..301).map(|_| json!({"id": id, "displayName": "Changed"})).collect();
        let over = api
            .post(BULK, &token, json!({ "items": many }))
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert_eq!(over.json["errorName"], "invalid_property");
        assert_eq!(over.json["data"]["property"], "items");
        assert!(over.json["description"].as_str().expect("description").contains("300"));
        for body in [json!({"items": []}), json!({})] {
            let refused = api.post(BULK, &token, body).await.expect(StatusCode::BAD_REQUEST);
            assert_eq!(refused.json["data"]["property"], "items");
        }
        let both = api
            .post(
                BULK,
                &token,
                json!({"items": [{"id": id, "roles": [HELPDESK], "accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_READER}]}}]}),
            )
            .await;
        assert_eq!(statuses(&both.json), ["failed"]);
        assert_eq!(
            api.get(&format!("{RELS}/{id}"), &token).await.json["displayName"],
            "Kept"
        );

        // Someone who may not manage delegated admin changes nothing at all.
        let customer_token = api.token(&customer.admin).await;
        api.post(
            BULK,
            &customer_token,
            json!({"items": [{"id": id, "displayName": "Theirs"}]}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        assert_eq!(
            api.get(&format!("{RELS}/{id}"), &token).await.json["displayName"],
            "Kept"
        );
    }
}

#[tokio::test]
async fn one_request_and_one_operation_are_read_by_id_and_no_one_elses() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let customer_token = api.token(&customer.admin).await;
        let (id, _) = create(&api, &token, "Read by id", &customer.id.to_string(), &[HELPDESK]).await;
        let locked = act(&api, &token, &id, "lockForApproval").await;
        let request_id = locked.str("/id");
        assert_eq!(
            act(&api, &customer_token, &id, "approve").await.status,
            StatusCode::CREATED
        );
        let etag = api.get(&format!("{RELS}/{id}"), &token).await.str("/@odata.etag");
        let roles = json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}, {"roleDefinitionId": GLOBAL_READER}]}});
        send(
            &api,
            Method::PATCH,
            &format!("{RELS}/{id}"),
            &token,
            &[("If-Match", &etag)],
            Some(roles),
        )
        .await
        .expect(StatusCode::OK);
        let operations = api.get(&format!("{RELS}/{id}/operations"), &token).await;
        let operation_id = operations.json["value"][0]["id"].as_str().expect("id").to_string();

        let request = api
            .get(&format!("{RELS}/{id}/requests/{request_id}"), &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(request.json["action"], "lockForApproval");
        assert_eq!(request.json["status"], "succeeded");
        assert!(request.json["@odata.context"]
            .as_str()
            .expect("context")
            .contains("/requests"));
        // The customer's admin reads it too.
        api.get(&format!("{RELS}/{id}/requests/{request_id}"), &customer_token)
            .await
            .expect(StatusCode::OK);
        let operation = api
            .get(&format!("{RELS}/{id}/operations/{operation_id}"), &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(operation.json["operationType"], "delegatedAdminRelationshipUpdate");
        assert_eq!(operation.json["id"], operation_id.as_str());

        // Another partner, another relationship's ids, unknown and malformed ids: Graph's 404.
        let (other_token, theirs) = stranger(&api).await;
        let unknown = "5e1d8a4c-0000-4000-8000-00000000beef".to_string();
        let tries = [
            (&other_token, format!("{RELS}/{id}/requests/{request_id}")),
            (&other_token, format!("{RELS}/{id}/operations/{operation_id}")),
            (&other_token, format!("{RELS}/{theirs}/requests/{request_id}")),
            (&token, format!("{RELS}/{id}/requests/{operation_id}")),
            (&token, format!("{RELS}/{id}/operations/{request_id}")),
            (&token, format!("{RELS}/{id}/requests/{unknown}")),
            (&token, format!("{RELS}/{id}/operations/not-an-id")),
        ];
        for (caller, uri) in tries {
            let reply = api.get(&uri, caller).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {:?}", reply.json);
            assert_eq!(crate::code(&reply), "not_found", "{uri}: {:?}", reply.json);
        }
    }
}
