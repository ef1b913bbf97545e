//! The `/v1` extensions delegated admin needs: a partner's security groups and the role
//! catalogue.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::apis;
use crate::HELPDESK;

#[tokio::test]
async fn a_partner_keeps_security_groups_of_its_own_users() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let agent = api.t.user_with_role(&partner.admin, "admin_agent").await;
        let created = api
            .post("/v1/securityGroups", &token, json!({"displayName": "Helpdesk agents"}))
            .await
            .expect(StatusCode::CREATED);
        let id = created.str("/id");
        let group_uri = format!("/v1/securityGroups/{id}");

        let missing = api
            .post("/v1/securityGroups", &token, json!({}))
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert_eq!(missing.json["errorName"], "invalid_property");

        api.post(
            &format!("{group_uri}/members"),
            &token,
            json!({"userId": agent.user_id.to_string()}),
        )
        .await
        .expect(StatusCode::CREATED);
        let read = api.get(&group_uri, &token).await;
        assert_eq!(read.json["members"], json!([agent.user_id.to_string()]));
        assert_eq!(read.json["displayName"], "Helpdesk agents");
        let listed = api.get("/v1/securityGroups", &token).await;
        assert_eq!(listed.json["totalCount"], 1);

        // Renamed, at the version read (`If-Match`), and refused at an old one.
        let etag = read.json["attributes"]["etag"].as_str().expect("an etag").to_string();
        let renamed = api
            .send(
                Method::PATCH,
                &group_uri,
                Some(&token),
                &[("If-Match", &etag)],
                Some(json!({"displayName": "Tier 1 agents"})),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.json);
        assert_eq!(renamed.json["displayName"], "Tier 1 agents");
        let stale = api
            .send(
                Method::PATCH,
                &group_uri,
                Some(&token),
                &[("If-Match", &etag)],
                Some(json!({"displayName": "Lost"})),
            )
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{:?}", stale.json);
        let blank = api.patch(&group_uri, &token, json!({"displayName": " "})).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{:?}", blank.json);
        assert_eq!(api.get(&group_uri, &token).await.json["displayName"], "Tier 1 agents");

        // Another partner's user cannot join, and another partner cannot see the group.
        let other = api.t.partner(PartnerType::Direct).await;
        let outsider = api
            .post(
                &format!("{group_uri}/members"),
                &token,
                json!({"userId": other.admin.user_id.to_string()}),
            )
            .await;
        assert!(outsider.status.is_client_error(), "{:?}", outsider.json);
        let other_token = api.token(&other.admin).await;
        assert_eq!(api.get(&group_uri, &other_token).await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.get("/v1/securityGroups", &other_token).await.json["totalCount"], 0);
        api.post(&format!("{group_uri}/members"), &token, json!({"userId": "x"}))
            .await
            .expect(StatusCode::BAD_REQUEST);

        api.delete(&format!("{group_uri}/members/{}", agent.user_id), &token)
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(api.get(&group_uri, &token).await.json["members"], json!([]));
        assert_eq!(api.delete(&group_uri, &token).await.status, StatusCode::NO_CONTENT);
        assert_eq!(api.get(&group_uri, &token).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn everyone_reads_the_role_catalogue_and_only_the_operator_changes_it() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let catalogue = api.get("/v1/roles", &token).await.expect(StatusCode::OK);
        let roles = catalogue.json["items"].as_array().expect("items");
        assert!(
            roles
                .iter()
                .any(|r| r["id"] == HELPDESK && r["name"] == "Helpdesk Administrator"),
            "{roles:?}"
        );

        api.post("/v1/roles", &token, json!({"name": "Mine"}))
            .await
            .expect(StatusCode::FORBIDDEN);

        let op = api.token(&api.t.operator.clone()).await;
        let created = api
            .post(
                "/v1/roles",
                &op,
                json!({"id": "tier-2", "name": "Tier 2", "description": "Second line"}),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(created.json["id"], "tier-2");
        let etag = created.json["attributes"]["etag"].as_str().expect("etag").to_string();
        api.post("/v1/roles", &op, json!({"id": "tier-2", "name": "Again"}))
            .await
            .expect(StatusCode::CONFLICT);

        let change = json!({"description": "Second line support"});
        let missing = api
            .send(Method::PATCH, "/v1/roles/tier-2", Some(&op), &[], Some(change.clone()))
            .await
            .expect(StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(missing.json["errorName"], "if_match_required");
        let changed = api
            .send(
                Method::PATCH,
                "/v1/roles/tier-2",
                Some(&op),
                &[("If-Match", &etag)],
                Some(change.clone()),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(changed.json["description"], "Second line support");
        api.send(
            Method::PATCH,
            "/v1/roles/tier-2",
            Some(&op),
            &[("If-Match", &etag)],
            Some(change),
        )
        .await
        .expect(StatusCode::PRECONDITION_FAILED);
        api.send(
            Method::PATCH,
            "/v1/roles/tier-2",
            Some(&token),
            &[("If-Match", "*")],
            Some(json!({"name": "x"})),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
    }
}
