//! The Graph-shaped GDAP routes (`/v1.0/tenantRelationships/...`) and their `/v1`
//! extensions (security groups, the role catalogue) through the router, on every backend;
//! and a real Graph client (`sdk`): the Python `msgraph-sdk` against a served router.

#[path = "../v1/support.rs"]
#[allow(dead_code)]
mod support;

mod bulk;
mod extensions;
mod relationships;
mod sdk;

use axum::http::Method;
use serde_json::{json, Value};
use support::{Api, Reply};

/// Microsoft Entra's Helpdesk Administrator, in the default catalogue.
pub const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
/// Microsoft Entra's Global Reader, in the default catalogue.
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Where the relationships are.
pub const RELS: &str = "/v1.0/tenantRelationships/delegatedAdminRelationships";
/// The public URL of the test router (`HttpConfig::default()`).
pub const PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// A relationship body for `customer` with `roles`.
pub fn body(name: &str, customer: &str, roles: &[&str]) -> Value {
    json!({
        "displayName": name,
        "duration": "P730D",
        "customer": {"tenantId": customer},
        "accessDetails": {"unifiedRoles": roles.iter().map(|r| json!({"roleDefinitionId": r})).collect::<Vec<_>>()},
        "autoExtendDuration": "PT0S",
    })
}

/// Graph's error code of a reply (`error.code`).
pub fn code(reply: &Reply) -> &str {
    reply.json["error"]["code"].as_str().unwrap_or_default()
}

/// Graph's error message of a reply (`error.message`).
pub fn message(reply: &Reply) -> &str {
    reply.json["error"]["message"].as_str().unwrap_or_default()
}

/// Sends with extra headers.
pub async fn send(
    api: &Api,
    method: Method,
    uri: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    api.send(method, uri, Some(token), headers, body).await
}

/// Creates a relationship of `token`'s partner; its id and ETag.
pub async fn create(api: &Api, token: &str, name: &str, customer: &str, roles: &[&str]) -> (String, String) {
    let reply = api.post(RELS, token, body(name, customer, roles)).await;
    assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.bytes));
    (reply.str("/id"), reply.str("/@odata.etag"))
}

/// Another partner with a customer and a relationship of its own: its token and the
/// relationship's id.
pub async fn stranger(api: &Api) -> (String, String) {
    let (_, customer, token) = api.seller().await;
    let (theirs, _) = create(api, &token, "Theirs", &customer.id.to_string(), &[HELPDESK]).await;
    (token, theirs)
}

/// Sends `{"action": action}` to the relationship's requests.
pub async fn act(api: &Api, token: &str, id: &str, action: &str) -> Reply {
    api.post(&format!("{RELS}/{id}/requests"), token, json!({ "action": action }))
        .await
}
