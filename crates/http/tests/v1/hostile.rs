//! Hostile input: whatever a client sends, the answer is a 4xx with a stable `errorName`
//! and nothing changes. Each test reads what the callers can see before and after.

use axum::http::{Method, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use partnerdesk_domain::org::PartnerType;
use partnerdesk_domain::relationship::GdapStatus;
use partnerdesk_testkit::PASSWORD;
use serde_json::{json, Value};

use crate::support::{apis, url_encode, Api, Reply};

const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

/// What `token`'s organisation sees of its customers, its customer's subscriptions and its
/// audit log: any committed change shows in one of them.
async fn seen_by(api: &Api, token: &str, customer: &str) -> Value {
    let mut seen = json!({});
    for uri in [
        "/v1/customers?size=500".to_string(),
        format!("/v1/customers/{customer}/subscriptions"),
        "/v1/auditrecords?size=500".to_string(),
    ] {
        let reply = api.get(&uri, token).await.expect(StatusCode::OK);
        seen[uri] = reply.json;
    }
    seen
}

/// The `/v1` error name of a refusal, asserting its status.
#[track_caller]
fn refused(reply: &Reply, status: StatusCode, error_name: &str, what: &str) {
    assert_eq!(reply.status, status, "{}: {what}: {}", reply.backend, reply.json);
    assert_eq!(
        reply.json["errorName"], error_name,
        "{}: {what}: {}",
        reply.backend, reply.json
    );
}

#[tokio::test]
async fn bodies_too_large_too_deep_not_utf8_or_with_control_characters_are_refused_and_change_nothing() {
    for api in apis().await {
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let sub_uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
        let c = customer.id.to_string();
        let before = seen_by(&api, &token, &c).await;

        let over_limit = format!(r#"{{"friendlyName":"{}"}}"#, "a".repeat(1024 * 1024));
        let reply = api
            .send_bytes(Method::PATCH, &sub_uri, &token, over_limit.into_bytes())
            .await;
        refused(
            &reply,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "over the limit",
        );

        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let reply = api.send_raw(Method::POST, "/v1/customers", &token, &deep).await;
        refused(
            &reply,
            StatusCode::BAD_REQUEST,
            "invalid_property",
            "nested 100,000 deep",
        );
        let deep_object = format!(r#"{}"x"{}"#, r#"{"a":"#.repeat(1_000), "}".repeat(1_000));
        let reply = api.send_raw(Method::PATCH, &sub_uri, &token, &deep_object).await;
        refused(
            &reply,
            StatusCode::BAD_REQUEST,
            "invalid_property",
            "objects nested 1,000 deep",
        );

        let mut not_utf8 = br#"{"friendlyName":"Office "#.to_vec();
        not_utf8.extend_from_slice(b"\xff\xfe\xc3");
        not_utf8.extend_from_slice(br#""}"#);
        let reply = api.send_bytes(Method::PATCH, &sub_uri, &token, not_utf8).await;
        refused(&reply, StatusCode::BAD_REQUEST, "invalid_property", "invalid UTF-8");

        for control in ["\u{0}", "\u{7}", "\u{1b}[31m", "\r\n", "\u{7f}"] {
            let reply = api
                .patch(
                    &sub_uri,
                    &token,
                    json!({"friendlyName": format!("Office{control}Suite")}),
                )
                .await;
            refused(
                &reply,
                StatusCode::BAD_REQUEST,
                "invalid_property",
                &format!("{control:?} in friendlyName"),
            );
            assert_eq!(reply.json["data"]["property"], "friendlyName", "{}", reply.backend);
            let body = json!({
                "companyProfile": {"domain": "control.example", "companyName": format!("Bad{control}Co")},
                "billingProfile": {"email": "b@control.example", "companyName": format!("Bad{control}Co"), "defaultAddress": {"country": "US"}},
            });
            let reply = api.post("/v1/customers", &token, body).await;
            refused(
                &reply,
                StatusCode::BAD_REQUEST,
                "invalid_property",
                &format!("{control:?} in companyName"),
            );
        }

        assert_eq!(seen_by(&api, &token, &c).await, before, "{}", api.t.db.backend);
    }
}

#[tokio::test]
async fn huge_page_sizes_and_forged_or_foreign_continuation_tokens_are_refused() {
    for api in apis().await {
        let b = api.t.db.backend;
        let (partner, _, token) = api.seller().await;
        for _ in 0..2 {
            api.t.customer_of(&partner).await;
        }
        let other = api.t.partner(PartnerType::Direct).await;
        for _ in 0..3 {
            api.t.customer_of(&other).await;
        }
        let other_token = api.token(&other.admin).await;

        for size in ["99999999999", "-1", "1e9", "4294967296"] {
            let reply = api.get(&format!("/v1/customers?size={size}"), &token).await;
            refused(
                &reply,
                StatusCode::BAD_REQUEST,
                "invalid_property",
                &format!("size={size}"),
            );
        }
        // More than the largest page is the largest page, as Partner Center answers.
        let reply = api
            .get("/v1/customers?size=4294967295", &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply.json["items"].as_array().map(Vec::len), Some(3), "{b}");
        for top in ["99999999999", "301", "0", "-5"] {
            let reply = api
                .get(
                    &format!("/v1.0/tenantRelationships/delegatedAdminRelationships?$top={top}"),
                    &token,
                )
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{b}: $top={top}: {}", reply.json);
            assert_eq!(reply.json["error"]["code"], "invalid_property", "{b}: $top={top}");
        }

        // The other partner's first page of one, and the token to its second.
        let first = api
            .get("/v1/customers?size=1", &other_token)
            .await
            .expect(StatusCode::OK);
        let next = &first.json["links"]["next"];
        let next_uri = next["uri"].as_str().expect("a next page").to_string();
        let foreign = next["headers"][0]["value"].as_str().expect("its token").to_string();
        let followed = api
            .get_with(&next_uri, &other_token, &[("MS-ContinuationToken", &foreign)])
            .await
            .expect(StatusCode::OK);
        assert_eq!(followed.json["items"].as_array().map(Vec::len), Some(1), "{b}");

        let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(&foreign).expect("base64url")).expect("UTF-8");
        let (_, position) = decoded.split_once('/').expect("owner/position");
        let forged = [
            ("the other partner's token", foreign.clone()),
            ("a bare position", URL_SAFE_NO_PAD.encode(position)),
            ("not base64", "%%%not-a-token%%%".to_string()),
            ("not UTF-8", URL_SAFE_NO_PAD.encode(b"\xff\xfe")),
            ("SQL", URL_SAFE_NO_PAD.encode("' OR 1=1 --")),
            ("huge", "A".repeat(4000)),
        ];
        for (what, token_value) in &forged {
            let reply = api
                .get_with(&next_uri, &token, &[("MS-ContinuationToken", token_value)])
                .await;
            refused(&reply, StatusCode::BAD_REQUEST, "invalid_property", what);
            assert_eq!(reply.json["data"]["property"], "MS-ContinuationToken", "{b}: {what}");
        }
    }
}

#[tokio::test]
async fn another_tenants_ids_in_body_fields_are_refused_and_change_nothing() {
    for api in apis().await {
        let b = api.t.db.backend;
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let other = api.t.partner(PartnerType::Direct).await;
        let theirs = api.t.customer_of(&other).await;
        let their_sub = api.t.buy(&other, theirs.id, 7).await;
        let their_token = api.token(&other.admin).await;
        let their_gdap = api.t.gdap(other.id, theirs.id, GdapStatus::Active, None).await;
        let mine_gdap = api.t.gdap(partner.id, customer.id, GdapStatus::Active, None).await;
        let my_group = api
            .t
            .app
            .create_security_group(&partner.admin, "Helpdesk")
            .await
            .expect("group");
        let their_group = api
            .t
            .app
            .create_security_group(&other.admin, "Theirs")
            .await
            .expect("group");
        let (c, t) = (customer.id.to_string(), theirs.id.to_string());
        let before = (seen_by(&api, &token, &c).await, seen_by(&api, &their_token, &t).await);
        let their_gdap_uri = format!("/v1.0/tenantRelationships/delegatedAdminRelationships/{their_gdap}");
        let their_gdap_before = api.get(&their_gdap_uri, &their_token).await.expect(StatusCode::OK).json;

        // A subscription of their customer, in a bulk change of mine.
        let reply = api
            .post(
                &format!("/v1/customers/{c}/subscriptions/bulk"),
                &token,
                json!({"status": "suspended", "subscriptionIds": [their_sub.id.to_string()]}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply.json["items"][0]["outcome"], "refused", "{b}: {}", reply.json);
        assert_eq!(
            reply.json["items"][0]["error"]["errorName"], "subscription_not_found",
            "{b}"
        );

        // Their user in my security group.
        let reply = api
            .post(
                &format!("/v1/securityGroups/{}/members", my_group.id),
                &token,
                json!({"userId": other.admin.user_id.to_string()}),
            )
            .await;
        refused(&reply, StatusCode::NOT_FOUND, "not_found", "their user as a member");

        // Their security group given roles in my relationship.
        let reply = api
            .post(
                &format!("/v1.0/tenantRelationships/delegatedAdminRelationships/{mine_gdap}/accessAssignments"),
                &token,
                json!({
                    "accessContainer": {"accessContainerId": their_group.id.to_string(), "accessContainerType": "securityGroup"},
                    "accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK_ADMINISTRATOR}]},
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{b}: {}", reply.json);
        assert_eq!(reply.json["error"]["code"], "not_found", "{b}");

        // Their partner as my subscription's support contact.
        let reply = api
            .put(
                &format!("/v1/customers/{c}/subscriptions/{}/supportcontact", sub.id),
                &token,
                json!({"supportTenantId": other.id.to_string()}),
            )
            .await;
        refused(
            &reply,
            StatusCode::BAD_REQUEST,
            "invalid_property",
            "their partner as support contact",
        );
        assert_eq!(reply.json["data"]["property"], "supportTenantId", "{b}");

        // Their relationship in a bulk GDAP change.
        let reply = api
            .post(
                "/v1/gdap/bulkUpdate",
                &token,
                json!({"items": [{"id": their_gdap.to_string(), "displayName": "Taken over"}]}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply.json["items"][0]["status"], "failed", "{b}: {}", reply.json);
        assert_eq!(reply.json["items"][0]["error"]["errorName"], "not_found", "{b}");

        let after = (seen_by(&api, &token, &c).await, seen_by(&api, &their_token, &t).await);
        assert_eq!(after, before, "{b}");
        let their_gdap_after = api.get(&their_gdap_uri, &their_token).await.expect(StatusCode::OK).json;
        assert_eq!(their_gdap_after, their_gdap_before, "{b}");
        let members = api
            .get(&format!("/v1/securityGroups/{}", my_group.id), &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(members.json["members"], json!([]), "{b}");
    }
}

#[tokio::test]
async fn sql_and_html_metacharacters_cyrillic_and_emoji_round_trip_unchanged_in_every_text_field() {
    for api in apis().await {
        let b = api.t.db.backend;
        let (partner, customer, token) = api.seller().await;
        let sub = api.t.buy(&partner, customer.id, 5).await;
        let texts = [
            "Robert'); DROP TABLE customers;--",
            "' OR '1'='1",
            "100% _off_ \\ \"quoted\"",
            "<script>alert(1)</script> & <b>bold</b> &amp;",
            "ООО «Ромашка» — Ёлка",
            "Rocket 🚀 family 👨‍👩‍👧 flag 🇷🇺",
        ];
        for (i, text) in texts.iter().enumerate() {
            let domain = format!("meta{i}.example");
            let created = api
                .post(
                    "/v1/customers",
                    &token,
                    json!({
                        "companyProfile": {"domain": domain, "companyName": text},
                        "billingProfile": {"email": format!("b@{domain}"), "companyName": text, "defaultAddress": {"country": "US", "addressLine1": text}},
                    }),
                )
                .await
                .expect(StatusCode::CREATED);
            let id = created.str("/id");
            let read = api
                .get(&format!("/v1/customers/{id}"), &token)
                .await
                .expect(StatusCode::OK);
            for pointer in [
                "/companyProfile/companyName",
                "/billingProfile/companyName",
                "/billingProfile/defaultAddress/addressLine1",
            ] {
                assert_eq!(
                    read.json.pointer(pointer),
                    Some(&json!(text)),
                    "{b}: {pointer} of {text:?}: {}",
                    read.json
                );
            }
            // Found by a search for the text itself.
            let found = api
                .get(
                    &format!(
                        "/v1/customers?filter={}",
                        url_encode(
                            &json!({"Field": "CompanyName", "Value": text, "Operator": "starts_with"}).to_string()
                        )
                    ),
                    &token,
                )
                .await
                .expect(StatusCode::OK);
            let names: Vec<&Value> = found.json["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| &c["companyProfile"]["companyName"])
                .collect();
            assert!(
                names.contains(&&json!(text)),
                "{b}: {text:?} not found by itself: {names:?}"
            );

            let sub_uri = format!("/v1/customers/{}/subscriptions/{}", customer.id, sub.id);
            let patched = api
                .patch(&sub_uri, &token, json!({"friendlyName": text}))
                .await
                .expect(StatusCode::OK);
            assert_eq!(patched.json["friendlyName"], json!(text), "{b}");
            let read = api.get(&sub_uri, &token).await.expect(StatusCode::OK);
            assert_eq!(read.json["friendlyName"], json!(text), "{b}");

            let group = api
                .post("/v1/securityGroups", &token, json!({"displayName": text}))
                .await
                .expect(StatusCode::CREATED);
            let group = api
                .get(&format!("/v1/securityGroups/{}", group.str("/id")), &token)
                .await
                .expect(StatusCode::OK);
            assert_eq!(group.json["displayName"], json!(text), "{b}");
        }
        // Every customer is still there: nothing was dropped or matched by the quotes.
        let all = api.get("/v1/customers?size=500", &token).await.expect(StatusCode::OK);
        assert_eq!(all.json["totalCount"], json!(texts.len() + 1), "{b}");
    }
}

#[tokio::test]
async fn expired_and_tampered_access_tokens_are_refused_as_unauthenticated_and_change_nothing() {
    for api in apis().await {
        let b = api.t.db.backend;
        let (partner, customer, token) = api.seller().await;
        let c = customer.id.to_string();
        let issued = api
            .send_form(
                "/oauth2/token",
                &[
                    ("grant_type", "password"),
                    ("username", &partner.admin.upn),
                    ("password", PASSWORD),
                ],
            )
            .await
            .expect(StatusCode::OK);
        let jwt = issued.str("/access_token");
        let before = seen_by(&api, &token, &c).await;

        let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
        let mut claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("claims")).expect("JSON");
        claims["exp"] = json!(claims["exp"].as_i64().expect("exp") + 365 * 86_400);
        parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
        let longer = parts.join(".");
        let mut unsigned = jwt.split('.').take(2).collect::<Vec<_>>().join(".");
        unsigned.push('.');
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let alg_none = format!("{none_header}.{}.", jwt.split('.').nth(1).expect("claims"));
        let mut flipped = jwt.clone();
        let last = flipped.pop().expect("a signature");
        flipped.push(if last == 'A' { 'B' } else { 'A' });

        let body = json!({
            "companyProfile": {"domain": "forged.example"},
            "billingProfile": {"email": "b@forged.example", "companyName": "Forged", "defaultAddress": {"country": "US"}},
        });
        for (what, forged) in [
            ("a longer life", longer.as_str()),
            ("no signature", unsigned.as_str()),
            ("alg none", alg_none.as_str()),
            ("a changed signature", flipped.as_str()),
            ("not a token", "eyJ.eyJ.sig"),
        ] {
            let reply = api.post("/v1/customers", forged, body.clone()).await;
            refused(&reply, StatusCode::UNAUTHORIZED, "unauthenticated", what);
        }

        api.t.clock.advance(chrono::Duration::minutes(61));
        let reply = api.post("/v1/customers", &jwt, body.clone()).await;
        refused(&reply, StatusCode::UNAUTHORIZED, "unauthenticated", "expired");
        let reply = api
            .patch(
                &format!("/v1/customers/{c}"),
                &jwt,
                json!({"companyProfile": {"companyName": "Renamed"}}),
            )
            .await;
        refused(
            &reply,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "expired, on a PATCH",
        );

        assert_eq!(seen_by(&api, &token, &c).await, before, "{b}");
    }
}
