//! `/v1/customers`: list, pages, search, CSV export, create, read, relationship requests.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::{apis, redacted, url_encode};

#[tokio::test]
async fn listing_customers_shows_the_partners_customers_as_a_collection() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let token = api.token(&partner.admin).await;
        let reply = api.get("/v1/customers", &token).await;
        // Each item is the customer as read by its id, less its ETag and DAP flag.
        let mut read = api.get(&format!("/v1/customers/{}", customer.id), &token).await.json;
        for (object, key) in [("", "allowDelegatedAccess"), ("/attributes", "etag")] {
            let removed = read.pointer_mut(object).and_then(|o| o.as_object_mut()?.remove(key));
            assert!(removed.is_some(), "the read has {object}/{key}");
        }
        assert_eq!(reply.json["items"], json!([read]));
        let mut seen = reply.snap();
        seen["body"]["items"] = json!(["[the customer as read by its id]"]);
        insta::allow_duplicates! { insta::assert_json_snapshot!(seen, @r#"
        {
          "body": {
            "attributes": {
              "objectType": "Collection"
            },
            "items": [
              "[the customer as read by its id]"
            ],
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/customers?size=100"
              }
            },
            "totalCount": 1
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn paging_follows_links_next_verbatim_across_three_pages_with_no_gaps() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let mut expected = BTreeSet::new();
        for _ in 0..5 {
            expected.insert(api.t.customer_of(&partner).await.id.to_string());
        }
        let token = api.token(&partner.admin).await;
        let (seen, pages, total) = every_page(&api, "/v1/customers?size=2", &token).await;
        assert_eq!(total, 5);
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 5, "no item twice");
        assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), expected);
    }
}

#[tokio::test]
async fn a_company_name_filter_finds_the_customer() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        create_named(&api, &token, "Zebra Ltd", "zebra.example").await;
        api.t.customer_of(&partner).await;
        let uri = format!("{}&size=0", filtered("CompanyName", "zeb"));
        let reply = api.get(&uri, &token).await.expect(StatusCode::OK);
        assert_eq!(reply.json["totalCount"], 1);
        assert_eq!(reply.json["items"][0]["companyProfile"]["companyName"], "Zebra Ltd");
    }
}

#[tokio::test]
async fn a_filter_with_a_control_character_is_refused_and_any_script_is_still_found() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        for (name, domain) in [
            ("ООО «Ромашка»", "romashka.example"),
            ("Daisy 🌼 Florist", "daisy.example"),
        ] {
            create_named(&api, &token, name, domain).await;
        }
        api.t.customer_of(&partner).await;
        for value in ["\u{0}", "daisy\u{0}", "a\u{1}b", "\tdaisy\nflorist"] {
            let uri = filtered("CompanyName", value);
            for accept in ["application/json", "text/csv"] {
                let reply = api.get_with(&uri, &token, &[("accept", accept)]).await;
                assert_eq!(
                    reply.status,
                    StatusCode::BAD_REQUEST,
                    "{value:?} {accept}: {}",
                    reply.json
                );
                assert_eq!(reply.json["errorName"], "invalid_property", "{value:?} {accept}");
                assert_eq!(reply.json["code"], 3000);
                assert_eq!(reply.json["data"]["property"], "filter.Value");
                assert_eq!(reply.json["source"], "partnerdesk");
            }
        }
        for (value, found) in [("ооо «ромаш", "ООО «Ромашка»"), ("DAISY 🌼", "Daisy 🌼 Florist")]
        {
            let reply = api.get(&filtered("CompanyName", value), &token).await;
            assert_eq!(reply.status, StatusCode::OK, "{value}: {}", reply.json);
            assert_eq!(reply.json["totalCount"], 1, "{value}");
            assert_eq!(reply.json["items"][0]["companyProfile"]["companyName"], found);
            let text = api.csv(&filtered("CompanyName", value), &token).await;
            assert_eq!(text.lines().count(), 2, "{text}");
            assert!(text.contains(found), "{text}");
        }
    }
}

/// Creates a customer through the API; its id.
async fn create_named(api: &crate::support::Api, token: &str, name: &str, domain: &str) -> String {
    let created = api
        .post(
            "/v1/customers",
            token,
            json!({"companyProfile": {"domain": domain}, "billingProfile": {"email": format!("b@{domain}"), "companyName": name, "defaultAddress": {"country": "US"}}}),
        )
        .await.expect(StatusCode::CREATED);
    created.str("/id")
}

/// `GET /v1/customers` with a `filter` on `field`.
fn filtered(field: &str, value: &str) -> String {
    let f = json!({"Field": field, "Value": value, "Operator": "starts_with"}).to_string();
    format!("/v1/customers?filter={}", url_encode(&f))
}

/// The company names of a page, sorted.
fn names(reply: &crate::support::Reply) -> Vec<String> {
    let mut names: Vec<String> = reply.json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            c["companyProfile"]["companyName"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_company_name_filter_matches_the_start_of_the_name_in_any_case_and_script() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        for (name, domain) in [
            ("ООО Ромашка", "ooo-romashka.example"),
            ("Ромашка Трейд", "romashka-trade.example"),
            ("Οδοστρωτήρας ΑΕ", "odos.example"),
            ("Élan Vital", "elan.example"),
        ] {
            create_named(&api, &token, name, domain).await;
        }
        for (value, found) in [
            // A substring search would give both Ромашки.
            ("РОМАШКА", vec!["Ромашка Трейд"]),
            ("ооо р", vec!["ООО Ромашка"]),
            ("ΟΔΟΣ", vec!["Οδοστρωτήρας ΑΕ"]),
            ("éLAN", vec!["Élan Vital"]),
            ("Трейд", vec![]),
            ("romashka", vec![]),
        ] {
            let reply = api.get(&filtered("CompanyName", value), &token).await;
            assert_eq!(reply.status, StatusCode::OK, "{value}: {}", reply.json);
            assert_eq!(names(&reply), found, "{value}");
            assert_eq!(reply.json["totalCount"], found.len(), "{value}");
            // The CSV export of the same filter has the same customers.
            let text = api.csv(&filtered("CompanyName", value), &token).await;
            assert_eq!(text.lines().count(), 1 + found.len(), "{value}: {text}");
        }
    }
}

#[tokio::test]
async fn a_domain_filter_matches_the_start_of_the_domain() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        create_named(&api, &token, "Contoso", "contoso.example").await;
        create_named(&api, &token, "Contoso Russia", "contoso-ru.example").await;
        create_named(&api, &token, "Contoso Fabrikam", "fabrikam.example").await;
        for (value, found) in [
            ("CONTOSO", vec!["Contoso", "Contoso Russia"]),
            ("contoso-ru.", vec!["Contoso Russia"]),
            ("fabrikam.EXAMPLE", vec!["Contoso Fabrikam"]),
            ("example", vec![]),
        ] {
            let reply = api.get(&filtered("Domain", value), &token).await;
            assert_eq!(reply.status, StatusCode::OK, "{value}: {}", reply.json);
            assert_eq!(names(&reply), found, "{value}");
            assert_eq!(reply.json["totalCount"], found.len(), "{value}");
        }
    }
}

/// Follows `links.next` from `uri` to the end; every id seen, how many pages, and the
/// total every page gives.
async fn every_page(api: &crate::support::Api, uri: &str, token: &str) -> (Vec<String>, usize, serde_json::Value) {
    let pages = api.pages(uri, token).await;
    let total = pages[0].json["totalCount"].clone();
    let mut seen = Vec::new();
    for page in &pages {
        assert_eq!(page.json["totalCount"], total, "every page counts all");
        seen.extend(
            page.json["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["id"].as_str().unwrap_or_default().to_string()),
        );
    }
    (seen, pages.len(), total)
}

#[tokio::test]
async fn an_indirect_reseller_filter_lists_the_customers_served_through_that_reseller_page_by_page() {
    for api in apis().await {
        let provider = api.t.partner(PartnerType::IndirectProvider).await;
        let first = api
            .t
            .partner_under(PartnerType::IndirectReseller, Some(provider.id))
            .await;
        let second = api
            .t
            .partner_under(PartnerType::IndirectReseller, Some(provider.id))
            .await;
        let mut through_first = BTreeSet::new();
        for _ in 0..5 {
            through_first.insert(api.t.customer_with(&provider, Some(first.id)).await.id.to_string());
        }
        let through_second = api.t.customer_with(&provider, Some(second.id)).await.id.to_string();
        api.t.customer_of(&provider).await;
        let token = api.token(&provider.admin).await;

        let uri = format!("{}&size=2", filtered("IndirectReseller", &first.id.to_string()));
        let (seen, pages, total) = every_page(&api, &uri, &token).await;
        assert_eq!((pages, total), (3, json!(5)), "{seen:?}");
        assert_eq!(seen.len(), 5, "no customer twice");
        assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), through_first);

        // Partner Center's habit: the id in any case.
        let upper = filtered("IndirectReseller", &second.id.to_string().to_uppercase());
        let (seen, _, total) = every_page(&api, &upper, &token).await;
        assert_eq!((seen, total), (vec![through_second], json!(1)));
    }
}

#[tokio::test]
async fn an_indirect_reseller_filter_shows_another_provider_nothing_even_of_a_customer_they_share() {
    for api in apis().await {
        let provider = api.t.partner(PartnerType::IndirectProvider).await;
        let reseller = api
            .t
            .partner_under(PartnerType::IndirectReseller, Some(provider.id))
            .await;
        let shared = api.t.customer_with(&provider, Some(reseller.id)).await;
        api.t.customer_with(&provider, Some(reseller.id)).await;

        // Another provider works with one of those customers too, and has a reseller of its own.
        let other = api.t.partner(PartnerType::IndirectProvider).await;
        let own = api.t.partner_under(PartnerType::IndirectReseller, Some(other.id)).await;
        api.t.customer_with(&other, Some(own.id)).await;
        let request = api
            .t
            .app
            .create_relationship_request(&other.admin, false)
            .await
            .expect("request");
        api.t
            .app
            .accept_relationship_request(&shared.admin, &request.token)
            .await
            .expect("accept");
        let token = api.token(&other.admin).await;
        assert_eq!(api.get("/v1/customers", &token).await.json["totalCount"], 2);

        let reply = api
            .get(&filtered("IndirectReseller", &reseller.id.to_string()), &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply.json["totalCount"], 0);
        assert_eq!(reply.json["items"], json!([]));
        assert!(reply.json["links"].get("next").is_none());
        let text = api
            .csv(&filtered("IndirectReseller", &reseller.id.to_string()), &token)
            .await;
        assert_eq!(text.lines().count(), 1, "the header alone: {text}");

        // The reseller itself is no provider of anyone: nothing either.
        let token = api.token(&reseller.admin).await;
        let reply = api
            .get(&filtered("IndirectReseller", &reseller.id.to_string()), &token)
            .await;
        assert_eq!(
            (reply.status, reply.json["totalCount"].clone()),
            (StatusCode::OK, json!(0))
        );
    }
}

#[tokio::test]
async fn an_indirect_reseller_filter_that_is_not_an_id_is_refused_naming_the_value() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::IndirectProvider).await;
        let token = api.token(&partner.admin).await;
        let reply = api.get(&filtered("IndirectReseller", "x"), &token).await;
        reply.assert_error_with(
            StatusCode::BAD_REQUEST,
            3000,
            "invalid_property",
            "Invalid property filter.Value: must be a UUID",
            json!({"property": "filter.Value", "reason": "must be a UUID"}),
        );
    }
}

#[tokio::test]
async fn the_csv_export_streams_a_bom_and_one_row_per_customer() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        for _ in 0..3 {
            api.t.customer_of(&partner).await;
        }
        let token = api.token(&partner.admin).await;
        let reply = api
            .get_with("/v1/customers", &token, &[("accept", "text/csv")])
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            reply.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("text/csv; charset=utf-8")
        );
        assert_eq!(&reply.bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(reply.bytes[3..].to_vec()).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id,companyName,domain,country,culture");
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[1..].iter().all(|l| l.ends_with(",US,en-US")), "{text}");
    }
}

#[tokio::test]
async fn creating_a_customer_answers_201_with_the_first_admins_credentials() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let reply = api
            .post(
                "/v1/customers",
                &token,
                json!({
                    "Id": null,
                    "CompanyProfile": {"Domain": "contoso.example", "CompanyName": null},
                    "BillingProfile": {
                        "Email": "billing@contoso.example", "Culture": "ru-RU", "CompanyName": "Contoso",
                        "FirstName": "Anna", "LastName": "Petrova",
                        "DefaultAddress": {"Country": "RU", "AddressLine1": "Tverskaya 1", "City": "Moscow"}
                    },
                    "Attributes": {"ObjectType": "Customer"}
                }),
            )
            .await
            .expect(StatusCode::CREATED);
        // The answer is the customer as read by its id afterwards (without its ETag, as
        // the list gives it), with the first admin's credentials.
        let mut read = api
            .get(&format!("/v1/customers/{}", reply.str("/id")), &token)
            .await
            .json;
        read["attributes"]
            .as_object_mut()
            .and_then(|a| a.remove("etag"))
            .expect("an ETag");
        let mut answered = reply.json.clone();
        let credentials = answered.as_object_mut().and_then(|c| c.remove("userCredentials"));
        assert_eq!(answered, read);
        let billing = &read["billingProfile"];
        assert_eq!(
            (&billing["companyName"], &billing["culture"], &billing["firstName"]),
            (&json!("Contoso"), &json!("ru-RU"), &json!("Anna"))
        );
        let seen = redacted(&json!({"status": reply.status.as_u16(), "userCredentials": credentials}));
        insta::allow_duplicates! { insta::assert_json_snapshot!(seen, @r#"
        {
          "status": 201,
          "userCredentials": {
            "password": "[password]",
            "userName": "admin@contoso.example"
          }
        }
        "#) }
    }
}

#[tokio::test]
async fn a_malformed_customer_names_the_property() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let reply = api
            .post(
                "/v1/customers",
                &token,
                json!({"companyProfile": {"domain": "no_dots"}, "billingProfile": {"email": "a@b.example", "companyName": "X", "defaultAddress": {"country": "US"}}}),
            )
            .await;
        reply.assert_error_with(
            StatusCode::BAD_REQUEST,
            3000,
            "invalid_property",
            "Invalid property domain: must have at least two labels, like contoso.example",
            json!({"property": "domain", "reason": "must have at least two labels, like contoso.example"}),
        );
        let wrong_type = api
            .post("/v1/customers", &token, json!({"companyProfile": {"domain": 5}}))
            .await;
        wrong_type.assert_error_with(
            StatusCode::BAD_REQUEST,
            3000,
            "invalid_property",
            "Invalid property companyProfile.domain: invalid type: integer `5`, expected a string",
            json!({"property": "companyProfile.domain", "reason": "invalid type: integer `5`, expected a string"}),
        );
    }
}

#[tokio::test]
async fn a_customer_read_by_id_says_whether_delegated_access_is_allowed() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let reply = api.get(&format!("/v1/customers/{}", customer.id), &token).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(reply.snap(), @r#"
        {
          "body": {
            "allowDelegatedAccess": false,
            "attributes": {
              "etag": "\"1\"",
              "objectType": "Customer"
            },
            "billingProfile": {
              "attributes": {
                "etag": "\"1\"",
                "objectType": "CustomerBillingProfile"
              },
              "companyName": "Customer 1",
              "culture": "en-US",
              "defaultAddress": {
                "country": "US"
              },
              "email": "billing@customer1.example",
              "firstName": "Ann",
              "language": "en",
              "lastName": "Buyer"
            },
            "companyProfile": {
              "attributes": {
                "objectType": "CustomerCompanyProfile"
              },
              "companyName": "Customer 1",
              "domain": "customer1.example",
              "links": {
                "self": {
                  "headers": [],
                  "method": "GET",
                  "uri": "/v1/customers/[uuid]/profiles/company"
                }
              },
              "tenantId": "[uuid]"
            },
            "id": "[uuid]",
            "links": {
              "self": {
                "headers": [],
                "method": "GET",
                "uri": "/v1/customers/[uuid]"
              }
            },
            "relationshipToPartner": "reseller"
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn a_partner_that_never_worked_with_the_customer_gets_not_found() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let stranger = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let token = api.token(&stranger.admin).await;
        let reply = api.get(&format!("/v1/customers/{}", customer.id), &token).await;
        reply.assert_error(
            StatusCode::NOT_FOUND,
            1000,
            "not_found",
            "Not found: no customer with that id is visible to you.",
        );
        let malformed = api.get("/v1/customers/not-a-uuid", &token).await;
        assert_eq!(malformed.json, reply.json);
    }
}

#[tokio::test]
async fn a_malformed_id_is_not_found_before_the_body_is_read() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        for (method, uri) in [
            (Method::PATCH, "/v1/customers/not-a-uuid"),
            (Method::POST, "/v1/customers/not-a-uuid/orders"),
            (Method::POST, "/v1/customers/not-a-uuid/subscriptions/bulk"),
        ] {
            let reply = api.send_raw(method, uri, &token, "{").await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {}", reply.json);
            assert_eq!(
                reply.json["description"], "Not found: no customer with that id is visible to you.",
                "{uri}"
            );
        }
    }
}

#[tokio::test]
async fn a_malformed_second_id_is_answered_like_an_unknown_one() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let unknown = "0192f0c1-0000-7000-8000-000000000000";
        for (what, malformed_uri, unknown_uri) in [
            (
                "order",
                format!("/v1/customers/{}/orders/not-a-uuid", customer.id),
                format!("/v1/customers/{}/orders/{unknown}", customer.id),
            ),
            (
                "subscription",
                format!("/v1/customers/{}/subscriptions/not-a-uuid", customer.id),
                format!("/v1/customers/{}/subscriptions/{unknown}", customer.id),
            ),
        ] {
            let malformed = api.get(&malformed_uri, &token).await;
            let unknown = api.get(&unknown_uri, &token).await;
            assert_eq!(malformed.status, StatusCode::NOT_FOUND, "{what}: {}", malformed.json);
            assert_eq!(
                (malformed.status, &malformed.json["code"], &malformed.json["errorName"]),
                (unknown.status, &unknown.json["code"], &unknown.json["errorName"]),
                "{what}"
            );
        }
    }
}

#[tokio::test]
async fn a_bad_page_size_is_refused_naming_the_size_parameter() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        for (size, reason) in [
            ("", "must be a whole number"),
            ("ten", "must be a whole number"),
            ("-1", "must be a whole number"),
            ("99999999999", "is out of range"),
        ] {
            let reply = api.get(&format!("/v1/customers?size={size}"), &token).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{size}: {}", reply.json);
            assert_eq!(
                reply.json["data"],
                json!({"property": "size", "reason": reason}),
                "{size}"
            );
            assert_eq!(
                reply.json["description"],
                format!("Invalid property size: {reason}"),
                "{size}"
            );
        }
    }
}

/// Refusals of a path id, a malformed path id and a query parameter, in Russian.
const IN_RUSSIAN: [(&str, &str); 3] = [
    (
        "/v1/customers/00000000-0000-0000-0000-000000000000",
        "Не найдено: объект (клиент) с таким идентификатором вам недоступен.",
    ),
    (
        "/v1/customers/not-a-uuid",
        "Не найдено: объект (клиент) с таким идентификатором вам недоступен.",
    ),
    (
        "/v1/customers?size=ten",
        "Недопустимое значение свойства size: должно быть целым числом",
    ),
];

#[tokio::test]
async fn a_refusal_is_in_russian_for_x_locale_ru_or_a_caller_whose_locale_is_russian() {
    for api in apis().await {
        let english = api.t.partner(PartnerType::Direct).await;
        let english = api.token(&english.admin).await;
        let partner = api.t.partner(PartnerType::Direct).await;
        let admin = &partner.admin;
        let patch = partnerdesk_app::users::UserPatch {
            locale: Some("ru-RU".into()),
            ..Default::default()
        };
        api.t
            .app
            .update_user(admin, admin.org_id, admin.user_id, patch, None)
            .await
            .expect("locale");
        let russian = api.token(admin).await;
        for (uri, said) in IN_RUSSIAN {
            let asked = api.get_with(uri, &english, &[("X-Locale", "ru-RU")]).await;
            assert_eq!(asked.json["description"], said, "{uri} with X-Locale");
            let own = api.get(uri, &russian).await;
            assert_eq!(own.json["description"], said, "{uri} in the caller's locale");
            // X-Locale still comes first.
            let english = api.get_with(uri, &russian, &[("X-Locale", "en-US")]).await;
            assert_eq!(english.json["code"], own.json["code"], "{uri}");
            assert!(
                english.json["description"].as_str().is_some_and(|d| d.is_ascii()),
                "{uri}: {}",
                english.json
            );
        }
        let body = api.send_raw(Method::POST, "/v1/customers", &russian, "{").await;
        assert_eq!(body.status, StatusCode::BAD_REQUEST, "{}", body.json);
        assert!(
            body.json["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Недопустимое значение свойства body:")),
            "{}",
            body.json
        );
    }
}

#[tokio::test]
async fn a_relationship_request_gives_an_invitation_url() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let reply = api.get("/v1/customers/relationshiprequests?dap=true", &token).await;
        insta::allow_duplicates! { insta::assert_json_snapshot!(reply.snap(), @r#"
        {
          "body": {
            "attributes": {
              "objectType": "RelationshipRequest"
            },
            "expiresAt": "[time]",
            "id": "[uuid]",
            "includesDelegatedAdmin": true,
            "url": "http://127.0.0.1:8080/invitations/[token]"
          },
          "status": 200
        }
        "#) }
    }
}

#[tokio::test]
async fn the_relationship_request_link_is_the_same_until_it_is_revoked_or_accepted() {
    for api in apis().await {
        let b = api.t.app.backend_name();
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let link = |dap: bool| {
            let (api, token) = (&api, &token);
            async move {
                let reply = api
                    .get(&format!("/v1/customers/relationshiprequests?dap={dap}"), token)
                    .await
                    .expect(StatusCode::OK);
                (reply.str("/id"), reply.str("/url"))
            }
        };
        let pending = || async {
            api.t
                .app
                .list_relationship_requests(&partner.admin)
                .await
                .expect("requests")
                .into_iter()
                .filter(|r| r.state == partnerdesk_domain::request::RequestState::Pending)
                .count()
        };
        let (first, at_once) = tokio::join!(link(true), link(true));
        assert_eq!(at_once, first, "{b}: two GETs at once give one link");
        assert_eq!(link(true).await, first, "{b}: a later GET gives the same link");
        assert_eq!(pending().await, 1, "{b}: and makes no second invitation");
        let plain = link(false).await;
        assert_ne!(plain, first, "{b}: each kind has its own link");
        assert_eq!(pending().await, 2, "{b}");

        // Revoked: the next GET makes a new link.
        let id = first.0.parse().expect("a request id");
        api.t
            .app
            .revoke_relationship_request(&partner.admin, id)
            .await
            .expect("revoke");
        let renewed = link(true).await;
        assert_ne!(renewed, first, "{b}: a new link after revocation");
        assert_eq!(link(true).await, renewed, "{b}");

        // Accepted: the link is used, the next GET makes a new one.
        let invitation = plain.1.rsplit('/').next().expect("a token").to_string();
        let newcomer = api.t.customer_of(&api.t.partner(PartnerType::Direct).await).await;
        api.t
            .app
            .accept_relationship_request(&newcomer.admin, &invitation)
            .await
            .expect("accept");
        assert_ne!(link(false).await, plain, "{b}: a new link once the old one is used");
    }
}

#[tokio::test]
async fn accepting_an_invitation_again_or_while_the_relationship_is_active_answers_3102() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_alone().await;
        let p = api.token(&partner.admin).await;
        let c = api.token(&customer.admin).await;
        let link = |reply: crate::support::Reply| reply.str("/url").rsplit('/').next().unwrap_or_default().to_string();
        let first = link(api.get("/v1/customers/relationshiprequests", &p).await);
        let accept = |token: &str| format!("/v1/invitations/{token}/accept");
        api.post(&accept(&first), &c, json!({})).await.expect(StatusCode::OK);

        // The same link again.
        let again = api.post(&accept(&first), &c, json!({})).await;
        again.assert_error(
            StatusCode::CONFLICT,
            3102,
            "relationship_already_active",
            "A reseller relationship with this partner is already active.",
        );

        // Another link of the same partner, while the relationship is active; in Russian.
        let second = link(api.get("/v1/customers/relationshiprequests", &p).await);
        let reply = api
            .send(
                Method::POST,
                &accept(&second),
                Some(&c),
                &[("X-Locale", "ru-RU")],
                Some(json!({})),
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(reply.json["code"], 3102);
        assert_eq!(reply.json["errorName"], "relationship_already_active");
        assert_eq!(
            reply.json["description"],
            "Отношения реселлера с этим партнёром уже активны."
        );
        let list = api.get("/v1/customers", &p).await;
        assert_eq!(list.json["totalCount"], 1, "one relationship, still");
    }
}

#[tokio::test]
async fn a_sales_agent_may_not_take_up_delegated_admin() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let agent = api.t.user_with_role(&partner.admin, "sales_agent").await;
        let token = api.token(&agent).await;
        let reply = api
            .patch(
                &format!("/v1/customers/{}", customer.id),
                &token,
                json!({"AllowDelegatedAccess": true, "Attributes": {"ObjectType": "Customer"}}),
            )
            .await;
        reply.assert_error(
            StatusCode::FORBIDDEN,
            2032,
            "forbidden_role",
            "Your role may not manage delegated admin rights.",
        );
    }
}

#[tokio::test]
async fn removal_with_a_stale_etag_is_refused_and_changes_nothing() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let uri = format!("/v1/customers/{}", customer.id);
        let read = api.get(&uri, &token).await;
        let etag = read
            .headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .expect("a partner's customer has an ETag")
            .to_string();
        assert_eq!(read.json["attributes"]["etag"], etag.as_str());

        let stale = api
            .send(
                Method::PATCH,
                &uri,
                Some(&token),
                &[("If-Match", "\"999\"")],
                Some(json!({"relationshipToPartner": "none"})),
            )
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.json["errorName"], "etag_mismatch");
        let still = api.get(&uri, &token).await;
        assert_eq!(still.json["relationshipToPartner"], "reseller");

        let removed = api
            .send(
                Method::PATCH,
                &uri,
                Some(&token),
                &[("If-Match", etag.as_str())],
                Some(json!({"relationshipToPartner": "none"})),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(removed.json["relationshipToPartner"], "none");
    }
}

/// A customer body for `domain`, with a billing e-mail of the caller's choosing.
fn new_customer(domain: &str) -> serde_json::Value {
    json!({
        "companyProfile": {"domain": domain, "companyName": "Lookalike"},
        "billingProfile": {"email": "billing@lookalike.example", "firstName": "Ivan", "lastName": "Orlov",
                           "defaultAddress": {"country": "US"}}
    })
}

#[tokio::test]
async fn a_domain_another_partners_customer_uses_is_refused_without_naming_anyone() {
    for api in apis().await {
        let first = api.t.partner(PartnerType::Direct).await;
        let existing = api.t.customer_of(&first).await;
        let first_token = api.token(&first.admin).await;
        let seen = api.get(&format!("/v1/customers/{}", existing.id), &first_token).await;
        let domain = seen.json["companyProfile"]["domain"]
            .as_str()
            .expect("domain")
            .to_string();
        let name = seen.json["companyProfile"]["companyName"]
            .as_str()
            .expect("name")
            .to_string();

        let other = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&other.admin).await;
        // The same domain in other letters is the same domain.
        let reply = api
            .post("/v1/customers", &token, new_customer(&domain.to_uppercase()))
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(reply.json["errorName"], "already_in_use");
        assert_eq!(reply.json["data"]["property"], "domain");
        let text = reply.json.to_string();
        assert!(text.contains(&domain), "says which domain: {text}");
        for secret in ["admin@", name.as_str(), &existing.id.to_string(), &first.id.to_string()] {
            assert!(
                !text.contains(secret),
                "{}: the refusal reveals {secret}: {text}",
                api.t.db.backend
            );
        }
        let listed = api.get("/v1/customers", &token).await;
        assert_eq!(listed.json["totalCount"], 0, "nothing was created");

        // A domain no customer has, whose admin address a user of another tenant already
        // has, is refused as the domain: the answer never names another tenant's user.
        api.post(
            &format!("/v1/partners/{}/users", first.id),
            &first_token,
            json!({"email": "admin@quiet.example", "password": "long-enough-pass-1", "roles": ["sales_agent"]}),
        )
        .await
        .expect(StatusCode::CREATED);
        let reply = api
            .post("/v1/customers", &token, new_customer("quiet.example"))
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(reply.json["data"]["property"], "domain");
        assert!(!reply.json.to_string().contains("admin@"), "{}", reply.json);
        assert_eq!(api.get("/v1/customers", &token).await.json["totalCount"], 0);
    }
}

/// Every message in the mail outbox.
async fn outbox(api: &crate::support::Api) -> Vec<partnerdesk_domain::mail::Mail> {
    let mut tx = api.t.db.store.read().await.expect("read");
    let mail = tx.list_mail(1000).await.expect("mail");
    tx.rollback().await.expect("rollback");
    mail
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relationship_request_link_is_mailed_in_the_language_asked_for_with_an_audit_record() {
    for db in partnerdesk_testkit::backends().await {
        let server = partnerdesk_testkit::SmtpServer::start().await;
        let api = crate::support::Api::with_mail(db, &server.url()).await;
        let b = api.t.app.backend_name();
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let mail = "/v1/customers/relationshiprequests/mail";

        // Refused, and nothing queued: no address, no e-mail address, a language mail is
        // not written in.
        for (body, property) in [
            (json!({}), "email"),
            (json!({"email": "not an address"}), "email"),
            (json!({"email": "it@newcustomer.example", "language": "de"}), "language"),
        ] {
            let reply = api
                .post(mail, &token, body.clone())
                .await
                .expect(StatusCode::BAD_REQUEST);
            assert_eq!(reply.json["errorName"], "invalid_property", "{b}: {body}");
            assert!(reply.str("/description").contains(property), "{b}: {}", reply.json);
        }
        assert!(outbox(&api).await.is_empty(), "{b}: nothing queued");

        let body = json!({"Email": "it@newcustomer.example", "language": "ru", "dap": true});
        let once = [("MS-RequestId", "mail-the-link-1")];
        let reply = api
            .send(Method::POST, mail, Some(&token), &once, Some(body.clone()))
            .await
            .expect(StatusCode::ACCEPTED);
        // Sent again with the same id: the first answer, without the link, and no second mail.
        let repeat = api
            .send(Method::POST, mail, Some(&token), &once, Some(body))
            .await
            .expect(StatusCode::ACCEPTED);
        assert_eq!(repeat.json["url"], serde_json::Value::Null, "{b}");
        assert_eq!(repeat.json["id"], reply.json["id"], "{b}");
        assert!(repeat.str("/secretNotice").contains("first answer"), "{b}");
        assert_eq!(reply.json["includesDelegatedAdmin"], true, "{b}");
        let url = reply.str("/url");
        // The same open link as the GET gives.
        let link = api
            .get("/v1/customers/relationshiprequests?dap=true", &token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(link.str("/url"), url, "{b}");
        let queued = outbox(&api).await;
        assert_eq!(queued.len(), 1, "{b}");
        assert_eq!(
            (queued[0].recipient.as_str(), queued[0].lang.as_str()),
            ("it@newcustomer.example", "ru"),
            "{b}"
        );
        let records = {
            let mut tx = api.t.db.store.read().await.expect("read");
            let all = tx.list_audit(None, None, 10_000).await.expect("audit");
            tx.rollback().await.expect("rollback");
            all
        };
        let mailed: Vec<_> = records
            .iter()
            .filter(|r| r.operation == "mail_relationship_request")
            .collect();
        assert_eq!(mailed.len(), 1, "{b}: one audit record");
        assert_eq!(mailed[0].resource_type, "relationship_request", "{b}");
        assert_eq!(mailed[0].partner_id, Some(partner.id), "{b}");
        let after = mailed[0].after.as_deref().unwrap_or_default();
        assert!(
            after.contains("it@newcustomer.example") && after.contains("\"ru\""),
            "{b}: {after}"
        );

        api.t.app.send_mail().await.expect("send");
        let got = server.received_by("it@newcustomer.example");
        assert_eq!(got.len(), 1, "{b}");
        assert!(got[0].text().contains(&url), "{b}: the link");
        assert!(
            got[0].subject().chars().any(|c| ('а'..='я').contains(&c)),
            "{b}: in Russian: {}",
            got[0].subject()
        );

        // A customer may not.
        let customer = api.t.customer_of(&partner).await;
        let theirs = api.token(&customer.admin).await;
        let reply = api
            .post(mail, &theirs, json!({"email": "it@newcustomer.example"}))
            .await
            .expect(StatusCode::FORBIDDEN);
        assert_eq!(reply.json["errorName"], "forbidden_role", "{b}");
    }
}

#[tokio::test]
async fn mailing_a_relationship_request_with_e_mail_off_says_so_and_changes_nothing() {
    for api in apis().await {
        let b = api.t.app.backend_name();
        let partner = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&partner.admin).await;
        let reply = api
            .post(
                "/v1/customers/relationshiprequests/mail",
                &token,
                json!({"email": "it@newcustomer.example"}),
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(reply.json["errorName"], "mail_off", "{b}");
        assert!(
            reply.str("/description").contains("E-mail is off"),
            "{b}: {}",
            reply.json
        );
        let requests = api
            .t
            .app
            .list_relationship_requests(&partner.admin)
            .await
            .expect("requests");
        assert!(requests.is_empty(), "{b}: no link made");
        assert!(outbox(&api).await.is_empty(), "{b}");
    }
}
