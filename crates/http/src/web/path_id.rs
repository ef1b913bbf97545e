//! Ids in a page's path, parsed before the handler runs. A malformed id names nothing, so
//! it is answered as an unknown one is: the page of an address the dashboard does not have.

use std::str::FromStr;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;

use partnerdesk_app::AppError;

use super::pages::app_error;
use super::session::Visitor;
use crate::state::AppState;

/// The one id of a page's path (`/customers/{id}/account`).
#[derive(Debug, Clone, Copy)]
pub struct PageId<T>(pub T);

impl<T: FromStr + Send> FromRequestParts<AppState> for PageId<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Ok(Path(raw)) = Path::<String>::from_request_parts(parts, state).await {
            if let Ok(id) = raw.parse() {
                return Ok(PageId(id));
            }
        }
        Err(refused(parts, state).await)
    }
}

/// The two ids of a page's path (`/customers/{id}/subscriptions/{sid}`), in order.
#[derive(Debug, Clone, Copy)]
pub struct PageIds<A, B>(pub A, pub B);

impl<A: FromStr + Send, B: FromStr + Send> FromRequestParts<AppState> for PageIds<A, B> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Ok(Path((a, b))) = Path::<(String, String)>::from_request_parts(parts, state).await {
            if let (Ok(a), Ok(b)) = (a.parse(), b.parse()) {
                return Ok(PageIds(a, b));
            }
        }
        Err(refused(parts, state).await)
    }
}

/// The page of an unknown id, in the visitor's language and frame.
async fn refused(parts: &mut Parts, state: &AppState) -> Response {
    let Ok(visitor) = Visitor::from_request_parts(parts, state).await;
    app_error(&visitor, AppError::NotFound("page"))
}
