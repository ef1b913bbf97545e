//! `POST /oauth2/token`: the password, refresh_token and client_credentials grants.

use axum::http::StatusCode;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::PASSWORD;
use serde_json::json;

use crate::support::*;

fn password_grant(username: &str, password: &str) -> Call {
    Call::post("/oauth2/token").form(&[
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
    ])
}

fn refresh_grant(refresh_token: &str) -> Call {
    Call::post("/oauth2/token").form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token)])
}

#[tokio::test]
async fn the_password_grant_issues_an_access_token_that_authenticates_and_a_refresh_token() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let router = router(&t);
    let answer = password_grant("admin0@partner0.example", PASSWORD).send(&router).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    insta::assert_json_snapshot!(answer.json, {
        ".access_token" => "[jwt]",
        ".refresh_token" => "[refresh token]",
    }, @r#"
    {
      "access_token": "[jwt]",
      "expires_in": 3600,
      "refresh_token": "[refresh token]",
      "scope": "api offline_access",
      "token_type": "Bearer"
    }
    "#);
    let access = answer.json["access_token"].as_str().expect("access token");
    assert_eq!(access.split('.').count(), 3, "a compact JWT");
    assert!(answer.json["refresh_token"]
        .as_str()
        .is_some_and(|r| r.starts_with("pdr_")));

    let me = Call::get("/v1/me").bearer(access).send(&router).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.json);
    assert_eq!(me.json["userId"], json!(partner.admin.user_id.to_string()));
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_user_is_an_invalid_grant() {
    let t = test_app().await;
    t.partner(PartnerType::Direct).await;
    let router = router(&t);
    for (username, password) in [
        ("admin0@partner0.example", "wrong password"),
        ("nobody@partner0.example", PASSWORD),
        ("not an e-mail", PASSWORD),
    ] {
        let answer = password_grant(username, password).send(&router).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{username}");
        assert_eq!(answer.json["error"], json!("invalid_grant"), "{username}");
        assert!(answer.json["error_description"].is_string());
    }
}

#[tokio::test]
async fn a_refresh_token_is_rotated_and_its_reuse_is_refused() {
    let t = test_app().await;
    t.partner(PartnerType::Direct).await;
    let router = router(&t);
    let first = password_grant("admin0@partner0.example", PASSWORD).send(&router).await;
    let old_refresh = first.json["refresh_token"].as_str().expect("refresh token").to_string();

    let second = refresh_grant(&old_refresh).send(&router).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.json);
    let new_refresh = second.json["refresh_token"]
        .as_str()
        .expect("a new refresh token")
        .to_string();
    assert_ne!(new_refresh, old_refresh, "rotated");
    let access = second.json["access_token"].as_str().expect("access token");
    let me = Call::get("/v1/me").bearer(access).send(&router).await;
    assert_eq!(me.status, StatusCode::OK);

    let reused = refresh_grant(&old_refresh).send(&router).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.json["error"], json!("invalid_grant"));
    let successor = refresh_grant(&new_refresh).send(&router).await;
    assert_eq!(
        successor.json["error"],
        json!("invalid_grant"),
        "a reuse revokes the tokens that replaced it"
    );
    let unknown = refresh_grant("pdr_nothing-like-it").send(&router).await;
    assert_eq!(unknown.json["error"], json!("invalid_grant"));
}

#[tokio::test]
async fn client_credentials_take_the_user_id_and_a_personal_token_and_give_no_refresh_token() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let secret = t.token_for(&partner.admin).await;
    let client_id = partner.admin.user_id.to_string();
    let router = router(&t);

    let posted = Call::post("/oauth2/token")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "https://api.partnercenter.microsoft.com/.default"),
        ])
        .send(&router)
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.json);
    assert_eq!(posted.json["refresh_token"], serde_json::Value::Null);
    assert_eq!(posted.json["scope"], json!("api"));
    let access = posted.json["access_token"].as_str().expect("access token");
    let me = Call::get("/v1/me").bearer(access).send(&router).await;
    assert_eq!(me.json["userId"], json!(client_id));

    let basic = STANDARD.encode(format!("{client_id}:{secret}"));
    let with_basic = Call::post("/oauth2/token")
        .header("Authorization", &format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send(&router)
        .await;
    assert_eq!(with_basic.status, StatusCode::OK, "{}", with_basic.json);
}

#[tokio::test]
async fn client_credentials_with_a_wrong_secret_or_another_users_token_are_an_invalid_client() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let someone_elses = t.token_for(&t.operator).await;
    let client_id = partner.admin.user_id.to_string();
    let router = router(&t);
    for secret in [someone_elses.as_str(), "pd_wrong", "a password"] {
        let answer = Call::post("/oauth2/token")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", secret),
            ])
            .send(&router)
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{secret}");
        assert_eq!(answer.json["error"], json!("invalid_client"), "{secret}");
    }
    let basic = STANDARD.encode(format!("{client_id}:pd_wrong"));
    let answer = Call::post("/oauth2/token")
        .header("Authorization", &format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send(&router)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.header("www-authenticate"), Some("Basic"));
}

#[tokio::test]
async fn an_unknown_grant_or_a_missing_field_is_refused_in_oauth2s_words() {
    let t = test_app().await;
    let router = router(&t);
    let unknown = Call::post("/oauth2/token")
        .form(&[("grant_type", "authorization_code"), ("code", "x")])
        .send(&router)
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json["error"], json!("unsupported_grant_type"));
    let missing = Call::post("/oauth2/token")
        .form(&[("grant_type", "password"), ("username", "a@b.example")])
        .send(&router)
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json["error"], json!("invalid_request"));
    let json_body = Call::post("/oauth2/token")
        .json(json!({"grant_type": "password"}))
        .send(&router)
        .await;
    assert_eq!(json_body.status, StatusCode::BAD_REQUEST);
    assert_eq!(json_body.json["error"], json!("invalid_request"));
}

#[tokio::test]
async fn an_access_token_expires_after_an_hour() {
    let t = test_app().await;
    t.partner(PartnerType::Direct).await;
    let router = router(&t);
    let issued = password_grant("admin0@partner0.example", PASSWORD).send(&router).await;
    let access = issued.json["access_token"].as_str().expect("access token").to_string();

    t.clock.advance(chrono::Duration::minutes(59));
    let fine = Call::get("/v1/me").bearer(&access).send(&router).await;
    assert_eq!(fine.status, StatusCode::OK);
    t.clock.advance(chrono::Duration::minutes(1));
    let expired = Call::get("/v1/me").bearer(&access).send(&router).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.header("www-authenticate"), Some("Bearer"));
    assert_eq!(expired.json["errorName"], json!("unauthenticated"));
}

#[tokio::test]
async fn a_tampered_access_token_is_refused() {
    let t = test_app().await;
    t.partner(PartnerType::Direct).await;
    let router = router(&t);
    let issued = password_grant("admin0@partner0.example", PASSWORD).send(&router).await;
    let access = issued.json["access_token"].as_str().expect("access token");
    let mut parts: Vec<String> = access.split('.').map(str::to_string).collect();
    // Claim the operator's role instead.
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&parts[1])
        .expect("claims");
    let mut claims: serde_json::Value = serde_json::from_slice(&claims).expect("claims JSON");
    claims["roles"] = json!(["admin"]);
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    let forged = parts.join(".");
    let answer = Call::get("/v1/me").bearer(&forged).send(&router).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}
