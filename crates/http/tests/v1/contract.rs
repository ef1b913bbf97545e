//! The OpenAPI document says what the server accepts: where the document refuses a value
//! (an empty name, a fraction for an integer, a `null` body, an empty query value, an
//! `If-Match` that is not an ETag), the server answers 400 (or 412) too.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::{json, Value};

use crate::support::{apis, Api};

/// The document the server serves.
async fn document(api: &Api) -> Value {
    let reply = api
        .send(Method::GET, "/openapi.json", None, &[], None)
        .await
        .expect(StatusCode::OK);
    reply.json
}

/// The schema of `property` of the component `schema`.
fn property<'a>(doc: &'a Value, schema: &str, property: &str) -> &'a Value {
    let found = &doc["components"]["schemas"][schema]["properties"][property];
    assert!(found.is_object(), "{schema}.{property} is documented");
    found
}

/// Every request body schema of the document, with where it is.
fn request_body_schemas(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            for (kind, content) in op["requestBody"]["content"].as_object().into_iter().flatten() {
                out.push((format!("{method} {path} {kind}"), content["schema"].clone()));
            }
        }
    }
    out
}

/// Whether `schema` admits `null`.
fn admits_null(schema: &Value) -> bool {
    let null_type = match &schema["type"] {
        Value::String(t) => t == "null",
        Value::Array(types) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let alternatives = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema[*k].as_array())
        .flatten()
        .any(admits_null);
    null_type || alternatives
}

/// The `/v1` error a reply carries: (status, errorName, property).
fn refusal(reply: &crate::support::Reply) -> (u16, String, String) {
    (
        reply.status.as_u16(),
        reply.json["errorName"].as_str().unwrap_or_default().to_string(),
        reply.json["data"]["property"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn an_empty_name_is_refused_and_documented_as_at_least_one_character() {
    for api in apis().await {
        let doc = document(&api).await;
        let op = api.token(&api.t.operator.clone()).await;
        let partner = api.t.partner(PartnerType::Direct).await;
        let p = api.token(&partner.admin).await;
        let (pid, uid, offer) = (partner.id, partner.admin.user_id, api.t.offer.id);
        let password = "long-enough-pass-1";
        let tokens_before = api.get("/v1/me/tokens", &p).await.json["totalCount"].clone();
        let cases = [
            (
                Method::POST,
                "/v1/me/tokens".to_string(),
                &p,
                json!({"name": ""}),
                "NewApiToken",
                "name",
            ),
            (
                Method::POST,
                "/v1/offers".into(),
                &op,
                json!({"name": "", "country": "US"}),
                "OfferBody",
                "name",
            ),
            (
                Method::PATCH,
                format!("/v1/offers/{offer}"),
                &op,
                json!({"name": ""}),
                "OfferBody",
                "name",
            ),
            (
                Method::POST,
                "/v1/partners".into(),
                &op,
                json!({"name": "", "partnerType": "direct", "admin": {"email": "a@empty.example", "password": password}}),
                "NewPartnerBody",
                "name",
            ),
            (
                Method::POST,
                "/v1/customers".into(),
                &p,
                json!({"companyProfile": {"domain": "empty.example", "companyName": ""}, "billingProfile": {"email": "b@empty.example", "companyName": "Empty", "defaultAddress": {"country": "US"}}}),
                "CompanyProfileBody",
                "companyName",
            ),
            (
                Method::POST,
                "/v1/customers".into(),
                &p,
                json!({"companyProfile": {"domain": "empty.example"}, "billingProfile": {"email": "b@empty.example", "companyName": "", "defaultAddress": {"country": "US"}}}),
                "BillingProfileBody",
                "companyName",
            ),
            (
                Method::POST,
                format!("/v1/partners/{pid}/users"),
                &p,
                json!({"email": "u@empty.example", "displayName": "", "password": password, "roles": ["global_admin"]}),
                "NewUserBody",
                "displayName",
            ),
            (
                Method::PATCH,
                format!("/v1/partners/{pid}/users/{uid}"),
                &p,
                json!({"displayName": ""}),
                "UserPatchBody",
                "displayName",
            ),
        ];
        for (method, uri, token, body, schema, name) in cases {
            assert_eq!(property(&doc, schema, name)["minLength"], 1, "{schema}.{name}");
            let reply = api.send(method.clone(), &uri, Some(token), &[], Some(body)).await;
            assert_eq!(
                refusal(&reply),
                (400, "invalid_property".to_string(), name.to_string()),
                "{method} {uri}: {}",
                reply.json
            );
        }
        let tokens = api.get("/v1/me/tokens", &p).await;
        assert_eq!(tokens.json["totalCount"], tokens_before, "no token was made");
        let offered = api.get(&format!("/v1/offers/{offer}"), &op).await;
        assert_eq!(
            offered.json["name"],
            api.t.offer.name.as_str(),
            "the offer kept its name"
        );
    }
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_refused_and_documented_as_an_integer() {
    for api in apis().await {
        let doc = document(&api).await;
        assert_eq!(property(&doc, "LineItemBody", "quantity")["type"], "integer");
        let partner = api.t.partner(PartnerType::Direct).await;
        let p = api.token(&partner.admin).await;
        let customer = api.t.customer_of(&partner).await;
        let orders = format!("/v1/customers/{}/orders", customer.id);
        let offer = api.t.offer.id.to_string();
        let reply = api
            .post(
                &orders,
                &p,
                json!({"lineItems": [{"offerId": offer, "quantity": 2222.0}]}),
            )
            .await;
        assert_eq!(
            refusal(&reply),
            (400, "invalid_property".into(), "lineItems[0].quantity".into())
        );
        assert_eq!(reply.json["data"]["reason"], "must be a whole number");
        assert_eq!(api.get(&orders, &p).await.json["totalCount"], 0, "nothing was ordered");
    }
}

#[tokio::test]
async fn a_null_body_is_refused_and_no_body_is_documented_as_nullable() {
    for api in apis().await {
        let doc = document(&api).await;
        let bodies = request_body_schemas(&doc);
        assert!(bodies.len() > 10, "{bodies:?}");
        for (at, schema) in &bodies {
            assert!(!admits_null(schema), "{at}: {schema}");
        }
        let partner = api.t.partner(PartnerType::Direct).await;
        let p = api.token(&partner.admin).await;
        let customer = api.t.customer_of(&partner).await;
        let uri = format!("/v1/customers/{}/offboarding", customer.id);
        let reply = api.send_raw(Method::POST, &uri, &p, "null").await;
        assert_eq!(refusal(&reply), (400, "invalid_property".into(), "body".into()));
        assert_eq!(reply.json["data"]["reason"], "must be a JSON object");
        let still = api.get(&format!("/v1/customers/{}", customer.id), &p).await;
        assert_eq!(still.status, StatusCode::OK, "the relationship is still active");
    }
}

#[tokio::test]
async fn an_empty_query_value_the_server_refuses_is_one_the_document_refuses() {
    for api in apis().await {
        let doc = document(&api).await;
        let partner = api.t.partner(PartnerType::Direct).await;
        let p = api.token(&partner.admin).await;
        let op = api.token(&api.t.operator.clone()).await;
        let param = |path: &str, name: &str| -> Value {
            doc["paths"][path]["get"]["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{path} documents {name}"))
        };
        for path in ["/v1/customers", "/v1/partners"] {
            let seek = param(path, "seekOperation");
            assert_eq!(seek["schema"]["pattern"], "^[Nn][Ee][Xx][Tt]$", "{path}");
        }
        let relationship_type = param("/v1/relationships", "relationship_type");
        assert_eq!(relationship_type["required"], true);
        assert_eq!(relationship_type["schema"]["minLength"], 1);
        for (uri, token, name) in [
            ("/v1/customers?seekOperation=", &p, "seekOperation"),
            ("/v1/partners?seekOperation=", &op, "seekOperation"),
            ("/v1/relationships?relationship_type=", &p, "relationship_type"),
            ("/v1/relationships", &p, "relationship_type"),
        ] {
            let reply = api.get(uri, token).await;
            assert_eq!(refusal(&reply), (400, "invalid_property".into(), name.into()), "{uri}");
        }
    }
}

#[tokio::test]
async fn an_if_match_that_is_no_etag_is_a_412_and_if_match_is_documented_as_a_string() {
    for api in apis().await {
        let doc = document(&api).await;
        let (mut optional, mut required) = (0, Vec::new());
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                for param in op["parameters"].as_array().into_iter().flatten() {
                    if param["name"] == "If-Match" {
                        assert_eq!(param["schema"], json!({"type": "string"}), "{method} {path}");
                        assert!(op["responses"]["412"].is_object(), "{method} {path}");
                        if param["required"] == true {
                            assert!(op["responses"]["428"].is_object(), "{method} {path}");
                            required.push(format!("{method} {path}"));
                        } else {
                            optional += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(optional, 5, "every /v1 PATCH that honours If-Match when sent");
        // Graph's changes and the role catalogue's require it: without it, 428.
        assert!(
            required
                .iter()
                .all(|r| r.contains("/v1.0/") || r.contains("/v1/roles/")),
            "{required:?}"
        );
        assert_eq!(required.len(), 5, "{required:?}");
        let op = api.token(&api.t.operator.clone()).await;
        let uri = format!("/v1/offers/{}", api.t.offer.id);
        let reply = api
            .send(
                Method::PATCH,
                &uri,
                Some(&op),
                &[("If-Match", "null")],
                Some(json!({"name": "Renamed"})),
            )
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        assert_eq!(reply.json["errorName"], "etag_mismatch");
        let offer = api.get(&uri, &op).await;
        assert_eq!(offer.json["name"], api.t.offer.name.as_str(), "the offer kept its name");
    }
}

#[tokio::test]
async fn a_request_id_reused_on_another_path_is_a_documented_409() {
    for api in apis().await {
        let doc = document(&api).await;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            if let Some(post) = item.get("post").filter(|_| path.starts_with("/v1/")) {
                let conflict = post["responses"]["409"]["description"].as_str().unwrap_or_default();
                assert!(conflict.contains("MS-RequestId"), "POST {path}: {conflict:?}");
            }
        }
        let partner = api.t.partner(PartnerType::Direct).await;
        let p = api.token(&partner.admin).await;
        let id = [("MS-RequestId", "0190a5b2-0000-7000-8000-0000000c0ffe")];
        api.send(
            Method::POST,
            "/v1/me/tokens",
            Some(&p),
            &id,
            Some(json!({"name": "first"})),
        )
        .await
        .expect(StatusCode::CREATED);
        let other = format!("/v1/partners/{}/users", partner.id);
        api.send(
            Method::POST,
            &other,
            Some(&p),
            &id,
            Some(json!({"email": "u@reuse.example", "password": "long-enough-pass-1", "roles": ["global_admin"]})),
        )
        .await
        .expect(StatusCode::CONFLICT);
        let users = api.get(&other, &p).await;
        assert_eq!(users.json["totalCount"], 1, "no user was added");
    }
}
