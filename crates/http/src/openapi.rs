//! The OpenAPI document of the server, generated from the handlers' `#[utoipa::path]`
//! annotations through the route table (`routes::api`), served at `/openapi.json`, and
//! `/docs`: a plain HTML page that lists every operation, grouped by tag, rendered from the
//! same document.
//!
//! The error answers `/v1` operations share are declared here once: [`StandardErrors`]
//! adds them to every operation by rule, and the two a rule cannot see ([`Forbidden`],
//! [`Conflict`]) are types a handler names in its `responses(...)`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::Response as DocResponse;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::routes;

/// The name of the bearer security scheme in the document.
pub const BEARER: &str = "bearer";

/// What the document says besides its operations: title, tags, the default security and
/// the shared schemas. The operations come from the route table.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "partnerdesk",
        description = "A partner center with a Partner Center-compatible REST API. JSON out is camelCase, JSON in is read case-insensitively; errors carry `{code, description, data, source, errorName}`.",
        license(name = "Apache-2.0")
    ),
    security(("bearer" = [])),
    tags(
        (name = "customers", description = "Partner Center-compatible: the caller's customers and relationship requests."),
        (name = "subscriptions", description = "Partner Center-compatible: a customer's subscriptions and their support contacts."),
        (name = "orders", description = "Partner Center-compatible: orders placed for a customer."),
        (name = "offers", description = "Partner Center-compatible: the catalog."),
        (name = "partners", description = "Partner Center-compatible: provider and reseller links."),
        (name = "audit", description = "Partner Center-compatible: the audit log, each record in its organisation's hash chain."),
        (name = "webhooks", description = "Partner Center-compatible, under `/webhooks/v1`: webhook registrations (PascalCase), test events, and, as extensions, deliveries, redelivery, replay and the signing key."),
        (name = "gdap", description = "Microsoft Graph-compatible, under `/v1.0/tenantRelationships`: granular delegated admin relationships, their requests, access assignments and operations. Errors use Graph's envelope `{error: {code, message, innerError}}`."),
        (name = "customer-side", description = "partnerdesk extensions used by a customer: invitations and its partners."),
        (name = "extensions", description = "partnerdesk extensions: Partner Center has no public API for these; they follow the same conventions."),
        (name = "sign-in", description = "OAuth2 tokens and the keys that sign them."),
        (name = "operations", description = "Health, readiness, metrics and this documentation."),
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::error::ErrorData,
        crate::graph::GraphErrorBody,
        crate::platform::rate_limit::TooManyRequests
    ))
)]
pub struct ApiDoc;

/// Adds the bearer scheme: an access token from `/oauth2/token` or a personal `pd_` token.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT or pd_ token".to_string());
        http.description = Some(
            "An access token from `POST /oauth2/token`, or a personal API token (`pd_...`) from `/v1/me/tokens`."
                .to_string(),
        );
        components.add_security_scheme(BEARER, SecurityScheme::Http(http));
    }
}

/// The conventions every `/v1` operation shares (API.md), written once here instead of on
/// each handler: the `MS-CorrelationId` and `X-Locale` request headers, `MS-RequestId` on
/// POSTs (idempotency), and the 429 answer of the rate limit with `Retry-After`.
struct Conventions;

fn header_param(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let too_many = ResponseBuilder::new()
            .description("Over the rate limit of the caller's organisation for this resource family")
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::Integer))
                    .description(Some("Seconds to wait before trying again"))
                    .build(),
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("TooManyRequests")))
                    .build(),
            )
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .responses
            .insert("TooManyRequests".to_string(), RefOr::T(too_many));
        let too_many = RefOr::Ref(Ref::new("#/components/responses/TooManyRequests"));
        for (path, item) in openapi.paths.paths.iter_mut() {
            if error_schema_of(path).is_none() {
                continue;
            }
            for (method, operation) in operations_mut(item) {
                let Some(operation) = operation else { continue };
                let params = operation.parameters.get_or_insert_with(Vec::new);
                if method == "POST" {
                    params.push(header_param(
                        "MS-RequestId",
                        "A client-chosen id of this request: sent again within 24 hours, the first answer is replayed instead of acting twice. The answer is kept with the change, in one transaction: a request that failed, was refused or never finished (timeout, crash) keeps nothing, and sending it again runs it. A kept answer holds no secret: a secret shown in the first answer is `null` in the replay, with a `secretNotice` saying it was shown once. The same id on another path is a 409",
                    ));
                }
                params.push(header_param(
                    "MS-CorrelationId",
                    "Any id tying requests together; echoed in the response and the logs",
                ));
                params.push(header_param(
                    "X-Locale",
                    "The language of error descriptions: en-US (default) or ru-RU",
                ));
                operation
                    .responses
                    .responses
                    .insert("429".to_string(), too_many.clone());
            }
        }
    }
}

/// The start of the document the route table fills in.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document, built once: the route table's operations, then the bearer scheme, the
/// shared conventions and the standard errors.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = routes::api().into_openapi();
        for modifier in [
            &BearerScheme as &dyn Modify,
            &Conventions,
            &StandardErrors,
            &BodiesAreObjects,
        ] {
            modifier.modify(&mut doc);
        }
        doc
    })
}

/// Every operation of `doc` as (method, path), the method lower case as in the document.
pub(crate) fn operations_of(doc: &utoipa::openapi::OpenApi) -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        for (method, operation) in operations(item) {
            if operation.is_some() {
                all.insert((method.to_ascii_lowercase(), path.clone()));
            }
        }
    }
    all
}

/// An error answer with the shared `ErrorBody`.
fn error_response(description: &str) -> DocResponse {
    error_response_of("ErrorBody", description)
}

/// An error answer whose body is the schema `schema` (`ErrorBody` on `/v1`, Graph's
/// envelope on `/v1.0`).
pub(crate) fn error_response_of(schema: &str, description: &str) -> DocResponse {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
}

/// The error body of the operations under `path`: Graph's envelope on the Graph-shaped
/// routes, the `/v1` body on the others; `None` outside the API's resources.
fn error_schema_of(path: &str) -> Option<&'static str> {
    if crate::graph::is_graph_path(path) {
        Some(crate::graph::ERROR_SCHEMA)
    } else if path.starts_with("/v1/") || path.starts_with("/auditactivity/") || path.starts_with("/webhooks/") {
        Some("ErrorBody")
    } else {
        None
    }
}

/// 403: the caller is signed in but may not do this. Named by the handlers where a role, a
/// relationship or the partner type decides.
pub struct Forbidden;

impl IntoResponses for Forbidden {
    fn responses() -> BTreeMap<String, RefOr<DocResponse>> {
        let description =
            "The caller may not do this (`forbidden_role`, `no_active_relationship`, `partner_type_not_allowed`)";
        BTreeMap::from([("403".to_string(), RefOr::T(error_response(description)))])
    }
}

/// 404 for an operation whose path names no id but whose query or body does (a webhook
/// registration by `?id=`, an event to replay from): nothing of that id is visible to the
/// caller, or the organisation has no registration to choose.
pub struct NotFound;

impl IntoResponses for NotFound {
    fn responses() -> BTreeMap<String, RefOr<DocResponse>> {
        let description = "Nothing of the id the query or body names is visible to the caller, \
             or nothing to choose without one (`not_found`)";
        BTreeMap::from([("404".to_string(), RefOr::T(error_response(description)))])
    }
}

/// 409: the change conflicts with the current state (a name taken, a state that does not
/// allow it). Named by the handlers whose change can conflict.
pub struct Conflict;

impl IntoResponses for Conflict {
    fn responses() -> BTreeMap<String, RefOr<DocResponse>> {
        let description =
            "Conflicts with the current state (`conflict`, `already_in_use`, `invalid_transition` and the like)";
        BTreeMap::from([("409".to_string(), RefOr::T(error_response(description)))])
    }
}

/// A body the server may go without (`MaybeJson`: no body or `{}`) is still never `null`:
/// `null` is refused like any other non-object. utoipa writes such a body as
/// `oneOf: [null, T]`; this leaves `T`, the body staying optional.
pub(crate) struct BodiesAreObjects;

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}

impl Modify for BodiesAreObjects {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (_, operation) in operations_mut(item) {
                let Some(operation) = operation else { continue };
                let Some(body) = operation.request_body.as_mut() else {
                    continue;
                };
                for content in body.content.values_mut() {
                    let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
                        continue;
                    };
                    let rest: Vec<_> = one_of.items.iter().filter(|s| !is_null(s)).cloned().collect();
                    if let [only] = rest.as_slice() {
                        if rest.len() < one_of.items.len() {
                            content.schema = Some(only.clone());
                        }
                    }
                }
            }
        }
    }
}

/// What the 409 of a POST says about `MS-RequestId`, added to the handler's own 409.
const REQUEST_ID_REUSED: &str = "The `MS-RequestId` was already used for another method or path (`conflict`)";

/// The errors every `/v1` operation shares, by rule, so that no handler repeats them:
/// 401 unless the operation is public, 503 always, 404 when the path names an id, 400 when
/// there is a query or a body to refuse, 413 with a body, 412 with `If-Match`, and on a
/// POST the 409 of an `MS-RequestId` reused elsewhere, 428 where `If-Match` is required. An answer the handler documents
/// itself is kept (its description is more precise).
pub(crate) struct StandardErrors;

impl StandardErrors {
    fn apply(path: &str, schema: &str, method: &str, operation: &mut Operation) {
        let public = operation
            .security
            .as_ref()
            .is_some_and(|s| s.iter().any(|r| *r == SecurityRequirement::default()));
        let params = operation.parameters.as_deref().unwrap_or_default();
        let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
        let if_match = params
            .iter()
            .find(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("If-Match"));
        let has_if_match = if_match.is_some();
        let if_match_required = if_match.is_some_and(|p| p.required == Required::True);
        let has_body = operation.request_body.is_some();
        let rules = [
            (
                has_query || has_body,
                "400",
                "Malformed or out-of-range input (`invalid_property`)",
            ),
            (!public, "401", "No or bad token (`unauthenticated`)"),
            (
                path.contains('{'),
                "404",
                "Nothing of that id visible to the caller (`not_found`)",
            ),
            (
                has_if_match,
                "412",
                "`If-Match` names another version (`etag_mismatch`)",
            ),
            (
                if_match_required,
                "428",
                "`If-Match` is required and was not sent (`if_match_required`)",
            ),
            (has_body, "413", "The body is over the limit (`payload_too_large`)"),
            (true, "503", "The database does not answer (`unavailable`)"),
        ];
        let responses = &mut operation.responses.responses;
        for (applies, status, description) in rules {
            if applies {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(error_response_of(schema, description)));
            }
        }
        if method == "POST" {
            match responses.get_mut("409") {
                Some(RefOr::T(conflict)) => {
                    conflict.description = format!("{}; or: {REQUEST_ID_REUSED}", conflict.description);
                }
                Some(RefOr::Ref(_)) => {}
                None => {
                    responses.insert(
                        "409".to_string(),
                        RefOr::T(error_response_of(schema, REQUEST_ID_REUSED)),
                    );
                }
            }
        }
    }
}

impl Modify for StandardErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let Some(schema) = error_schema_of(path) else {
                continue;
            };
            for (method, operation) in operations_mut(item) {
                if let Some(operation) = operation {
                    Self::apply(path, schema, method, operation);
                }
            }
        }
    }
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    summary = "The OpenAPI document",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
/// `GET /openapi.json`: the OpenAPI 3.1 document of this server.
pub async fn openapi_json() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(document())
}

/// One operation on the `/docs` page.
#[derive(Debug)]
struct DocOperation {
    method: &'static str,
    path: String,
    summary: String,
}

/// The operations of one tag on the `/docs` page.
#[derive(Debug)]
struct DocGroup {
    name: String,
    description: String,
    operations: Vec<DocOperation>,
}

/// The `/docs` page. Askama escapes every value it writes into the HTML.
#[derive(Debug, Template)]
#[template(path = "docs.html")]
struct DocsPage {
    title: String,
    version: String,
    groups: Vec<DocGroup>,
}

fn operations(item: &PathItem) -> [(&'static str, Option<&Operation>); 5] {
    [
        ("GET", item.get.as_ref()),
        ("POST", item.post.as_ref()),
        ("PUT", item.put.as_ref()),
        ("PATCH", item.patch.as_ref()),
        ("DELETE", item.delete.as_ref()),
    ]
}

/// The operations of `item` by method, to change them.
fn operations_mut(item: &mut PathItem) -> [(&'static str, Option<&mut Operation>); 5] {
    [
        ("GET", item.get.as_mut()),
        ("POST", item.post.as_mut()),
        ("PUT", item.put.as_mut()),
        ("PATCH", item.patch.as_mut()),
        ("DELETE", item.delete.as_mut()),
    ]
}

impl DocsPage {
    /// The page of `doc`: its tags in the document's order, each with its operations by
    /// path; an operation without a tag goes under `other`.
    fn of(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut groups: Vec<DocGroup> = doc
            .tags
            .iter()
            .flatten()
            .map(|t| DocGroup {
                name: t.name.clone(),
                description: t.description.clone().unwrap_or_default(),
                operations: Vec::new(),
            })
            .collect();
        for (path, item) in &doc.paths.paths {
            for (method, operation) in operations(item) {
                let Some(operation) = operation else { continue };
                let tag = operation
                    .tags
                    .as_ref()
                    .and_then(|t| t.first())
                    .map_or("other", String::as_str);
                let entry = DocOperation {
                    method,
                    path: path.clone(),
                    summary: operation.summary.clone().unwrap_or_default(),
                };
                match groups.iter_mut().find(|g| g.name == tag) {
                    Some(group) => group.operations.push(entry),
                    None => groups.push(DocGroup {
                        name: tag.to_string(),
                        description: String::new(),
                        operations: vec![entry],
                    }),
                }
            }
        }
        groups.retain(|g| !g.operations.is_empty());
        Self {
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            groups,
        }
    }
}

#[utoipa::path(
    get,
    path = "/docs",
    tag = "operations",
    summary = "This API, as a readable page",
    security(()),
    responses((status = 200, description = "An HTML page listing every operation", content_type = "text/html"))
)]
/// `GET /docs`: every operation, grouped by tag, as a plain HTML page served from the binary.
/// Like the dashboard's pages it may not be framed and runs nothing: its policy allows only
/// its own inline stylesheet, named by hash.
pub async fn docs() -> Response {
    match DocsPage::of(document()).render() {
        Ok(html) => {
            let csp = HeaderValue::from_str(&docs_policy(&html))
                .unwrap_or_else(|_| HeaderValue::from_static(DOCS_POLICY_FALLBACK));
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/html; charset=utf-8"),
                    ),
                    (header::CONTENT_SECURITY_POLICY, csp),
                    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
                    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                    (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
                ],
                html,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "the docs page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The docs page's policy without its stylesheet, should the page have none to name.
const DOCS_POLICY_FALLBACK: &str = "default-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The Content-Security-Policy of the docs page `html`: nothing but its inline `<style>`.
fn docs_policy(html: &str) -> String {
    let style = html
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(css, _)| css);
    match style {
        Some(css) => {
            let hash = STANDARD.encode(Sha256::digest(css.as_bytes()));
            format!("{DOCS_POLICY_FALLBACK}; style-src 'sha256-{hash}'")
        }
        None => DOCS_POLICY_FALLBACK.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_on_the_docs_page_is_escaped() {
        let page = DocsPage {
            title: "<b>partnerdesk</b>".to_string(),
            version: "1 & 2".to_string(),
            groups: vec![DocGroup {
                name: "\"tag\"".to_string(),
                description: "<script>alert(1)</script>".to_string(),
                operations: vec![DocOperation {
                    method: "GET",
                    path: "/v1/<x>".to_string(),
                    summary: "a 'quoted' <i>summary</i>".to_string(),
                }],
            }],
        };
        let html = page.render().expect("renders");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>partnerdesk"), "{html}");
        assert!(!html.contains("<i>summary"), "{html}");
        assert!(html.contains("&#60;script&#62;"), "{html}");
        assert!(html.contains("/v1/&#60;x&#62;"), "{html}");
        assert!(!html.contains("1 & 2"), "{html}");
    }

    #[test]
    fn the_docs_page_groups_operations_under_their_tag() {
        let page = DocsPage::of(document());
        let customers = page.groups.iter().find(|g| g.name == "customers").expect("customers");
        assert!(customers
            .operations
            .iter()
            .any(|op| op.method == "GET" && op.path == "/v1/customers"));
        assert!(page.groups.iter().all(|g| !g.operations.is_empty()));
    }
}
