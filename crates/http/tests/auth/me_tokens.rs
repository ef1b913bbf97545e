//! `/v1/me/tokens`: personal API tokens.

use axum::http::StatusCode;
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_new_token_is_shown_once_and_then_listed_without_its_secret() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let token = t.token_for(&partner.admin).await;
    let router = router(&t);

    let created = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"Name": "nightly export"}))
        .send(&router)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let secret = created.json["tokenSecret"].as_str().expect("the secret").to_string();
    assert!(secret.starts_with("pd_"), "{secret}");
    assert_eq!(secret.len(), 3 + 43, "pd_ and 32 bytes of base64url");
    insta::assert_json_snapshot!(created.json, {
        ".id" => "[id]",
        ".createdAt" => "[time]",
        ".tokenSecret" => "[secret]",
        ".links.self.uri" => "[uri]",
    }, @r#"
    {
      "attributes": {
        "objectType": "ApiToken"
      },
      "createdAt": "[time]",
      "expiresAt": null,
      "id": "[id]",
      "lastUsedAt": null,
      "links": {
        "self": {
          "headers": [],
          "method": "GET",
          "uri": "[uri]"
        }
      },
      "name": "nightly export",
      "revokedAt": null,
      "tokenSecret": "[secret]"
    }
    "#);

    let me = Call::get("/v1/me").bearer(&secret).send(&router).await;
    assert_eq!(me.status, StatusCode::OK, "the new token works at once");

    let listed = Call::get("/v1/me/tokens").bearer(&secret).send(&router).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.json);
    assert_eq!(listed.json["totalCount"], json!(2));
    assert_eq!(listed.json["attributes"]["objectType"], json!("Collection"));
    let names: Vec<_> = listed.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["name"].clone())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(
        names[0].as_str().is_some_and(|n| n.starts_with("test token")),
        "{names:?}"
    );
    assert_eq!(names[1], json!("nightly export"), "oldest first");
    assert!(!listed.json.to_string().contains(&secret), "secrets are never listed");
    assert!(listed.json["items"][1]["lastUsedAt"].is_string(), "{}", listed.json);
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let keep = t.token_for(&partner.admin).await;
    let doomed = t.token_for(&partner.admin).await;
    let router = router(&t);
    let listed = Call::get("/v1/me/tokens").bearer(&keep).send(&router).await;
    let doomed_id = listed.json["items"][1]["id"].as_str().expect("id").to_string();

    let revoked = Call::delete(&format!("/v1/me/tokens/{doomed_id}"))
        .bearer(&keep)
        .send(&router)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.json);

    let refused = Call::get("/v1/me").bearer(&doomed).send(&router).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    let listed = Call::get("/v1/me/tokens").bearer(&keep).send(&router).await;
    assert!(listed.json["items"][1]["revokedAt"].is_string(), "{}", listed.json);
    let again = Call::delete(&format!("/v1/me/tokens/{doomed_id}"))
        .bearer(&keep)
        .send(&router)
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT, "revoking twice is fine");
}

#[tokio::test]
async fn another_users_token_cannot_be_seen_or_revoked() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let agent = t.user_with_role(&partner.admin, "sales_agent").await;
    let admin_token = t.token_for(&partner.admin).await;
    let agent_token = t.token_for(&agent).await;
    let router = router(&t);
    let agents = Call::get("/v1/me/tokens").bearer(&agent_token).send(&router).await;
    let agent_token_id = agents.json["items"][0]["id"].as_str().expect("id").to_string();

    let admins = Call::get("/v1/me/tokens").bearer(&admin_token).send(&router).await;
    assert_eq!(admins.json["totalCount"], json!(1), "only its own");
    for id in [
        agent_token_id.as_str(),
        "0192f0c1-0000-7000-8000-000000000000",
        "not-an-id",
    ] {
        let answer = Call::delete(&format!("/v1/me/tokens/{id}"))
            .bearer(&admin_token)
            .send(&router)
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}: {}", answer.json);
        assert_eq!(answer.json["errorName"], json!("not_found"));
    }
    let still = Call::get("/v1/me").bearer(&agent_token).send(&router).await;
    assert_eq!(still.status, StatusCode::OK);
}

#[tokio::test]
async fn a_token_needs_a_name() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let answer = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"name": "  "}))
        .send(&router(&t))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.json);
    assert_eq!(answer.json["errorName"], json!("invalid_property"));
}

#[tokio::test]
async fn a_token_made_to_expire_is_refused_once_it_has() {
    let t = test_app().await;
    let token = t.token_for(&t.operator).await;
    let router = router(&t);
    let created = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"name": "a week", "ExpiresInDays": 7}))
        .send(&router)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["expiresAt"], json!("2026-03-08T09:00:00Z"));
    let weekly = created.json["tokenSecret"].as_str().expect("secret").to_string();

    t.clock
        .advance(chrono::Duration::days(7) - chrono::Duration::seconds(1));
    assert_eq!(
        Call::get("/v1/me").bearer(&weekly).send(&router).await.status,
        StatusCode::OK
    );
    t.clock.advance(chrono::Duration::seconds(1));
    let expired = Call::get("/v1/me").bearer(&weekly).send(&router).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.header("www-authenticate"), Some("Bearer"));

    let too_long = Call::post("/v1/me/tokens")
        .bearer(&token)
        .json(json!({"name": "forever and a day", "expiresInDays": 3651}))
        .send(&router)
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_long.json["errorName"], json!("invalid_property"));
}

#[tokio::test]
async fn a_token_refusal_is_described_in_the_x_locale_language() {
    for (t, router) in apps().await {
        let partner = t.partner(PartnerType::Direct).await;
        let token = t.token_for(&partner.admin).await;
        for id in ["0192f0c1-0000-7000-8000-000000000000", "not-an-id"] {
            let answer = Call::delete(&format!("/v1/me/tokens/{id}"))
                .bearer(&token)
                .header("X-Locale", "ru-RU")
                .send(&router)
                .await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}: {}", answer.json);
            assert_eq!(
                answer.json["description"],
                json!("Не найдено: объект (токен API) с таким идентификатором вам недоступен."),
                "{id}"
            );
        }
    }
}
