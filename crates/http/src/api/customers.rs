//! `/v1/customers`: the caller's customers (JSON pages or a streamed CSV export), one
//! customer, creating one, removing the relationship or DAP through PATCH, relationship
//! requests, the partners related to a customer, and offboarding.

use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::customers::{CustomerSearch, MAX_PAGE as EXPORT_PAGE};
use partnerdesk_app::mail::MailLang;
use partnerdesk_app::{App, AppError, Caller};
use partnerdesk_domain::values::SearchText;
use partnerdesk_domain::{CustomerId, PartnerId};
use serde::Deserialize;

use super::{id_property, if_match, with_etag, ApiQuery, Id, ListFilter, Paging};
use crate::auth::Call;
use crate::csv_download::csv_download;
use crate::error::{ApiError, ApiResult, Why};
use crate::json::{ApiJson, MaybeJson};
use crate::platform::idempotency::ReplayAs;
use crate::wire::customers::{
    csv_row, CustomerPatchBody, CustomerWire, MailRequestBody, NewCustomerBody, RelationshipRequestWire, CSV_HEADER,
    NONE, RESELLER,
};
use crate::wire::partners::{OffboardingPreviewWire, PartnerRelationshipWire, ReasonBody, RemovalWire};
use crate::wire::Collection;

/// Query of `GET /v1/customers`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub size: Option<u32>,
    /// URL-encoded JSON: `{"Field":"CompanyName"|"Domain"|"IndirectReseller","Value":"...","Operator":"starts_with"}`.
    /// `CompanyName` and `Domain` match the start of the value in any case and script;
    /// `IndirectReseller` takes the id of one of the caller's indirect resellers and gives the
    /// customers served through it (any other partner's id gives an empty list).
    pub filter: Option<String>,
    /// `Next` (in any case), with the `MS-ContinuationToken` of the page before.
    #[serde(rename = "seekOperation", alias = "seekoperation")]
    #[param(pattern = "^[Nn][Ee][Xx][Tt]$")]
    pub seek_operation: Option<String>,
}

/// The search a `filter` asks for, as Partner Center has it (every field takes
/// `starts_with`): `CompanyName` and `Domain` match the start of the company name or the
/// domain, in any case and script; `IndirectReseller` takes the id of one of the caller's
/// indirect resellers and lists the customers the caller serves through it (another
/// partner's reseller gives an empty list). A value with a control character, or a reseller
/// id that is not a UUID, is refused as `filter.Value`.
pub(crate) fn search_of(filter: Option<&str>) -> ApiResult<Option<CustomerSearch>> {
    let Some(f) = ListFilter::read(filter)? else {
        return Ok(None);
    };
    if let Some(op) = &f.operator {
        if !op.eq_ignore_ascii_case("starts_with") {
            return Err(ApiError::invalid_property(
                "filter.Operator",
                Why::other("customers are searched with starts_with"),
            ));
        }
    }
    let text = || SearchText::parse("filter.Value", &f.value).map_err(AppError::Domain);
    match f.field.to_ascii_lowercase().as_str() {
        "companyname" => Ok(text()?.map(CustomerSearch::NameStartsWith)),
        "domain" => Ok(text()?.map(CustomerSearch::DomainStartsWith)),
        "indirectreseller" => {
            let reseller = id_property::<PartnerId>(&f.value, "filter.Value")?;
            Ok(Some(CustomerSearch::IndirectReseller(reseller)))
        }
        "indirectcloudsolutionprovider" => Err(ApiError::not_supported(
            "filter.Field",
            format!("filtering customers by {}", f.field),
        )),
        _ => Err(ApiError::invalid_property(
            "filter.Field",
            Why::other("must be CompanyName, Domain or IndirectReseller"),
        )),
    }
}

fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/csv"))
}

#[utoipa::path(
    get,
    path = "/v1/customers",
    tag = "customers",
    summary = "List the caller's customers",
    params(
        crate::api::customers::ListQuery,
    ),
    responses(
        (
            status = 200,
            description = "A page of customers; with `Accept: text/csv`, all of them as a CSV file",
            content(
                (crate::wire::Collection<crate::wire::customers::CustomerWire> = "application/json"),
                (String = "text/csv")
            )
        ),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers`: the caller's customers with an active relationship, a page at a
/// time; with `Accept: text/csv`, all of them as a streamed CSV file.
pub async fn list_customers(
    Call(state, caller): Call,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let search = search_of(q.filter.as_deref())?;
    if wants_csv(&headers) {
        return export_customers(state.app.clone(), Arc::unwrap_or_clone(caller), search).await;
    }
    let paging = (q.size, q.seek_operation.as_deref());
    let kept = [("filter", q.filter.as_deref())];
    let (paging, after) = Paging::read::<CustomerId>(&caller, "/v1/customers", paging, &headers, &kept)?;
    let page = state
        .app
        .list_customers(&caller, search.as_ref(), after, paging.size)
        .await?;
    let items = page.items.iter().map(CustomerWire::listed).collect();
    Ok(Json(paging.collection(items, page.total_count, page.next)).into_response())
}

/// Where the export goes on after a page: a full page may be followed by more.
fn next_after(page: &[partnerdesk_domain::org::Customer]) -> Option<CustomerId> {
    (page.len() == EXPORT_PAGE as usize)
        .then(|| page.last().map(|c| c.id))
        .flatten()
}

/// Where a CSV export stands between pages.
struct Export {
    app: App,
    caller: Caller,
    search: Option<CustomerSearch>,
    after: Option<CustomerId>,
}

/// Streams every customer of the caller as CSV (UTF-8 with a BOM), reading the keyset
/// listing a page at a time so memory stays flat however many customers there are. The
/// first page is read before answering, so a refusal is an ordinary error response.
pub(crate) async fn export_customers(app: App, caller: Caller, search: Option<CustomerSearch>) -> ApiResult<Response> {
    let first = app.customers_after(&caller, search.as_ref(), None, EXPORT_PAGE).await?;
    let mut head = String::from("\u{feff}");
    head.push_str(CSV_HEADER);
    for c in &first {
        head.push_str(&csv_row(c));
    }
    let rest = next_after(&first).map(|after| Export {
        app,
        caller,
        search,
        after: Some(after),
    });
    Ok(csv_download("customers.csv", head, rest, |mut st: Export| async move {
        let page = st
            .app
            .customers_after(&st.caller, st.search.as_ref(), st.after, EXPORT_PAGE)
            .await?;
        let rows: String = page.iter().map(csv_row).collect();
        let next = next_after(&page).map(|after| {
            st.after = Some(after);
            st
        });
        Ok::<_, AppError>((rows, next))
    }))
}

#[utoipa::path(
    post,
    path = "/v1/customers",
    tag = "customers",
    summary = "Create a customer",
    request_body = crate::wire::customers::NewCustomerBody,
    responses(
        (status = 201, description = "The customer, with `userCredentials` of its first admin. The password is shown once: a repeat of the request with the same `MS-RequestId` answers the same JSON with `userCredentials.password: null` and a `secretNotice` saying so", body = crate::wire::customers::CustomerWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/customers`: creates a customer with its first admin; 201 with
/// `userCredentials`. `associatedPartnerId` names the indirect reseller it is created for.
pub async fn add_customer(Call(state, caller): Call, ApiJson(body): ApiJson<NewCustomerBody>) -> ApiResult<Response> {
    let input = body.into_input()?;
    let reseller = input.indirect_reseller_id;
    let created = state.app.add_customer(&caller, input).await?;
    let wire = CustomerWire::created(&created, reseller.map(|r| r.to_string()));
    let replay = ReplayAs::json(StatusCode::CREATED, &wire.without_secret());
    let mut response = (StatusCode::CREATED, Json(wire)).into_response();
    response.extensions_mut().insert(replay);
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}",
    tag = "customers",
    summary = "Get a customer",
    params(crate::api::params::CustomerPath),
    responses(
        (status = 200, description = "The customer, with `allowDelegatedAccess` and (for its partner) an `ETag`", body = crate::wire::customers::CustomerWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}`: one customer, with `allowDelegatedAccess`.
pub async fn get_customer(Call(state, caller): Call, Id(id): Id<CustomerId>) -> ApiResult<Response> {
    let view = state.app.get_customer(&caller, id).await?;
    let wire = CustomerWire::viewed(&view);
    Ok(with_etag(wire.attributes.etag.as_ref(), Json(&wire)))
}

#[utoipa::path(
    patch,
    path = "/v1/customers/{id}",
    tag = "customers",
    summary = "Remove the relationship or change delegated access",
    params(
        crate::api::params::CustomerPath,
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag of the customer last read (`\"3\"` or `W/\"3\"`), or `*`; another value is a 412, as is a stale one: the relationship or delegated access changed since"),
    ),
    request_body = crate::wire::customers::CustomerPatchBody,
    responses(
        (status = 200, description = "The customer as it is now", body = crate::wire::customers::CustomerWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `PATCH /v1/customers/{id}`, dispatched on the property the client set, as Partner
/// Center does: `relationshipToPartner: "none"` removes the reseller relationship (200,
/// the customer with `relationshipToPartner: "none"`); otherwise `allowDelegatedAccess:
/// false` ends DAP and `true` takes up DAP the customer consented to. `unknown` (what the
/// .NET SDK sends for an unset relationship) and `reseller` (no change) are ignored. A
/// body that changes nothing answers the customer as it is.
pub async fn patch_customer(
    Call(state, caller): Call,
    headers: HeaderMap,
    Id(id): Id<CustomerId>,
    ApiJson(body): ApiJson<CustomerPatchBody>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let relationship = body
        .relationshiptopartner
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| r != "unknown" && r != RESELLER);
    let app = &state.app;
    let wire = match (relationship.as_deref(), body.allowdelegatedaccess) {
        (Some(NONE), _) => {
            app.remove_relationship_if(&caller, id, None, None, expected).await?;
            CustomerWire::patched(id.to_string(), NONE, false)
        }
        (Some(_), _) => {
            return Err(ApiError::invalid_property(
                "relationshipToPartner",
                Why::other("only none is accepted: it removes the reseller relationship (a new one starts with a relationship request)"),))
        }
        (None, Some(false)) => {
            app.revoke_dap_if(&caller, id, expected).await?;
            CustomerWire::patched(id.to_string(), RESELLER, false)
        }
        (None, Some(true)) => {
            app.grant_dap_if(&caller, id, expected).await?;
            CustomerWire::patched(id.to_string(), RESELLER, true)
        }
        (None, None) => CustomerWire::viewed(&app.get_customer(&caller, id).await?),
    };
    Ok(Json(wire).into_response())
}

/// Query of `GET /v1/customers/relationshiprequests`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    #[serde(alias = "DAP", alias = "Dap")]
    pub dap: Option<String>,
}

#[utoipa::path(
    get,
    path = "/v1/customers/relationshiprequests",
    tag = "customers",
    summary = "Get the partner's relationship request link (an invitation link)",
    params(
        crate::api::customers::RequestQuery,
    ),
    responses(
        (status = 200, description = "The partner's open invitation link of this kind (with delegated admin or without), made when it has none: the same link every time until it is accepted, declined, revoked or expires", body = crate::wire::customers::RelationshipRequestWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/relationshiprequests`: the partner's invitation link (`?dap=true` asks
/// for delegated admin too). As in Partner Center, the link is the same on every call until
/// it is used, revoked or expires; only then does a call make a new one.
pub async fn relationship_request(
    Call(state, caller): Call,
    ApiQuery(q): ApiQuery<RequestQuery>,
) -> ApiResult<Response> {
    let dap = match q.dap.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(_) => return Err(ApiError::invalid_property("dap", Why::TrueOrFalse)),
    };
    let created = state.app.relationship_request_link(&caller, dap).await?;
    Ok(Json(RelationshipRequestWire::from(&created)).into_response())
}

/// What a repeat of a mailing request says instead of the link.
const LINK_SHOWN_ONCE: &str =
    "the link was in the first answer to this request; GET /v1/customers/relationshiprequests gives it again";

#[utoipa::path(
    post,
    path = "/v1/customers/relationshiprequests/mail",
    tag = "customers",
    summary = "Mail the partner's relationship request link to a customer's admin",
    request_body = crate::wire::customers::MailRequestBody,
    responses(
        (status = 202, description = "The message joined the mail outbox (sent, and retried until sent, by the mail sender); the answer is the link it carries. A repeat of the request with the same `MS-RequestId` mails nothing again and answers `url: null` with a `secretNotice`", body = crate::wire::customers::RelationshipRequestWire),
        (status = 400, description = "`invalid_property`: `email` missing or not an e-mail address, `language` not `en` or `ru`", body = crate::error::ErrorBody),
        (status = 409, description = "`mail_off`: e-mail is off on this server (no SMTP server is configured); the link from `GET /v1/customers/relationshiprequests` is all there is", body = crate::error::ErrorBody),
        crate::openapi::Forbidden,
    )
)]
/// `POST /v1/customers/relationshiprequests/mail` `{email, language?, dap?}`: the partner's
/// open invitation link of that kind (made when it has none), mailed on its behalf.
pub async fn mail_relationship_request(
    Call(state, caller): Call,
    ApiJson(body): ApiJson<MailRequestBody>,
) -> ApiResult<Response> {
    let email = body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::invalid_property("email", Why::Required))?;
    let language = match body.language.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(tag) => Some(
            MailLang::parse(tag)
                .ok_or_else(|| ApiError::invalid_property("language", Why::other("expected en or ru")))?,
        ),
    };
    let dap = body.dap.unwrap_or(false);
    let created = state
        .app
        .send_relationship_request(&caller, dap, email, language)
        .await?;
    let wire = RelationshipRequestWire::from(&created);
    // The link carries the invitation's token, which is kept only as a hash: a repeat of
    // the request answers without it.
    let replay = ReplayAs::json(
        StatusCode::ACCEPTED,
        &serde_json::json!({
            "url": null,
            "id": wire.id,
            "includesDelegatedAdmin": wire.includes_delegated_admin,
            "expiresAt": wire.expires_at,
            "attributes": {"objectType": "RelationshipRequest"},
            "secretNotice": LINK_SHOWN_ONCE,
        }),
    );
    let mut response = (StatusCode::ACCEPTED, Json(wire)).into_response();
    response.extensions_mut().insert(replay);
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/relationships",
    tag = "customers",
    summary = "List the partners related to a customer",
    params(crate::api::params::CustomerPath),
    responses(
        (status = 200, description = "The related partners", body = crate::wire::Collection<crate::wire::partners::PartnerRelationshipWire>),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/relationships`: the partners related to the customer (its
/// available support contacts: the partners with an active relationship).
pub async fn customer_relationships(Call(state, caller): Call, Id(cid): Id<CustomerId>) -> ApiResult<Response> {
    let partners = state.app.available_support_contacts(&caller, cid).await?;
    let items = partners.iter().map(PartnerRelationshipWire::of_customer).collect();
    Ok(Json(Collection::all(items, format!("/v1/customers/{cid}/relationships"))).into_response())
}

#[utoipa::path(
    get,
    path = "/v1/customers/{id}/offboarding",
    tag = "extensions",
    summary = "Preview offboarding a customer",
    params(crate::api::params::CustomerPath),
    responses(
        (status = 200, description = "What offboarding will do", body = crate::wire::partners::OffboardingPreviewWire),
        crate::openapi::Forbidden,
    )
)]
/// `GET /v1/customers/{id}/offboarding`: what offboarding will do.
pub async fn offboarding_preview(Call(state, caller): Call, Id(cid): Id<CustomerId>) -> ApiResult<Response> {
    let preview = state.app.offboarding_preview(&caller, cid).await?;
    Ok(Json(OffboardingPreviewWire::from(&preview)).into_response())
}

#[utoipa::path(
    post,
    path = "/v1/customers/{id}/offboarding",
    tag = "extensions",
    summary = "Offboard a customer",
    params(crate::api::params::CustomerPath),
    request_body(content = Option<crate::wire::partners::ReasonBody>, description = "No body, `{}` or `{reason}`"),
    responses(
        (status = 200, description = "The removed relationship and what it changed", body = crate::wire::partners::RemovalWire),
        crate::openapi::Forbidden,
        crate::openapi::Conflict,
    )
)]
/// `POST /v1/customers/{id}/offboarding`: suspends every active subscription and removes
/// the relationship, atomically. Takes no body, `{}` or `{reason}`.
pub async fn offboard_customer(
    Call(state, caller): Call,
    Id(cid): Id<CustomerId>,
    MaybeJson(body): MaybeJson<ReasonBody>,
) -> ApiResult<Response> {
    let removed = state
        .app
        .offboard_customer(&caller, cid, body.reason.as_deref())
        .await?;
    Ok(Json(RemovalWire::from(&removed)).into_response())
}
