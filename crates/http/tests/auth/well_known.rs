//! `/.well-known/openid-configuration` and the JWKS: anyone can verify an access token
//! offline with the published keys.

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use partnerdesk_domain::org::PartnerType;
use partnerdesk_testkit::PASSWORD;
use serde_json::{json, Value};

use crate::support::*;

fn decode_json(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

#[tokio::test]
async fn the_openid_configuration_points_at_the_token_endpoint_and_the_keys() {
    let t = test_app().await;
    let answer = Call::get("/.well-known/openid-configuration").send(&router(&t)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let issuer = t.app.config().public_url.clone();
    assert_eq!(answer.json["issuer"], json!(issuer));
    assert_eq!(answer.json["token_endpoint"], json!(format!("{issuer}/oauth2/token")));
    assert_eq!(
        answer.json["jwks_uri"],
        json!(format!("{issuer}/.well-known/jwks.json"))
    );
    assert_eq!(answer.json["id_token_signing_alg_values_supported"], json!(["EdDSA"]));
}

#[tokio::test]
async fn an_access_token_verifies_against_the_published_jwks() {
    let t = test_app().await;
    let partner = t.partner(PartnerType::Direct).await;
    let router = router(&t);
    let issued = Call::post("/oauth2/token")
        .form(&[
            ("grant_type", "password"),
            ("username", "admin0@partner0.example"),
            ("password", PASSWORD),
        ])
        .send(&router)
        .await;
    let access = issued.json["access_token"].as_str().expect("access token");

    let jwks = Call::get("/.well-known/jwks.json").send(&router).await;
    assert_eq!(jwks.status, StatusCode::OK);
    let keys = jwks.json["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1, "{}", jwks.json);
    let jwk = &keys[0];
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert_eq!((jwk["alg"].as_str(), jwk["use"].as_str()), (Some("EdDSA"), Some("sig")));

    let (signing_input, signature) = access.rsplit_once('.').expect("three parts");
    let (header, claims) = signing_input.split_once('.').expect("three parts");
    let header = decode_json(header);
    assert_eq!(header["alg"], json!("EdDSA"));
    assert_eq!(header["kid"], jwk["kid"]);
    let x: [u8; 32] = URL_SAFE_NO_PAD
        .decode(jwk["x"].as_str().expect("x"))
        .expect("base64url")
        .try_into()
        .expect("32 bytes");
    let key = VerifyingKey::from_bytes(&x).expect("an Ed25519 public key");
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).expect("base64url")).expect("signature");
    key.verify_strict(signing_input.as_bytes(), &signature)
        .expect("the signature verifies with the published key");

    let claims = decode_json(claims);
    let issuer = t.app.config().public_url.clone();
    assert_eq!(claims["iss"], json!(issuer));
    assert_eq!(claims["aud"], json!(issuer));
    assert_eq!(claims["tid"], json!(partner.id.to_string()));
    assert_eq!(claims["oid"], json!(partner.admin.user_id.to_string()));
    assert_eq!(claims["upn"], json!("admin0@partner0.example"));
    assert_eq!(claims["roles"], json!(["global_admin"]));
    let (iat, exp) = (
        claims["iat"].as_i64().expect("iat"),
        claims["exp"].as_i64().expect("exp"),
    );
    assert_eq!(exp - iat, 3600);
    assert_eq!(iat, partnerdesk_app::Clock::now(t.clock.as_ref()).timestamp());
}
