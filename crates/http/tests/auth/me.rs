//! `GET /v1/me`.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn me_tells_the_caller_who_it_is() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let token = t.token_for(&partner.admin).await;
    let answer = Call::get("/v1/me").bearer(&token).send(&router(&t)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    insta::assert_json_snapshot!(answer.json, {
        ".userId" => "[user id]",
        ".tenantId" => "[partner id]",
    }, @r#"
    {
      "attributes": {
        "objectType": "Me"
      },
      "displayName": "admin0@partner0.example",
      "email": "admin0@partner0.example",
      "links": {
        "self": {
          "headers": [],
          "method": "GET",
          "uri": "/v1/me"
        }
      },
      "locale": "en-US",
      "organizationKind": "partner",
      "partnerType": "direct",
      "roles": [
        "global_admin"
      ],
      "tenantId": "[partner id]",
      "userId": "[user id]"
    }
    "#);
    assert_eq!(answer.json["tenantId"], json!(partner.id.to_string()));
    assert_eq!(answer.json["userId"], json!(partner.admin.user_id.to_string()));
}

#[tokio::test]
async fn an_anonymous_caller_is_refused_with_www_authenticate_and_the_v1_error_body() {
    let t = test_app().await;
    let answer = Call::get("/v1/me").send(&router(&t)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
    assert_eq!(answer.json["code"], json!(400));
    assert_eq!(answer.json["errorName"], json!("unauthenticated"));
    assert_eq!(answer.json["source"], json!("partnerdesk"));
    assert_eq!(answer.json["data"], json!([]));
    assert!(answer.json["description"].is_string(), "{}", answer.json);
}

#[tokio::test]
async fn malformed_tokens_and_other_schemes_are_refused() {
    let t = test_app().await;
    let router = router(&t);
    for authorization in [
        "Bearer pd_not-a-real-token",
        "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        "Bearer not.a.jwt.at.all",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ] {
        let answer = Call::get("/v1/me")
            .header("Authorization", authorization)
            .send(&router)
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{authorization}");
        assert_eq!(answer.header("www-authenticate"), Some("Bearer"), "{authorization}");
        assert_eq!(answer.json["errorName"], json!("unauthenticated"), "{authorization}");
    }
}

#[tokio::test]
async fn the_header_name_and_the_bearer_scheme_are_read_in_any_case() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let answer = Call::get("/v1/me")
        .header("AUTHORIZATION", &format!("bEaReR {token}"))
        .send(&router(&t))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.json["organizationKind"], json!("operator"));
}

#[tokio::test]
async fn me_shows_a_new_name_or_e_mail_at_once_though_the_token_authenticated_before() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        let agent = t.user_with_role(&partner.admin, "admin_agent").await;
        let token = t.token_for(&agent).await;
        let before = me(&router, &token).await;
        assert_eq!(before.status, StatusCode::OK, "{}", before.json);
        assert_eq!(before.json["email"], json!(agent.upn));

        // The user renames itself (as the dashboard's profile does).
        t.app.set_my_display_name(&agent, "Анна Петрова").await.expect("rename");
        let renamed = me(&router, &token).await;
        assert_eq!(renamed.json["displayName"], json!("Анна Петрова"), "{}", renamed.json);

        // An admin changes its e-mail and name over the API.
        let admin_token = t.token_for(&partner.admin).await;
        let patched = Call::new(
            axum::http::Method::PATCH,
            &format!("/v1/partners/{}/users/{}", partner.id, agent.user_id),
        )
        .bearer(&admin_token)
        .json(json!({"email": "anna@partner.example", "displayName": "Anna Petrova"}))
        .send(&router)
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.json);
        let after = me(&router, &token).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.json);
        assert_eq!(after.json["email"], json!("anna@partner.example"));
        assert_eq!(after.json["displayName"], json!("Anna Petrova"));
    }
}

async fn me(router: &axum::Router, token: &str) -> Answer {
    Call::get("/v1/me").bearer(token).send(router).await
}
