//! `/v1/gdap/bulkUpdate`: one change across many GDAP relationships (an extension; Graph
//! changes one relationship per request). Each item is changed on its own and answered
//! with its own result.

use axum::response::{IntoResponse, Response};
use axum::Json;
use partnerdesk_app::gdap::MAX_PAGE;
use partnerdesk_domain::Reason;

use crate::auth::Call;
use crate::error::{ApiError, ApiResult, Why};
use crate::i18n::Lang;
use crate::json::ApiJson;
use crate::wire::gdap::{
    BulkUpdateBody, BulkUpdateError, BulkUpdateItem, BulkUpdateResult, BulkUpdateStatus, RelationshipWire,
};
use crate::wire::Attributes;

#[utoipa::path(
    post,
    path = "/v1/gdap/bulkUpdate",
    tag = "extensions",
    summary = "Change many GDAP relationships at once",
    request_body = crate::wire::gdap::BulkUpdateBody,
    responses(
        (status = 200, description = "One result per item, in the order sent", body = crate::wire::gdap::BulkUpdateResult),
        crate::openapi::Forbidden,
    )
)]
/// `POST /v1/gdap/bulkUpdate` `{items: [{id, …the fields of a PATCH}]}`: each item is a
/// PATCH at the relationship's current version, in its own transaction; one that fails
/// changes nothing and is answered with its error, the others go ahead.
pub async fn bulk_update_gdap(
    Call(state, caller): Call,
    lang: Lang,
    ApiJson(body): ApiJson<BulkUpdateBody>,
) -> ApiResult<Response> {
    let items = body
        .items
        .ok_or_else(|| ApiError::invalid_property("items", Why::Required))?;
    if items.is_empty() {
        return Err(ApiError::invalid_property("items", Why::OneItem));
    }
    if items.len() > MAX_PAGE {
        return Err(ApiError::invalid_property(
            "items",
            Why::other(Reason::TooManyItems { max: MAX_PAGE }.to_string()),
        ));
    }
    // The answer, by the index of its item; the well-formed items go to the app together.
    let mut answers: Vec<Option<BulkUpdateItem>> = Vec::with_capacity(items.len());
    let mut asked = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let sent = item.id.clone().unwrap_or_default();
        match item.into_patch() {
            Ok(patch) => {
                asked.push((index, sent, patch));
                answers.push(None);
            }
            Err(e) => answers.push(Some(failed(lang, sent, e))),
        }
    }
    let (places, patches): (Vec<_>, Vec<_>) = asked.into_iter().map(|(i, sent, p)| ((i, sent), p)).unzip();
    let results = state.app.bulk_update_gdap(&caller, patches).await?;
    for ((index, sent), result) in places.into_iter().zip(results) {
        answers[index] = Some(match result {
            Ok(relationship) => BulkUpdateItem {
                id: sent,
                status: BulkUpdateStatus::Succeeded,
                relationship: Some(RelationshipWire::from(&relationship)),
                error: None,
            },
            Err(e) => failed(lang, sent, e.into()),
        });
    }
    Ok(Json(BulkUpdateResult {
        items: answers.into_iter().flatten().collect(),
        attributes: Attributes::of("GdapBulkUpdateResult"),
    })
    .into_response())
}

fn failed(lang: Lang, id: String, e: ApiError) -> BulkUpdateItem {
    let e = e.in_lang(lang);
    BulkUpdateItem {
        id,
        status: BulkUpdateStatus::Failed,
        relationship: None,
        error: Some(BulkUpdateError {
            code: e.code(),
            error_name: e.name(),
            message: e.description(),
        }),
    }
}
