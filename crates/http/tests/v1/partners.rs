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
        let list = api.get("/v1/partners", &op).await.expect(StatusCode::OK);
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
        api.post(
            &format!("/v1/partners/{}/users", partner.id),
            &token,
            json!({"email": "agent@p.example", "password": "long-enough-pass-1", "roles": ["sales_agent"]}),
        )
        .await
        .expect(StatusCode::CREATED);
        let users = api.get(&format!("/v1/partners/{}/users", partner.id), &token).await;
        assert_eq!(users.json["totalCount"], 2);
        let list = api.get("/v1/partners", &token).await;
        list.assert_error(
            StatusCode::FORBIDDEN,
            2032,
            "forbidden_role",
            "Your role may not manage partners.",
        );
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

#[tokio::test]
async fn a_partners_admin_reads_changes_and_removes_a_user() {
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
        let uri = format!("/v1/partners/{}/users/{}", partner.id, added.str("/id"));
        let read = api.get(&uri, &token).await.expect(StatusCode::OK);
        assert_eq!(read.headers.get("etag").and_then(|v| v.to_str().ok()), Some("\"1\""));

        // PascalCase, as SDKs send it; only what is sent changes.
        let patched = api
            .patch(
                &uri,
                &token,
                json!({"DisplayName": "Анна Агент", "Roles": ["admin_agent"]}),
            )
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(patched.snap(), @r#"
        {
          "body": {
            "attributes": {
              "etag": "\"2\"",
              "objectType": "User"
            },
            "displayName": "Анна Агент",
            "email": "agent@p.example",
            "id": "[uuid]",
            "locale": "en-US",
            "roles": [
              "admin_agent"
            ]
          },
          "status": 200
        }
        "#) }
        api.send(
            axum::http::Method::PATCH,
            &uri,
            Some(&token),
            &[("If-Match", "\"1\"")],
            Some(json!({"locale": "ru-RU"})),
        )
        .await
        .expect(StatusCode::PRECONDITION_FAILED);
        api.patch(&uri, &token, json!({"password": "short"}))
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert_eq!(api.get(&uri, &token).await.json["locale"], "en-US");

        // The user signs in with a new password once it is changed.
        api.patch(&uri, &token, json!({"password": "another-long-pass-2"}))
            .await
            .expect(StatusCode::OK);
        assert!(api
            .t
            .app
            .sign_in(
                &partnerdesk_app::SignInClient::unknown(),
                "agent@p.example",
                "another-long-pass-2"
            )
            .await
            .is_ok());
        assert!(api
            .t
            .app
            .sign_in(
                &partnerdesk_app::SignInClient::unknown(),
                "agent@p.example",
                "long-enough-pass-1"
            )
            .await
            .is_err());

        let agent = api
            .t
            .app
            .caller(partnerdesk_domain::UserId(added.str("/id").parse().expect("uuid")));
        let agent_token = api.token(&agent.await.expect("agent")).await;
        api.delete(&uri, &token).await.expect(StatusCode::NO_CONTENT);
        assert_eq!(api.get(&uri, &token).await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.get("/v1/me", &agent_token).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_last_global_admin_can_be_neither_demoted_nor_removed() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let uri = format!("/v1/partners/{}/users/{}", partner.id, partner.admin.user_id);
        api.patch(&uri, &token, json!({"roles": ["sales_agent"]}))
            .await
            .expect(StatusCode::CONFLICT);
        let removed = api.delete(&uri, &token).await.expect(StatusCode::CONFLICT);
        assert!(removed.json["description"]
            .as_str()
            .is_some_and(|d| d.contains("last global admin")));
        assert_eq!(api.get(&uri, &token).await.json["roles"], json!(["global_admin"]));
    }
}

#[tokio::test]
async fn the_organisation_profile_names_the_callers_organisation() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let as_partner = api
            .get("/v1/profiles/organization", &api.token(&partner.admin).await)
            .await
            .expect(StatusCode::OK);
        assert_eq!(as_partner.json["id"], partner.id.to_string());
        assert_eq!(as_partner.json["attributes"]["objectType"], "OrganizationProfile");
        let as_customer = api
            .get("/v1/profiles/organization", &api.token(&customer.admin).await)
            .await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(as_customer.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "OrganizationProfile"
            },
            "companyName": "Customer 1",
            "culture": "en-US",
            "defaultAddress": {
              "country": "US"
            },
            "email": "billing@customer1.example",
            "id": "[uuid]",
            "language": "en",
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/profiles/organization"
              }
            }
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn an_email_another_tenant_uses_is_refused_naming_only_the_email() {
    for api in apis().await {
        let first = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&first).await;
        let other = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&other.admin).await;
        let first_token = api.token(&first.admin).await;
        let seen = api.get(&format!("/v1/customers/{}", customer.id), &first_token).await;
        // The customer's first admin signs in as admin@<its domain>.
        let taken = format!(
            "admin@{}",
            seen.json["companyProfile"]["domain"].as_str().expect("domain")
        );
        let reply = api
            .post(
                &format!("/v1/partners/{}/users", other.id),
                &token,
                json!({"email": taken.to_uppercase(), "password": "long-enough-pass-1", "roles": ["sales_agent"]}),
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(reply.json["errorName"], "already_in_use");
        assert_eq!(reply.json["data"]["property"], "email");
        let text = reply.json.to_string();
        for secret in [customer.id.to_string(), first.id.to_string(), "customer".to_string()] {
            assert!(
                !text.to_lowercase().replace(&taken, "").contains(&secret),
                "reveals {secret}: {text}"
            );
        }
        let users = api.get(&format!("/v1/partners/{}/users", other.id), &token).await;
        assert_eq!(users.json["totalCount"], 1, "nothing was added");
    }
}
