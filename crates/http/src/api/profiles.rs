//! `/v1/profiles/organization`: the caller's own organisation, as Partner Center has it.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Call;
use crate::error::ApiResult;
use crate::wire::{Attributes, SelfLinks};

/// `GET /v1/profiles/organization`: the `OrganizationProfile` resource.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationProfileWire {
    pub id: String,
    pub company_name: String,
    /// Absent for a partner or the operator (no address is recorded for them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_address: Option<crate::wire::customers::AddressWire>,
    pub email: String,
    pub culture: String,
    pub language: String,
    pub links: SelfLinks,
    pub attributes: Attributes,
}

#[utoipa::path(
    get,
    path = "/v1/profiles/organization",
    tag = "partners",
    summary = "The caller's organisation profile",
    responses(
        (status = 200, description = "Company name, default address, e-mail and culture of the caller's organisation", body = OrganizationProfileWire),
    )
)]
/// `GET /v1/profiles/organization`: the caller's own organisation, as Partner Center has it.
pub async fn organization_profile(Call(state, caller): Call) -> ApiResult<Json<OrganizationProfileWire>> {
    let p = state.app.organization_profile(&caller).await?;
    Ok(Json(OrganizationProfileWire {
        id: p.id.to_string(),
        company_name: p.company_name,
        default_address: p.country.map(|country| crate::wire::customers::AddressWire {
            country,
            address_line1: p.address_line1,
        }),
        email: p.email,
        language: p.culture.split('-').next().unwrap_or("en").to_string(),
        culture: p.culture,
        links: SelfLinks::to("/v1/profiles/organization"),
        attributes: Attributes::of("OrganizationProfile"),
    }))
}
