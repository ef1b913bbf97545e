//! `delegatedAdminRelationships`: create, read, list with paging, change and delete with
//! `If-Match`, the requests that move it through its statuses, access assignments,
//! operations and `delegatedAdminCustomers`.

use axum::http::{Method, StatusCode};
use partnerdesk_domain::org::PartnerType;
use serde_json::json;

use crate::support::apis;
use crate::{act, body, code, create, message, send, GLOBAL_READER, HELPDESK, PUBLIC_URL, RELS};

#[tokio::test]
async fn a_partner_creates_a_relationship_and_reads_it_with_its_etag() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let created = api
            .post(RELS, &token, body("Helpdesk", &customer.id.to_string(), &[HELPDESK]))
            .await
            .expect(StatusCode::CREATED);
        let id = created.str("/id");
        assert_eq!(
            created.headers["location"].to_str().expect("location"),
            format!("{PUBLIC_URL}{RELS}/{id}")
        );
        assert_eq!(created.json["status"], "created");
        assert_eq!(created.json["duration"], "P730D");
        assert_eq!(created.json["autoExtendDuration"], "PT0S");
        assert_eq!(created.json["customer"]["tenantId"], customer.id.to_string());
        assert_eq!(
            created.json["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
            HELPDESK
        );
        assert_eq!(
            created.json["@odata.context"],
            format!("{PUBLIC_URL}/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships/$entity")
        );
        let etag = created.str("/@odata.etag");
        assert!(etag.starts_with("W/\""), "{etag}");
        assert_eq!(created.headers["etag"].to_str().expect("etag"), etag);

        let read = api.get(&format!("{RELS}/{id}"), &token).await.expect(StatusCode::OK);
        assert_eq!(read.json["displayName"], "Helpdesk");
        assert_eq!(read.str("/@odata.etag"), etag);
        assert!(read.json["activatedDateTime"].is_null());
        assert!(read.json["endDateTime"].is_null());
    }
}

#[tokio::test]
async fn bad_input_is_refused_in_graphs_envelope_and_nothing_is_created() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let cid = customer.id.to_string();
        let token = api.token(&partner.admin).await;
        create(&api, &token, "Taken", &cid, &[HELPDESK]).await;

        let mut not_iso = body("Timedelta", &cid, &[HELPDESK]);
        not_iso["duration"] = json!("730 days, 0:00:00");
        let mut too_long = body("Too long", &cid, &[HELPDESK]);
        too_long["duration"] = json!("P731D");
        let mut bad_extend = body("Extend", &cid, &[HELPDESK]);
        bad_extend["autoExtendDuration"] = json!("P90D");
        let mut no_roles = body("No roles", &cid, &[]);
        no_roles.as_object_mut().expect("object").remove("accessDetails");
        let cases = [
            (not_iso, StatusCode::BAD_REQUEST, "duration"),
            (too_long, StatusCode::BAD_REQUEST, "duration"),
            (bad_extend, StatusCode::BAD_REQUEST, "autoExtendDuration"),
            (
                body(&"x".repeat(51), &cid, &[HELPDESK]),
                StatusCode::BAD_REQUEST,
                "displayName",
            ),
            (
                body("Unknown role", &cid, &["00000000-0000-0000-0000-000000000001"]),
                StatusCode::BAD_REQUEST,
                "role",
            ),
            (no_roles, StatusCode::BAD_REQUEST, "accessDetails"),
            (body("Taken", &cid, &[HELPDESK]), StatusCode::CONFLICT, "display name"),
            (
                body("Bad customer", "not-a-uuid", &[HELPDESK]),
                StatusCode::BAD_REQUEST,
                "customer.tenantId",
            ),
        ];
        for (bad, status, named) in cases {
            let reply = api.post(RELS, &token, bad.clone()).await;
            assert_eq!(reply.status, status, "{bad}: {:?}", reply.json);
            assert!(!code(&reply).is_empty(), "{:?}", reply.json);
            assert!(message(&reply).contains(named), "{bad}: {}", message(&reply));
            let inner = &reply.json["error"]["innerError"];
            assert!(inner["request-id"].as_str().is_some_and(|s| !s.is_empty()), "{inner}");
            assert!(inner["date"].as_str().is_some(), "{inner}");
        }
        let listed = api.get(RELS, &token).await;
        assert_eq!(listed.json["value"].as_array().expect("value").len(), 1);

        // The platform's answers too: no token, a body over the limit, an unknown path.
        let anonymous = api
            .send(Method::GET, RELS, None, &[], None)
            .await
            .expect(StatusCode::UNAUTHORIZED);
        assert_eq!(code(&anonymous), "unauthenticated");
        let huge = format!("{{\"displayName\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let too_large = api
            .send_raw(Method::POST, RELS, &token, &huge)
            .await
            .expect(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(code(&too_large), "payload_too_large");
        let nowhere = api
            .get("/v1.0/tenantRelationships/nothingHere", &token)
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_eq!(code(&nowhere), "route_not_found");

        // The caller's language, in the same envelope.
        let reply = send(
            &api,
            Method::POST,
            RELS,
            &token,
            &[("X-Locale", "ru-RU")],
            Some(body("Taken", &cid, &[HELPDESK])),
        )
        .await
        .expect(StatusCode::CONFLICT);
        assert!(
            message(&reply).chars().any(|c| ('а'..='я').contains(&c)),
            "{}",
            message(&reply)
        );
    }
}

#[tokio::test]
async fn a_list_is_paged_with_absolute_next_links_followed_to_the_end() {
    for api in apis().await {
        let partner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&partner).await;
        let cid = customer.id.to_string();
        let token = api.token(&partner.admin).await;
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(create(&api, &token, &format!("Page {n}"), &cid, &[HELPDESK]).await.0);
        }
        // Another partner's relationships never show.
        let other = api.t.partner(PartnerType::Direct).await;
        let other_customer = api.t.customer_of(&other).await;
        let other_token = api.token(&other.admin).await;
        create(
            &api,
            &other_token,
            "Not yours",
            &other_customer.id.to_string(),
            &[HELPDESK],
        )
        .await;

        let mut seen = Vec::new();
        let mut pages = 0;
        let mut uri = format!("{RELS}?$top=2&$count=true");
        loop {
            let page = api.get(&uri, &token).await;
            assert_eq!(page.status, StatusCode::OK, "{uri}: {:?}", page.json);
            assert_eq!(page.json["@odata.count"], 5);
            pages += 1;
            let items = page.json["value"].as_array().expect("value");
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|r| r["id"].as_str().expect("id").to_string()));
            match page.json["@odata.nextLink"].as_str() {
                Some(next) => {
                    uri = next
                        .strip_prefix(PUBLIC_URL)
                        .expect("absolute, from the public URL")
                        .to_string();
                }
                None => break,
            }
        }
        assert_eq!(pages, 3);
        seen.sort();
        ids.sort();
        assert_eq!(seen, ids);

        let count = api.get(&format!("{RELS}/$count"), &token).await;
        assert_eq!(String::from_utf8_lossy(&count.bytes), "5");
        let paged_count = api
            .get(&format!("{RELS}/$count?$top=2"), &token)
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert!(message(&paged_count).contains("$top"), "{}", message(&paged_count));
        let filtered = api
            .get(&format!("{RELS}/$count?$filter=status%20eq%20'active'"), &token)
            .await;
        assert_eq!(String::from_utf8_lossy(&filtered.bytes), "0");
        let by_customer = api
            .get(
                &format!("{RELS}?$filter=customer/tenantId%20eq%20'{cid}'%20and%20status%20eq%20'created'"),
                &token,
            )
            .await;
        assert_eq!(by_customer.json["value"].as_array().expect("value").len(), 5);

        for (bad, named) in [
            ("$top=301", "$top"),
            ("$top=0", "$top"),
            ("$filter=displayName%20eq%20'x'", "$filter"),
            ("$filter=status%20eq%20'sleeping'", "$filter"),
            ("$orderby=displayName", "$orderby"),
            ("$skipToken=garbage!", "$skipToken"),
        ] {
            let reply = api.get(&format!("{RELS}?{bad}"), &token).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(code(&reply), "invalid_property", "{bad}");
            assert!(message(&reply).contains(named), "{bad}: {}", message(&reply));
        }
    }
}

#[tokio::test]
async fn a_change_needs_if_match_in_any_header_case_and_a_stale_one_is_refused() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let (id, etag) = create(&api, &token, "Before", &customer.id.to_string(), &[HELPDESK]).await;
        let uri = format!("{RELS}/{id}");
        let rename = json!({"displayName": "After"});

        let missing = send(&api, Method::PATCH, &uri, &token, &[], Some(rename.clone()))
            .await
            .expect(StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(code(&missing), "if_match_required");
        assert!(message(&missing).contains("If-Match"), "{}", message(&missing));

        let patched = send(
            &api,
            Method::PATCH,
            &uri,
            &token,
            &[("if-match", &etag)],
            Some(rename.clone()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(patched.json["displayName"], "After");
        let newer = patched.str("/@odata.etag");
        assert_ne!(newer, etag);

        let stale = send(
            &api,
            Method::PATCH,
            &uri,
            &token,
            &[("IF-MATCH", &etag)],
            Some(json!({"displayName": "Lost"})),
        )
        .await
        .expect(StatusCode::PRECONDITION_FAILED);
        assert_eq!(code(&stale), "etag_mismatch");
        assert_eq!(api.get(&uri, &token).await.json["displayName"], "After");

        send(&api, Method::DELETE, &uri, &token, &[], None)
            .await
            .expect(StatusCode::PRECONDITION_REQUIRED);
        send(&api, Method::DELETE, &uri, &token, &[("If-Match", &etag)], None)
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        send(&api, Method::DELETE, &uri, &token, &[("If-Match", &newer)], None)
            .await
            .expect(StatusCode::NO_CONTENT);
        let gone = api.get(&uri, &token).await.expect(StatusCode::NOT_FOUND);
        assert_eq!(code(&gone), "not_found");
    }
}

#[tokio::test]
async fn the_partner_locks_the_customer_approves_and_either_side_terminates() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let stranger = api.t.customer_of(&api.t.partner(PartnerType::Direct).await).await;
        let customer_token = api.token(&customer.admin).await;
        let stranger_token = api.token(&stranger.admin).await;
        let (id, _) = create(&api, &token, "Lifecycle", &customer.id.to_string(), &[HELPDESK]).await;

        let early = act(&api, &customer_token, &id, "approve").await;
        assert!(
            early.status.is_client_error(),
            "approving before the lock: {:?}",
            early.json
        );

        let locked = act(&api, &token, &id, "lockForApproval").await;
        assert_eq!(locked.status, StatusCode::CREATED, "{:?}", locked.json);
        assert_eq!(locked.json["action"], "lockForApproval");
        assert_eq!(
            api.get(&format!("{RELS}/{id}"), &token).await.json["status"],
            "approvalPending"
        );

        let by_partner = act(&api, &token, &id, "approve").await;
        assert_eq!(by_partner.status, StatusCode::FORBIDDEN, "{:?}", by_partner.json);
        let by_stranger = act(&api, &stranger_token, &id, "approve").await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&by_stranger.status),
            "{:?}",
            by_stranger.json
        );
        let bad_action = act(&api, &token, &id, "promote").await;
        assert_eq!(bad_action.status, StatusCode::BAD_REQUEST);
        assert!(message(&bad_action).contains("action"));

        let approved = act(&api, &customer_token, &id, "approve").await;
        assert_eq!(approved.status, StatusCode::CREATED, "{:?}", approved.json);
        let active = api.get(&format!("{RELS}/{id}"), &token).await;
        assert_eq!(active.json["status"], "active");
        assert!(active.json["activatedDateTime"].is_string());
        assert!(active.json["endDateTime"].is_string());
        // The customer's admin sees the relationship naming its tenant.
        api.get(&format!("{RELS}/{id}"), &customer_token)
            .await
            .expect(StatusCode::OK);

        // A role change on an active relationship is a long-running operation.
        let etag = active.str("/@odata.etag");
        let roles = json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}, {"roleDefinitionId": GLOBAL_READER}]}});
        let changed = send(
            &api,
            Method::PATCH,
            &format!("{RELS}/{id}"),
            &token,
            &[("If-Match", &etag)],
            Some(roles),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            changed.json["accessDetails"]["unifiedRoles"].as_array().map(Vec::len),
            Some(2)
        );
        let operations = api.get(&format!("{RELS}/{id}/operations"), &token).await;
        let operations = operations.json["value"].as_array().expect("value");
        assert_eq!(operations.len(), 1, "{operations:?}");
        assert_eq!(operations[0]["operationType"], "delegatedAdminRelationshipUpdate");

        let requests = api.get(&format!("{RELS}/{id}/requests"), &token).await;
        let actions: Vec<_> = requests.json["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|r| r["action"].as_str().expect("action").to_string())
            .collect();
        assert_eq!(actions, ["lockForApproval", "approve"]);

        let customers = api
            .get("/v1.0/tenantRelationships/delegatedAdminCustomers", &token)
            .await
            .expect(StatusCode::OK);
        let listed = customers.json["value"].as_array().expect("value");
        assert!(
            listed.iter().any(|c| c["tenantId"] == customer.id.to_string()),
            "{listed:?}"
        );
        api.get(
            &format!("/v1.0/tenantRelationships/delegatedAdminCustomers/{}", customer.id),
            &token,
        )
        .await
        .expect(StatusCode::OK);
        api.get(
            &format!("/v1.0/tenantRelationships/delegatedAdminCustomers/{}", stranger.id),
            &token,
        )
        .await
        .expect(StatusCode::NOT_FOUND);
        let services = api
            .get(
                &format!(
                    "/v1.0/tenantRelationships/delegatedAdminCustomers/{}/serviceManagementDetails",
                    customer.id
                ),
                &token,
            )
            .await
            .expect(StatusCode::OK);
        let urls: Vec<(&str, &str)> = services.json["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|s| {
                assert!(s["serviceName"].as_str().is_some_and(|n| !n.is_empty()), "{s}");
                (
                    s["id"].as_str().expect("id"),
                    s["serviceManagementUrl"].as_str().expect("url"),
                )
            })
            .collect();
        let c = customer.id;
        assert_eq!(
            urls,
            [
                ("account", format!("{PUBLIC_URL}/customers/{c}").as_str()),
                (
                    "subscriptions",
                    format!("{PUBLIC_URL}/customers/{c}/subscriptions").as_str()
                ),
                ("orders", format!("{PUBLIC_URL}/customers/{c}/orders").as_str()),
                ("gdap", format!("{PUBLIC_URL}/gdap?customer={c}").as_str()),
            ],
            "{:?}",
            services.json
        );
        assert!(
            services.json["@odata.context"]
                .as_str()
                .is_some_and(|c| c.ends_with("/serviceManagementDetails")),
            "{:?}",
            services.json
        );
        api.get(
            &format!(
                "/v1.0/tenantRelationships/delegatedAdminCustomers/{}/serviceManagementDetails",
                stranger.id
            ),
            &token,
        )
        .await
        .expect(StatusCode::NOT_FOUND);

        let ended = act(&api, &customer_token, &id, "terminate").await;
        assert_eq!(ended.status, StatusCode::CREATED, "{:?}", ended.json);
        assert_eq!(
            api.get(&format!("{RELS}/{id}"), &token).await.json["status"],
            "terminated"
        );
        let again = act(&api, &token, &id, "terminate").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.json);
    }
}

#[tokio::test]
async fn another_partners_relationship_is_not_found_whatever_is_asked() {
    for api in apis().await {
        let owner = api.t.partner(PartnerType::Direct).await;
        let customer = api.t.customer_of(&owner).await;
        let owner_token = api.token(&owner.admin).await;
        let (id, etag) = create(&api, &owner_token, "Private", &customer.id.to_string(), &[HELPDESK]).await;
        let other = api.t.partner(PartnerType::Direct).await;
        let token = api.token(&other.admin).await;
        let uri = format!("{RELS}/{id}");
        let if_match = [("If-Match", etag.as_str())];
        let tries = [
            send(&api, Method::GET, &uri, &token, &[], None).await,
            send(
                &api,
                Method::PATCH,
                &uri,
                &token,
                &if_match,
                Some(json!({"displayName": "Mine"})),
            )
            .await,
            send(&api, Method::DELETE, &uri, &token, &if_match, None).await,
            act(&api, &token, &id, "lockForApproval").await,
            api.get(&format!("{uri}/requests"), &token).await,
            api.get(&format!("{uri}/operations"), &token).await,
            api.get(&format!("{uri}/accessAssignments"), &token).await,
        ];
        for reply in tries {
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{:?}", reply.json);
            assert!(!String::from_utf8_lossy(&reply.bytes).contains("Private"));
        }
        let intact = api.get(&uri, &owner_token).await;
        assert_eq!(
            (intact.json["displayName"].as_str(), intact.json["status"].as_str()),
            (Some("Private"), Some("created"))
        );
        let unknown = api
            .get(&format!("{RELS}/not-an-id"), &token)
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_eq!(code(&unknown), "not_found");
    }
}

#[tokio::test]
async fn a_security_group_gets_a_subset_of_the_relationships_roles() {
    for api in apis().await {
        let (_, customer, token) = api.seller().await;
        let customer_token = api.token(&customer.admin).await;
        let (id, _) = create(
            &api,
            &token,
            "Assigned",
            &customer.id.to_string(),
            &[HELPDESK, GLOBAL_READER],
        )
        .await;
        assert_eq!(
            act(&api, &token, &id, "lockForApproval").await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            act(&api, &customer_token, &id, "approve").await.status,
            StatusCode::CREATED
        );
        let group = api
            .post("/v1/securityGroups", &token, json!({"displayName": "Tier 1"}))
            .await
            .expect(StatusCode::CREATED);
        let group_id = group.str("/id");
        let uri = format!("{RELS}/{id}/accessAssignments");
        let assignment = |roles: &[&str]| {
            json!({
                "accessContainer": {"accessContainerId": group_id, "accessContainerType": "securityGroup"},
                "accessDetails": {"unifiedRoles": roles.iter().map(|r| json!({"roleDefinitionId": r})).collect::<Vec<_>>()},
            })
        };

        let outside = api
            .post(&uri, &token, assignment(&["62e90394-69f5-4237-9190-012177145e10"]))
            .await;
        assert!(outside.status.is_client_error(), "{:?}", outside.json);
        let no_group = api
            .post(
                &uri,
                &token,
                json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}]}}),
            )
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert!(message(&no_group).contains("accessContainer"));

        let created = api
            .post(&uri, &token, assignment(&[HELPDESK]))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(created.json["accessContainer"]["accessContainerId"], group_id.as_str());
        assert_eq!(created.json["accessContainer"]["accessContainerType"], "securityGroup");
        let aid = created.str("/id");
        let etag = created.str("/@odata.etag");
        assert!(created.headers["location"].to_str().expect("location").ends_with(&aid));

        let listed = api.get(&uri, &token).await;
        assert_eq!(listed.json["value"].as_array().expect("value").len(), 1);
        let one_uri = format!("{uri}/{aid}");
        assert_eq!(api.get(&one_uri, &token).await.json["id"], aid.as_str());

        let change = json!({"accessDetails": {"unifiedRoles": [{"roleDefinitionId": GLOBAL_READER}]}});
        send(&api, Method::PATCH, &one_uri, &token, &[], Some(change.clone()))
            .await
            .expect(StatusCode::PRECONDITION_REQUIRED);
        let changed = send(
            &api,
            Method::PATCH,
            &one_uri,
            &token,
            &[("If-Match", &etag)],
            Some(change.clone()),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            changed.json["accessDetails"]["unifiedRoles"][0]["roleDefinitionId"],
            GLOBAL_READER
        );
        send(&api, Method::DELETE, &one_uri, &token, &[("If-Match", &etag)], None)
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        let newer = changed.str("/@odata.etag");
        send(&api, Method::DELETE, &one_uri, &token, &[("If-Match", &newer)], None)
            .await
            .expect(StatusCode::NO_CONTENT);
        let operations = api
            .get(&format!("{RELS}/{id}/operations"), &token)
            .await
            .expect(StatusCode::OK);
        assert!(operations.json["value"].is_array());
    }
}
