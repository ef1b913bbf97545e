//! `/v1/partners` and `/v1/relationships`.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::apis;

#[tokio::test]
async fn the_operator_creates_a_partner_with_its_first_admin() {
    for api in apis().await {
        let op = api.token(&api.t.operator.clone()).await;
        let created = api
            .post(
                "/v1/partners",
                &op,
                json!({"name": "Fabrikam", "partnerType": "direct", "admin": {"email": "admin@fabrikam.example", "password": "long-enough-pass-1"}}),
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(created.snap(), @r#"
        {
          "body": {
            "attributes": {
              "etag": "\"1\"",
              "objectType": "Partner"
            },
            "creationDate": "[time]",
            "id": "[uuid]",
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/partners/[uuid]"
              }
            },
            "name": "Fabrikam",
            "partnerType": "direct"
          },
          "status": 201
        }
        "#) }
        let id = created.str("/id");
        let one = api.get(&format!("/v1/partners/{id}"), &op).await;
        assert_eq!(one.json, created.json);
        let list = api.get("/v1/partners", &op).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.json["items"].as_array().map(Vec::len), Some(1));
        let users = api.get(&format!("/v1/partners/{id}/users"), &op).await;
        assert_eq!(users.json["items"][0]["roles"], json!(["global_admin"]));
    }
}

#[tokio::test]
async fn a_partners_global_admin_adds_a_user_and_may_not_list_other_partners() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let added = api
            .post(
                &format!("/v1/partners/{}/users", partner.id),
                &token,
                json!({"email": "agent@p.example", "password": "long-enough-pass-1", "roles": ["sales_agent"]}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.json);
        let users = api.get(&format!("/v1/partners/{}/users", partner.id), &token).await;
        assert_eq!(users.json["totalCount"], 2);
        let list = api.get("/v1/partners", &token).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(list.snap(), @r#"
        {
          "body": {
            "code": 2032,
            "data": [],
            "description": "Your role may not manage partners.",
            "errorName": "forbidden_role",
            "source": "partnerdesk"
          },
          "status": 403
        }
        "#) }
    }
}

#[tokio::test]
async fn a_provider_and_its_reseller_see_each_other_in_relationships() {
    for api in apis().await {
        let provider = api.t.partner(PartnerType::IndirectProvider).await;
        let reseller = api
            .t
            .partner_under(PartnerType::IndirectReseller, Some(provider.id))
            .await;
        let p = api.token(&provider.admin).await;
        let r = api.token(&reseller.admin).await;
        let mine = api
            .get(
                "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf",
                &p,
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(mine.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "Collection"
            },
            "items": [
              {
                "attributes": {
                  "objectType": "PartnerRelationship"
                },
                "id": "[uuid]",
                "name": "Partner 1",
                "relationshipType": "is_indirect_cloud_solution_provider_of",
                "state": "active"
              }
            ],
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf"
              }
            },
            "totalCount": 1
          },
          "status": 200
        }
        "#) }
        let theirs = api
            .get("/v1/relationships?relationship_type=IsIndirectResellerOf", &r)
            .await;
        assert_eq!(theirs.json["items"][0]["id"], provider.id.to_string());
    }
}
