//! `POST /v1/access/check`: may this partner, or this partner user, act in this customer's
//! tenant with this role?

use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::auth::Call;
use crate::error::ApiResult;
use crate::json::FlatJson;
use crate::wire::access::{AccessCheckBody, AccessDecisionWire};

#[utoipa::path(
    post,
    path = "/v1/access/check",
    tag = "extensions",
    summary = "Check delegated access",
    request_body = crate::wire::access::AccessCheckBody,
    responses(
        (status = 200, description = "The decision", body = crate::wire::access::AccessDecisionWire),
        crate::openapi::Forbidden,
    )
)]
/// `POST /v1/access/check`: the operator asks about anyone, a partner about itself and its
/// own users. Denied is a 200 with `allowed: false`; an unknown role is 400.
pub async fn check_access(Call(state, caller): Call, FlatJson(body): FlatJson<AccessCheckBody>) -> ApiResult<Response> {
    let query = body.into_query()?;
    let decision = state.app.check_access_as(&caller, query).await?;
    Ok(Json(AccessDecisionWire::from(&decision)).into_response())
}
